-- Read-side rollups of the Analytics page (docs/decisions/0011-analytics-rollups.md): the tables, their
-- backfill from the rows already written, and the triggers that keep them equal to those rows from then on,
-- inside the statement that writes the rows (so inside its transaction). A day is the first ten characters
-- of the stored timestamp (ISO text, UTC); a week is named by its Monday. A group row counts its raw rows and
-- goes with the last one. Group tables are WITHOUT ROWID: a range of their key is read in order, values included.

-- CreateTable
CREATE TABLE "LostSaleDay" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "sales" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "cents" BIGINT NOT NULL,

    PRIMARY KEY ("shop", "day", "reason")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "LostSaleProductDay" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "productKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sales" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "cents" BIGINT NOT NULL,

    PRIMARY KEY ("shop", "day", "productKey", "title")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "LostSaleProductWeek" (
    "shop" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "productKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sales" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "cents" BIGINT NOT NULL,

    PRIMARY KEY ("shop", "week", "productKey", "title")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "BackorderDay" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "lines" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "shipped" INTEGER NOT NULL,

    PRIMARY KEY ("shop", "day")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "OpenBackorders" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "lines" INTEGER NOT NULL,
    "units" INTEGER NOT NULL
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "AnalyticsLine" (
    "lineId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderedAt" DATETIME NOT NULL,
    "quantity" INTEGER NOT NULL,
    "shippedQty" INTEGER NOT NULL,
    "lastReleasedAt" DATETIME,
    "waitMs" BIGINT
);

-- CreateIndex
CREATE INDEX "AnalyticsLine_shop_orderedAt_lastReleasedAt_waitMs_idx" ON "AnalyticsLine"("shop", "orderedAt", "lastReleasedAt", "waitMs");

-- CreateIndex
CREATE INDEX "TimelineEvent_backorderLineId_kind_at_idx" ON "TimelineEvent"("backorderLineId", "kind", "at");

-- Backfill from the rows already written.
INSERT INTO "LostSaleDay" ("shop", "day", "reason", "sales", "units", "cents")
SELECT "shop", substr("at", 1, 10), "reason", COUNT(*), SUM("quantity"), SUM("quantity" * "unitPriceCents")
FROM "LostSale" GROUP BY 1, 2, 3;

INSERT INTO "LostSaleProductDay" ("shop", "day", "productKey", "title", "sales", "units", "cents")
SELECT "shop", substr("at", 1, 10), COALESCE("productId", "title"), "title", COUNT(*), SUM("quantity"),
       SUM("quantity" * "unitPriceCents")
FROM "LostSale" GROUP BY 1, 2, 3, 4;

INSERT INTO "LostSaleProductWeek" ("shop", "week", "productKey", "title", "sales", "units", "cents")
SELECT "shop", date(substr("at", 1, 10), '-6 days', 'weekday 1'), COALESCE("productId", "title"), "title",
       COUNT(*), SUM("quantity"), SUM("quantity" * "unitPriceCents")
FROM "LostSale" GROUP BY 1, 2, 3, 4;

INSERT INTO "BackorderDay" ("shop", "day", "lines", "units", "shipped")
SELECT "shop", substr("orderedAt", 1, 10), COUNT(*), SUM("quantity"), SUM("shippedQty")
FROM "BackorderLine" GROUP BY 1, 2;

INSERT INTO "OpenBackorders" ("shop", "lines", "units")
SELECT "shop", COUNT(*), SUM("backorderedQty") FROM "BackorderLine" WHERE "status" IN ('waiting', 'partially_allocated') GROUP BY 1;

-- The wait in whole milliseconds: both timestamps carry milliseconds, and julianday's double resolves ~40 µs.
INSERT INTO "AnalyticsLine" ("lineId", "shop", "orderedAt", "quantity", "shippedQty", "lastReleasedAt", "waitMs")
SELECT l."id", l."shop", l."orderedAt", l."quantity", l."shippedQty", r."at", CAST(round((julianday(r."at") - julianday(l."orderedAt")) * 86400000) AS INTEGER)
FROM "BackorderLine" l
LEFT JOIN (
  SELECT "backorderLineId", "shop", MAX("at") AS "at" FROM "TimelineEvent"
  WHERE "kind" = 'released' AND "backorderLineId" IS NOT NULL GROUP BY 1, 2
) r ON r."backorderLineId" = l."id" AND r."shop" = l."shop";

-- LostSale → LostSaleDay, LostSaleProductDay, LostSaleProductWeek. A changed row leaves its old groups and
-- joins its new ones.
CREATE TRIGGER "LostSale_rollup_insert" AFTER INSERT ON "LostSale"
BEGIN
  INSERT INTO "LostSaleDay" ("shop", "day", "reason", "sales", "units", "cents")
  VALUES (NEW."shop", substr(NEW."at", 1, 10), NEW."reason", 1, NEW."quantity", NEW."quantity" * NEW."unitPriceCents")
  ON CONFLICT ("shop", "day", "reason") DO UPDATE SET
    "sales" = "sales" + 1, "units" = "units" + excluded."units", "cents" = "cents" + excluded."cents";
  INSERT INTO "LostSaleProductDay" ("shop", "day", "productKey", "title", "sales", "units", "cents")
  VALUES (NEW."shop", substr(NEW."at", 1, 10), COALESCE(NEW."productId", NEW."title"), NEW."title", 1, NEW."quantity", NEW."quantity" * NEW."unitPriceCents")
  ON CONFLICT ("shop", "day", "productKey", "title") DO UPDATE SET
    "sales" = "sales" + 1, "units" = "units" + excluded."units", "cents" = "cents" + excluded."cents";
  INSERT INTO "LostSaleProductWeek" ("shop", "week", "productKey", "title", "sales", "units", "cents")
  VALUES (NEW."shop", date(substr(NEW."at", 1, 10), '-6 days', 'weekday 1'), COALESCE(NEW."productId", NEW."title"), NEW."title", 1, NEW."quantity", NEW."quantity" * NEW."unitPriceCents")
  ON CONFLICT ("shop", "week", "productKey", "title") DO UPDATE SET
    "sales" = "sales" + 1, "units" = "units" + excluded."units", "cents" = "cents" + excluded."cents";
END;

CREATE TRIGGER "LostSale_rollup_delete" AFTER DELETE ON "LostSale"
BEGIN
  UPDATE "LostSaleDay" SET "sales" = "sales" - 1, "units" = "units" - OLD."quantity", "cents" = "cents" - OLD."quantity" * OLD."unitPriceCents"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."at", 1, 10) AND "reason" = OLD."reason";
  DELETE FROM "LostSaleDay"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."at", 1, 10) AND "reason" = OLD."reason" AND "sales" = 0;
  UPDATE "LostSaleProductDay" SET "sales" = "sales" - 1, "units" = "units" - OLD."quantity", "cents" = "cents" - OLD."quantity" * OLD."unitPriceCents"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."at", 1, 10)
    AND "productKey" = COALESCE(OLD."productId", OLD."title") AND "title" = OLD."title";
  DELETE FROM "LostSaleProductDay"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."at", 1, 10)
    AND "productKey" = COALESCE(OLD."productId", OLD."title") AND "title" = OLD."title" AND "sales" = 0;
  UPDATE "LostSaleProductWeek" SET "sales" = "sales" - 1, "units" = "units" - OLD."quantity", "cents" = "cents" - OLD."quantity" * OLD."unitPriceCents"
  WHERE "shop" = OLD."shop" AND "week" = date(substr(OLD."at", 1, 10), '-6 days', 'weekday 1')
    AND "productKey" = COALESCE(OLD."productId", OLD."title") AND "title" = OLD."title";
  DELETE FROM "LostSaleProductWeek"
  WHERE "shop" = OLD."shop" AND "week" = date(substr(OLD."at", 1, 10), '-6 days', 'weekday 1')
    AND "productKey" = COALESCE(OLD."productId", OLD."title") AND "title" = OLD."title" AND "sales" = 0;
