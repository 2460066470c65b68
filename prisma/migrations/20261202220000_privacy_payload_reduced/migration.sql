-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "payloadReducedAt" DATETIME;

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_payloadReducedAt_receivedAt_idx" ON "WebhookDelivery"("shop", "payloadReducedAt", "receivedAt");
