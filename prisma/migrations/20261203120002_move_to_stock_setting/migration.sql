-- AlterTable: whether a waiting fulfillment order is moved to a location where stock arrived (default: no).
ALTER TABLE "ShopSettings" ADD COLUMN "moveToStock" BOOLEAN NOT NULL DEFAULT false;
