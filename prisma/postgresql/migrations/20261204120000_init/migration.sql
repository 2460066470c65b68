-- The PostgreSQL schema of every model in prisma/postgresql/schema.prisma, as of the SQLite migrations up to
-- 20261204100000_selling_variants (`prisma migrate diff --from-empty`). The analytics triggers follow in the
-- next migration. docs/decisions/0021-postgresql.md.

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL,
    "allocationPolicy" TEXT NOT NULL DEFAULT 'fifo',
    "priorityTags" TEXT NOT NULL DEFAULT '[]',
    "allocationWindow" TEXT NOT NULL DEFAULT 'immediate',
    "cutoffTime" TEXT NOT NULL DEFAULT '16:00',
    "automaticCutoff" BOOLEAN NOT NULL DEFAULT true,
    "partialShipment" TEXT NOT NULL DEFAULT 'ship_available',
    "thresholdPercent" INTEGER NOT NULL DEFAULT 50,
    "neverSplitProducts" TEXT NOT NULL DEFAULT '[]',
    "leadDays" INTEGER NOT NULL DEFAULT 14,
    "reminderDays" INTEGER NOT NULL DEFAULT 3,
    "deadlineDays" INTEGER NOT NULL DEFAULT 30,
    "consentRecorded" BOOLEAN NOT NULL DEFAULT false,
    "expiryAction" TEXT NOT NULL DEFAULT 'cancel',
    "refundShipping" BOOLEAN NOT NULL DEFAULT true,
    "moveToStock" BOOLEAN NOT NULL DEFAULT false,
    "backorderCap" INTEGER,
    "variantCaps" TEXT NOT NULL DEFAULT '{}',
    "orderTag" TEXT NOT NULL DEFAULT 'backordered',
    "badgeEnabled" BOOLEAN NOT NULL DEFAULT true,
    "badgeText" TEXT,
    "badgeShowDate" BOOLEAN NOT NULL DEFAULT true,
    "flowEnabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "eventId" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "payload" TEXT NOT NULL,
    "resourceId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),
    "payloadReducedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "lockKey" TEXT,
    "dedupeKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "runAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedAt" TIMESTAMP(3),
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EffectLedger" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "result" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EffectLedger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackorderLine" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "orderedAt" TIMESTAMP(3) NOT NULL,
    "orderUpdatedAt" TIMESTAMP(3),
    "lineItemId" TEXT NOT NULL,
    "variantId" TEXT,
    "productId" TEXT,
    "inventoryItemId" TEXT,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "customerId" TEXT,
    "customerName" TEXT,
    "customerEmail" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "unitPriceCents" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "quantity" INTEGER NOT NULL,
    "shippedQty" INTEGER NOT NULL DEFAULT 0,
    "reservedQty" INTEGER NOT NULL DEFAULT 0,
    "backorderedQty" INTEGER NOT NULL DEFAULT 0,
    "lostQty" INTEGER NOT NULL DEFAULT 0,
    "lostReason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "fulfillmentOrderId" TEXT,
    "locationId" TEXT,
    "holdId" TEXT,
    "holdHandle" TEXT,
    "shipBy" TIMESTAMP(3),
    "promisedAt" TIMESTAMP(3),
    "promisedBasis" TEXT,
    "deadlineAt" TIMESTAMP(3),
    "consentUntil" TIMESTAMP(3),
    "remindedAt" TIMESTAMP(3),
    "delayNoticeAt" TIMESTAMP(3),
    "expiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackorderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RestockDate" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "productId" TEXT,
    "sku" TEXT,
    "expectedAt" TIMESTAMP(3),
    "leadDays" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RestockDate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncomingStock" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "transferId" TEXT,
    "quantity" INTEGER NOT NULL,
    "arrivesAt" TIMESTAMP(3) NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IncomingStock_pkey" PRIMARY KEY ("id")
);

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

    CONSTRAINT "SellingVariant_pkey" PRIMARY KEY ("shop","variantId")
);

-- CreateTable
CREATE TABLE "TimelineEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "backorderLineId" TEXT,
    "kind" TEXT NOT NULL,
    "quantity" INTEGER,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TimelineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LostSale" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "lineItemId" TEXT,
    "variantId" TEXT,
    "productId" TEXT,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceCents" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LostSale_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LostSaleDay" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "sales" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "cents" BIGINT NOT NULL,

    CONSTRAINT "LostSaleDay_pkey" PRIMARY KEY ("shop","day","reason")
);

-- CreateTable
CREATE TABLE "LostSaleProductDay" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "productKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sales" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "cents" BIGINT NOT NULL,

    CONSTRAINT "LostSaleProductDay_pkey" PRIMARY KEY ("shop","day","productKey","title")
);

-- CreateTable
CREATE TABLE "LostSaleProductWeek" (
    "shop" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "productKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sales" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "cents" BIGINT NOT NULL,

    CONSTRAINT "LostSaleProductWeek_pkey" PRIMARY KEY ("shop","week","productKey","title")
);

-- CreateTable
CREATE TABLE "BackorderDay" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "lines" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "shipped" INTEGER NOT NULL,

    CONSTRAINT "BackorderDay_pkey" PRIMARY KEY ("shop","day")
);

