-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN "shipReadyOnRequest" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OrderAccess" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "OrderAccess_pkey" PRIMARY KEY ("shop","orderId")
);

-- CreateTable
CREATE TABLE "FormToken" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FormToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FormToken_tokenHash_key" ON "FormToken"("tokenHash");

-- CreateIndex
CREATE INDEX "FormToken_shop_expiresAt_idx" ON "FormToken"("shop", "expiresAt");