END;

CREATE TRIGGER "LostSale_rollup_update"
AFTER UPDATE OF "shop", "at", "reason", "productId", "title", "quantity", "unitPriceCents" ON "LostSale"
BEGIN
  UPDATE "LostSaleDay" SET "sales" = "sales" - 1, "units" = "units" - OLD."quantity", "cents" = "cents" - OLD."quantity" * OLD."unitPriceCents"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."at", 1, 10) AND "reason" = OLD."reason";
  DELETE FROM "LostSaleDay"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."at", 1, 10) AND "reason" = OLD."reason" AND "sales" = 0;
  UPDATE "LostSaleProductDay" SET "sales" = "sales" - 1, "units" = "units" - OLD."quantity", "cents" = "cents" - OLD."quantity" * OLD."unitPriceCents"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."at", 1, 10)
    AND "productKey" = COALESCE(OLD."productId", OLD."title") AND "title" = OLD."title";
  DELETE FROM "LostSaleProductDay"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."at", 1, 10)
    AND "productKey" = COALESCE(OLD."productId", OLD."title") AND "title" = OLD."title" AND "sales" = 0;
  UPDATE "LostSaleProductWeek" SET "sales" = "sales" - 1, "units" = "units" - OLD."quantity", "cents" = "cents" - OLD."quantity" * OLD."unitPriceCents"
  WHERE "shop" = OLD."shop" AND "week" = date(substr(OLD."at", 1, 10), '-6 days', 'weekday 1')
    AND "productKey" = COALESCE(OLD."productId", OLD."title") AND "title" = OLD."title";
  DELETE FROM "LostSaleProductWeek"
  WHERE "shop" = OLD."shop" AND "week" = date(substr(OLD."at", 1, 10), '-6 days', 'weekday 1')
    AND "productKey" = COALESCE(OLD."productId", OLD."title") AND "title" = OLD."title" AND "sales" = 0;
  INSERT INTO "LostSaleDay" ("shop", "day", "reason", "sales", "units", "cents")
  VALUES (NEW."shop", substr(NEW."at", 1, 10), NEW."reason", 1, NEW."quantity", NEW."quantity" * NEW."unitPriceCents")
  ON CONFLICT ("shop", "day", "reason") DO UPDATE SET
    "sales" = "sales" + 1, "units" = "units" + excluded."units", "cents" = "cents" + excluded."cents";
  INSERT INTO "LostSaleProductDay" ("shop", "day", "productKey", "title", "sales", "units", "cents")
  VALUES (NEW."shop", substr(NEW."at", 1, 10), COALESCE(NEW."productId", NEW."title"), NEW."title", 1, NEW."quantity", NEW."quantity" * NEW."unitPriceCents")
  ON CONFLICT ("shop", "day", "productKey", "title") DO UPDATE SET
    "sales" = "sales" + 1, "units" = "units" + excluded."units", "cents" = "cents" + excluded."cents";
  INSERT INTO "LostSaleProductWeek" ("shop", "week", "productKey", "title", "sales", "units", "cents")
  VALUES (NEW."shop", date(substr(NEW."at", 1, 10), '-6 days', 'weekday 1'), COALESCE(NEW."productId", NEW."title"), NEW."title", 1, NEW."quantity", NEW."quantity" * NEW."unitPriceCents")
  ON CONFLICT ("shop", "week", "productKey", "title") DO UPDATE SET
    "sales" = "sales" + 1, "units" = "units" + excluded."units", "cents" = "cents" + excluded."cents";
