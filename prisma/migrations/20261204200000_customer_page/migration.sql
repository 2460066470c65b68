-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN "shipReadyOnRequest" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OrderAccess" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,

    PRIMARY KEY ("shop", "orderId")
);

-- CreateTable
CREATE TABLE "FormToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "FormToken_tokenHash_key" ON "FormToken"("tokenHash");

-- CreateIndex
CREATE INDEX "FormToken_shop_expiresAt_idx" ON "FormToken"("shop", "expiresAt");
