-- CreateTable
CREATE TABLE "FlowTriggerUsage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "observedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerUsage_shop_trigger_key" ON "FlowTriggerUsage"("shop", "trigger");