END;

-- BackorderLine → BackorderDay, OpenBackorders, AnalyticsLine. The pipeline changes shippedQty, status and
-- backorderedQty as units ship or are lost; the other columns never reach the rollups.
CREATE TRIGGER "BackorderLine_rollup_insert" AFTER INSERT ON "BackorderLine"
BEGIN
  INSERT INTO "BackorderDay" ("shop", "day", "lines", "units", "shipped")
  VALUES (NEW."shop", substr(NEW."orderedAt", 1, 10), 1, NEW."quantity", NEW."shippedQty")
  ON CONFLICT ("shop", "day") DO UPDATE SET
    "lines" = "lines" + 1, "units" = "units" + excluded."units", "shipped" = "shipped" + excluded."shipped";
  INSERT INTO "OpenBackorders" ("shop", "lines", "units")
  SELECT NEW."shop", 1, NEW."backorderedQty" WHERE NEW."status" IN ('waiting', 'partially_allocated')
  ON CONFLICT ("shop") DO UPDATE SET "lines" = "lines" + 1, "units" = "units" + excluded."units";
  INSERT INTO "AnalyticsLine" ("lineId", "shop", "orderedAt", "quantity", "shippedQty", "lastReleasedAt", "waitMs")
  SELECT NEW."id", NEW."shop", NEW."orderedAt", NEW."quantity", NEW."shippedQty", MAX(e."at"),
         CAST(round((julianday(MAX(e."at")) - julianday(NEW."orderedAt")) * 86400000) AS INTEGER)
  FROM "TimelineEvent" e WHERE e."backorderLineId" = NEW."id" AND e."kind" = 'released' AND e."shop" = NEW."shop";
