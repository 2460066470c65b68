-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "PendingAllocation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "grants" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerEvent_shop_key_key" ON "FlowTriggerEvent"("shop", "key");

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_shop_status_idx" ON "FlowTriggerEvent"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PendingAllocation_shop_inventoryItemId_key" ON "PendingAllocation"("shop", "inventoryItemId");
