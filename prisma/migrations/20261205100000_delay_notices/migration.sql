-- CreateTable
CREATE TABLE "DelayNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "backorderLineId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sentAt" DATETIME NOT NULL,
    "fromAt" DATETIME NOT NULL,
    "revisedAt" DATETIME NOT NULL,
    "silenceIsConsent" BOOLEAN NOT NULL,
    "replyBy" DATETIME,
    CONSTRAINT "DelayNotice_backorderLineId_fkey" FOREIGN KEY ("backorderLineId") REFERENCES "BackorderLine" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DelayNotice_shop_orderId_idx" ON "DelayNotice"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "DelayNotice_backorderLineId_fromAt_key" ON "DelayNotice"("backorderLineId", "fromAt");

