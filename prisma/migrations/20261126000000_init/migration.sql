-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
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
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "allocationPolicy" TEXT NOT NULL DEFAULT 'fifo',
    "priorityTags" TEXT NOT NULL DEFAULT '[]',
    "allocationWindow" TEXT NOT NULL DEFAULT 'immediate',
    "cutoffTime" TEXT NOT NULL DEFAULT '16:00',
    "partialShipment" TEXT NOT NULL DEFAULT 'ship_available',
    "thresholdPercent" INTEGER NOT NULL DEFAULT 50,
    "neverSplitProducts" TEXT NOT NULL DEFAULT '[]',
    "leadDays" INTEGER NOT NULL DEFAULT 14,
    "reminderDays" INTEGER NOT NULL DEFAULT 3,
    "deadlineDays" INTEGER NOT NULL DEFAULT 30,
    "consentRecorded" BOOLEAN NOT NULL DEFAULT false,
    "expiryAction" TEXT NOT NULL DEFAULT 'cancel',
    "backorderCap" INTEGER,
    "variantCaps" TEXT NOT NULL DEFAULT '{}',
    "orderTag" TEXT NOT NULL DEFAULT 'backordered',
    "badgeEnabled" BOOLEAN NOT NULL DEFAULT true,
    "badgeText" TEXT,
    "badgeShowDate" BOOLEAN NOT NULL DEFAULT true,
    "flowEnabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "eventId" TEXT,
    "triggeredAt" DATETIME,
    "payload" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "lockKey" TEXT,
    "dedupeKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedAt" DATETIME,
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EffectLedger" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "result" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "BackorderLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "orderedAt" DATETIME NOT NULL,
    "orderUpdatedAt" DATETIME,
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
    "holdId" TEXT,
    "holdHandle" TEXT,
    "shipBy" DATETIME,
    "promisedAt" DATETIME,
    "deadlineAt" DATETIME,
    "consentUntil" DATETIME,
    "remindedAt" DATETIME,
    "delayNoticeAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TimelineEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "backorderLineId" TEXT,
    "kind" TEXT NOT NULL,
    "quantity" INTEGER,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TimelineEvent_backorderLineId_fkey" FOREIGN KEY ("backorderLineId") REFERENCES "BackorderLine" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LostSale" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "result" TEXT NOT NULL DEFAULT '{}',
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_topic_receivedAt_idx" ON "WebhookDelivery"("shop", "topic", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_webhookId_key" ON "WebhookDelivery"("shop", "webhookId");

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
CREATE INDEX "TimelineEvent_shop_orderId_at_idx" ON "TimelineEvent"("shop", "orderId", "at");

-- CreateIndex
CREATE INDEX "TimelineEvent_shop_at_idx" ON "TimelineEvent"("shop", "at");

-- CreateIndex
CREATE INDEX "LostSale_shop_at_idx" ON "LostSale"("shop", "at");

-- CreateIndex
CREATE INDEX "LostSale_shop_reason_idx" ON "LostSale"("shop", "reason");

-- CreateIndex
CREATE INDEX "LostSale_shop_productId_idx" ON "LostSale"("shop", "productId");

-- CreateIndex
CREATE INDEX "ComplianceRequest_shop_topic_idx" ON "ComplianceRequest"("shop", "topic");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceRequest_shop_webhookId_key" ON "ComplianceRequest"("shop", "webhookId");

