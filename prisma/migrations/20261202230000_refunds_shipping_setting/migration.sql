-- AlterTable: whether shipping is refunded when every unit of an order is cancelled (default: a full refund).
ALTER TABLE "ShopSettings" ADD COLUMN "refundShipping" BOOLEAN NOT NULL DEFAULT true;