END;

CREATE TRIGGER "BackorderLine_rollup_delete" AFTER DELETE ON "BackorderLine"
BEGIN
  UPDATE "BackorderDay" SET "lines" = "lines" - 1, "units" = "units" - OLD."quantity", "shipped" = "shipped" - OLD."shippedQty"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."orderedAt", 1, 10);
  DELETE FROM "BackorderDay" WHERE "shop" = OLD."shop" AND "day" = substr(OLD."orderedAt", 1, 10) AND "lines" = 0;
  UPDATE "OpenBackorders" SET "lines" = "lines" - 1, "units" = "units" - OLD."backorderedQty"
  WHERE "shop" = OLD."shop" AND OLD."status" IN ('waiting', 'partially_allocated');
  DELETE FROM "OpenBackorders" WHERE "shop" = OLD."shop" AND "lines" = 0;
  DELETE FROM "AnalyticsLine" WHERE "lineId" = OLD."id";
END;

CREATE TRIGGER "BackorderLine_day_update"
AFTER UPDATE OF "shop", "orderedAt", "quantity", "shippedQty" ON "BackorderLine"
WHEN OLD."shop" IS NOT NEW."shop" OR OLD."orderedAt" IS NOT NEW."orderedAt"
  OR OLD."quantity" IS NOT NEW."quantity" OR OLD."shippedQty" IS NOT NEW."shippedQty"
BEGIN
  UPDATE "BackorderDay" SET "lines" = "lines" - 1, "units" = "units" - OLD."quantity", "shipped" = "shipped" - OLD."shippedQty"
  WHERE "shop" = OLD."shop" AND "day" = substr(OLD."orderedAt", 1, 10);
  DELETE FROM "BackorderDay" WHERE "shop" = OLD."shop" AND "day" = substr(OLD."orderedAt", 1, 10) AND "lines" = 0;
  INSERT INTO "BackorderDay" ("shop", "day", "lines", "units", "shipped")
  VALUES (NEW."shop", substr(NEW."orderedAt", 1, 10), 1, NEW."quantity", NEW."shippedQty")
  ON CONFLICT ("shop", "day") DO UPDATE SET
    "lines" = "lines" + 1, "units" = "units" + excluded."units", "shipped" = "shipped" + excluded."shipped";
END;

CREATE TRIGGER "BackorderLine_open_update" AFTER UPDATE OF "shop", "status", "backorderedQty" ON "BackorderLine"
WHEN OLD."shop" IS NOT NEW."shop" OR OLD."status" IS NOT NEW."status" OR OLD."backorderedQty" IS NOT NEW."backorderedQty"
BEGIN
  UPDATE "OpenBackorders" SET "lines" = "lines" - 1, "units" = "units" - OLD."backorderedQty"
  WHERE "shop" = OLD."shop" AND OLD."status" IN ('waiting', 'partially_allocated');
  DELETE FROM "OpenBackorders" WHERE "shop" = OLD."shop" AND "lines" = 0;
  INSERT INTO "OpenBackorders" ("shop", "lines", "units")
  SELECT NEW."shop", 1, NEW."backorderedQty" WHERE NEW."status" IN ('waiting', 'partially_allocated')
  ON CONFLICT ("shop") DO UPDATE SET "lines" = "lines" + 1, "units" = "units" + excluded."units";
END;

