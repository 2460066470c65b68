-- AlterTable: in a batch window, whether the cut-off runs every day at cutoffTime (default) or only when the
-- merchant runs it from the Backorders page.
ALTER TABLE "ShopSettings" ADD COLUMN "automaticCutoff" BOOLEAN NOT NULL DEFAULT true;
