-- CreateTable
CREATE TABLE "SellingVariant" (
    "shop" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "productTitle" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sku" TEXT,
    "syncRun" TEXT NOT NULL,

    PRIMARY KEY ("shop", "variantId")
);

-- CreateIndex
CREATE INDEX "SellingVariant_shop_productTitle_title_idx" ON "SellingVariant"("shop", "productTitle", "title");

-- CreateIndex
CREATE INDEX "SellingVariant_shop_productId_idx" ON "SellingVariant"("shop", "productId");
