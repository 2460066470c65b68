-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "resourceId" TEXT;

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_resourceId_idx" ON "WebhookDelivery"("shop", "resourceId");