CREATE TRIGGER "BackorderLine_units_update" AFTER UPDATE OF "quantity", "shippedQty" ON "BackorderLine"
WHEN OLD."quantity" IS NOT NEW."quantity" OR OLD."shippedQty" IS NOT NEW."shippedQty"
BEGIN
  UPDATE "AnalyticsLine" SET "quantity" = NEW."quantity", "shippedQty" = NEW."shippedQty" WHERE "lineId" = NEW."id";
END;

CREATE TRIGGER "BackorderLine_line_update" AFTER UPDATE OF "id", "shop", "orderedAt" ON "BackorderLine"
WHEN OLD."id" IS NOT NEW."id" OR OLD."shop" IS NOT NEW."shop" OR OLD."orderedAt" IS NOT NEW."orderedAt"
BEGIN
  DELETE FROM "AnalyticsLine" WHERE "lineId" IN (OLD."id", NEW."id");
  INSERT INTO "AnalyticsLine" ("lineId", "shop", "orderedAt", "quantity", "shippedQty", "lastReleasedAt", "waitMs")
  SELECT NEW."id", NEW."shop", NEW."orderedAt", NEW."quantity", NEW."shippedQty", MAX(e."at"),
         CAST(round((julianday(MAX(e."at")) - julianday(NEW."orderedAt")) * 86400000) AS INTEGER)
  FROM "TimelineEvent" e WHERE e."backorderLineId" = NEW."id" AND e."kind" = 'released' AND e."shop" = NEW."shop";
END;

-- TimelineEvent (kind 'released') → AnalyticsLine. A new release can only move the line's last release
-- later; a changed or deleted one recomputes it from the line's events.
CREATE TRIGGER "TimelineEvent_release_insert" AFTER INSERT ON "TimelineEvent"
WHEN NEW."kind" = 'released' AND NEW."backorderLineId" IS NOT NULL
BEGIN
  UPDATE "AnalyticsLine" SET "lastReleasedAt" = NEW."at", "waitMs" = CAST(round((julianday(NEW."at") - julianday("orderedAt")) * 86400000) AS INTEGER)
  WHERE "lineId" = NEW."backorderLineId" AND "shop" = NEW."shop"
    AND ("lastReleasedAt" IS NULL OR NEW."at" > "lastReleasedAt");
END;

CREATE TRIGGER "TimelineEvent_release_delete" AFTER DELETE ON "TimelineEvent"
WHEN OLD."kind" = 'released' AND OLD."backorderLineId" IS NOT NULL
BEGIN
  UPDATE "AnalyticsLine" SET "lastReleasedAt" = (
    SELECT MAX(e."at") FROM "TimelineEvent" e
    WHERE e."backorderLineId" = "AnalyticsLine"."lineId" AND e."kind" = 'released' AND e."shop" = "AnalyticsLine"."shop"
  ) WHERE "lineId" IN (OLD."backorderLineId");
  UPDATE "AnalyticsLine" SET "waitMs" = CAST(round((julianday("lastReleasedAt") - julianday("orderedAt")) * 86400000) AS INTEGER) WHERE "lineId" IN (OLD."backorderLineId");
END;

CREATE TRIGGER "TimelineEvent_release_update"
AFTER UPDATE OF "shop", "backorderLineId", "kind", "at" ON "TimelineEvent"
WHEN (OLD."kind" = 'released' OR NEW."kind" = 'released')
  AND (OLD."shop" IS NOT NEW."shop" OR OLD."backorderLineId" IS NOT NEW."backorderLineId"
    OR OLD."kind" IS NOT NEW."kind" OR OLD."at" IS NOT NEW."at")
BEGIN
  UPDATE "AnalyticsLine" SET "lastReleasedAt" = (
    SELECT MAX(e."at") FROM "TimelineEvent" e
    WHERE e."backorderLineId" = "AnalyticsLine"."lineId" AND e."kind" = 'released' AND e."shop" = "AnalyticsLine"."shop"
  ) WHERE "lineId" IN (OLD."backorderLineId", NEW."backorderLineId");
  UPDATE "AnalyticsLine" SET "waitMs" = CAST(round((julianday("lastReleasedAt") - julianday("orderedAt")) * 86400000) AS INTEGER) WHERE "lineId" IN (OLD."backorderLineId", NEW."backorderLineId");
END;
