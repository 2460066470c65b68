-- The location each backordered line waits at: stock is shared per location, not summed over them.
ALTER TABLE "BackorderLine" ADD COLUMN "locationId" TEXT;