-- CreateTable
CREATE TABLE "OpenBackorders" (
    "shop" TEXT NOT NULL,
    "lines" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,

    CONSTRAINT "OpenBackorders_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "AnalyticsLine" (
    "lineId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderedAt" TIMESTAMP(3) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "shippedQty" INTEGER NOT NULL,
    "lastReleasedAt" TIMESTAMP(3),
    "waitMs" BIGINT,

    CONSTRAINT "AnalyticsLine_pkey" PRIMARY KEY ("lineId")
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "result" TEXT NOT NULL DEFAULT '{}',
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComplianceRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "bulkOperationId" TEXT,
    "objectCount" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "healed" INTEGER NOT NULL DEFAULT 0,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowTriggerUsage" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "observedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowTriggerUsage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "FlowTriggerEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PendingAllocation" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "grants" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingAllocation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_topic_receivedAt_idx" ON "WebhookDelivery"("shop", "topic", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_resourceId_idx" ON "WebhookDelivery"("shop", "resourceId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_payloadReducedAt_receivedAt_idx" ON "WebhookDelivery"("shop", "payloadReducedAt", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_webhookId_key" ON "WebhookDelivery"("shop", "webhookId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_topic_eventId_key" ON "WebhookDelivery"("shop", "topic", "eventId");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_shop_status_idx" ON "Job"("shop", "status");

-- CreateIndex
CREATE INDEX "Job_lockKey_status_idx" ON "Job"("lockKey", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Job_shop_dedupeKey_key" ON "Job"("shop", "dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "EffectLedger_shop_key_key" ON "EffectLedger"("shop", "key");

-- CreateIndex
CREATE INDEX "BackorderLine_shop_status_idx" ON "BackorderLine"("shop", "status");

-- CreateIndex
CREATE INDEX "BackorderLine_shop_inventoryItemId_status_idx" ON "BackorderLine"("shop", "inventoryItemId", "status");

-- CreateIndex
CREATE INDEX "BackorderLine_shop_orderId_idx" ON "BackorderLine"("shop", "orderId");

-- CreateIndex
CREATE INDEX "BackorderLine_shop_deadlineAt_idx" ON "BackorderLine"("shop", "deadlineAt");

-- CreateIndex
CREATE UNIQUE INDEX "BackorderLine_shop_lineItemId_key" ON "BackorderLine"("shop", "lineItemId");

-- CreateIndex
CREATE UNIQUE INDEX "RestockDate_shop_ownerId_key" ON "RestockDate"("shop", "ownerId");

-- CreateIndex
CREATE INDEX "IncomingStock_shop_sourceId_idx" ON "IncomingStock"("shop", "sourceId");

-- CreateIndex
CREATE INDEX "IncomingStock_shop_transferId_idx" ON "IncomingStock"("shop", "transferId");

-- CreateIndex
CREATE UNIQUE INDEX "IncomingStock_shop_inventoryItemId_locationId_sourceId_key" ON "IncomingStock"("shop", "inventoryItemId", "locationId", "sourceId");

-- CreateIndex
CREATE INDEX "SellingVariant_shop_productTitle_title_idx" ON "SellingVariant"("shop", "productTitle", "title");

-- CreateIndex
CREATE INDEX "SellingVariant_shop_productId_idx" ON "SellingVariant"("shop", "productId");

-- CreateIndex
CREATE INDEX "TimelineEvent_shop_orderId_at_idx" ON "TimelineEvent"("shop", "orderId", "at");

-- CreateIndex
CREATE INDEX "TimelineEvent_shop_at_idx" ON "TimelineEvent"("shop", "at");

-- CreateIndex
CREATE INDEX "TimelineEvent_backorderLineId_kind_at_idx" ON "TimelineEvent"("backorderLineId", "kind", "at");

-- CreateIndex
CREATE INDEX "LostSale_shop_at_idx" ON "LostSale"("shop", "at");

-- CreateIndex
CREATE INDEX "LostSale_shop_reason_idx" ON "LostSale"("shop", "reason");

-- CreateIndex
CREATE INDEX "LostSale_shop_productId_idx" ON "LostSale"("shop", "productId");

-- CreateIndex
CREATE INDEX "AnalyticsLine_shop_orderedAt_lastReleasedAt_waitMs_idx" ON "AnalyticsLine"("shop", "orderedAt", "lastReleasedAt", "waitMs");

-- CreateIndex
CREATE INDEX "ComplianceRequest_shop_topic_idx" ON "ComplianceRequest"("shop", "topic");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceRequest_shop_webhookId_key" ON "ComplianceRequest"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "SyncRun_shop_kind_startedAt_idx" ON "SyncRun"("shop", "kind", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerUsage_shop_trigger_key" ON "FlowTriggerUsage"("shop", "trigger");

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_shop_status_idx" ON "FlowTriggerEvent"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerEvent_shop_key_key" ON "FlowTriggerEvent"("shop", "key");

-- CreateIndex
CREATE UNIQUE INDEX "PendingAllocation_shop_inventoryItemId_key" ON "PendingAllocation"("shop", "inventoryItemId");

-- AddForeignKey
ALTER TABLE "TimelineEvent" ADD CONSTRAINT "TimelineEvent_backorderLineId_fkey" FOREIGN KEY ("backorderLineId") REFERENCES "BackorderLine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

