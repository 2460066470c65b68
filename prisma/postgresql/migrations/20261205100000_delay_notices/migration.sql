-- CreateTable
CREATE TABLE "DelayNotice" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "backorderLineId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "fromAt" TIMESTAMP(3) NOT NULL,
    "revisedAt" TIMESTAMP(3) NOT NULL,
    "silenceIsConsent" BOOLEAN NOT NULL,
    "replyBy" TIMESTAMP(3),

    CONSTRAINT "DelayNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DelayNotice_shop_orderId_idx" ON "DelayNotice"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "DelayNotice_backorderLineId_fromAt_key" ON "DelayNotice"("backorderLineId", "fromAt");

-- AddForeignKey
ALTER TABLE "DelayNotice" ADD CONSTRAINT "DelayNotice_backorderLineId_fkey" FOREIGN KEY ("backorderLineId") REFERENCES "BackorderLine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

