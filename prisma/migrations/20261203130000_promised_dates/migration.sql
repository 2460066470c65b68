-- AlterTable
ALTER TABLE "BackorderLine" ADD COLUMN "promisedBasis" TEXT;

-- CreateTable
CREATE TABLE "RestockDate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "productId" TEXT,
    "sku" TEXT,
    "expectedAt" DATETIME,
    "leadDays" INTEGER,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "IncomingStock" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "transferId" TEXT,
    "quantity" INTEGER NOT NULL,
    "arrivesAt" DATETIME NOT NULL,
    "readAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "RestockDate_shop_ownerId_key" ON "RestockDate"("shop", "ownerId");

-- CreateIndex
CREATE INDEX "IncomingStock_shop_sourceId_idx" ON "IncomingStock"("shop", "sourceId");

-- CreateIndex
CREATE INDEX "IncomingStock_shop_transferId_idx" ON "IncomingStock"("shop", "transferId");

-- CreateIndex
CREATE UNIQUE INDEX "IncomingStock_shop_inventoryItemId_locationId_sourceId_key" ON "IncomingStock"("shop", "inventoryItemId", "locationId", "sourceId");

