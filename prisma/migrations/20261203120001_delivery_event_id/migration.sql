-- Deliveries recorded before this index may repeat an event under two webhook ids: the earliest keeps the
-- event id, so the unique index can be built; the later ones stay, their jobs already ran.
UPDATE "WebhookDelivery" SET "eventId" = NULL
WHERE "eventId" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "WebhookDelivery" AS "earlier"
  WHERE "earlier"."shop" = "WebhookDelivery"."shop"
    AND "earlier"."topic" = "WebhookDelivery"."topic"
    AND "earlier"."eventId" = "WebhookDelivery"."eventId"
    AND ("earlier"."receivedAt" < "WebhookDelivery"."receivedAt"
      OR ("earlier"."receivedAt" = "WebhookDelivery"."receivedAt" AND "earlier"."id" < "WebhookDelivery"."id"))
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_topic_eventId_key" ON "WebhookDelivery"("shop", "topic", "eventId");
