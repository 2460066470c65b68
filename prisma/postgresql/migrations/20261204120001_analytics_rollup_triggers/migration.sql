-- The Analytics rollups' triggers (docs/decisions/0011-analytics-rollups.md) in PL/pgSQL: the same groups the
-- SQLite migration 20261128090000_analytics_rollups keeps, changed inside the statement that writes the raw rows.
-- A day is the UTC date of the timestamp ("YYYY-MM-DD"; Prisma stores DateTime as UTC timestamp(3)); a week is
-- named by its Monday (date_trunc's ISO week). A group row counts its raw rows and goes with the last one; a
-- changed row leaves its old groups and joins its new ones. The tables are empty when this runs (the previous
-- migration created them), so there is nothing to backfill. app/models/analytics.server.test.ts is the
-- specification, run on both providers.

CREATE FUNCTION "bk_day"(t TIMESTAMP(3)) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t, 'YYYY-MM-DD')
$$;

CREATE FUNCTION "bk_week"(t TIMESTAMP(3)) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(date_trunc('week', t), 'YYYY-MM-DD')
$$;

-- Whole milliseconds from `a` to `b` (both carry milliseconds).
CREATE FUNCTION "bk_wait_ms"(a TIMESTAMP(3), b TIMESTAMP(3)) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
  SELECT round(extract(epoch FROM (b - a)) * 1000)::BIGINT
$$;

-- One lost sale joins (+1) or leaves (-1) its three groups.
CREATE FUNCTION "bk_lost_sale_groups"(r "LostSale", change INTEGER) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  k TEXT := COALESCE(r."productId", r."title");
  c BIGINT := r."quantity"::BIGINT * r."unitPriceCents";
BEGIN
  IF change > 0 THEN
    INSERT INTO "LostSaleDay" AS g ("shop", "day", "reason", "sales", "units", "cents")
    VALUES (r."shop", bk_day(r."at"), r."reason", 1, r."quantity", c)
    ON CONFLICT ("shop", "day", "reason") DO UPDATE SET
      "sales" = g."sales" + 1, "units" = g."units" + excluded."units", "cents" = g."cents" + excluded."cents";
    INSERT INTO "LostSaleProductDay" AS g ("shop", "day", "productKey", "title", "sales", "units", "cents")
    VALUES (r."shop", bk_day(r."at"), k, r."title", 1, r."quantity", c)
    ON CONFLICT ("shop", "day", "productKey", "title") DO UPDATE SET
      "sales" = g."sales" + 1, "units" = g."units" + excluded."units", "cents" = g."cents" + excluded."cents";
    INSERT INTO "LostSaleProductWeek" AS g ("shop", "week", "productKey", "title", "sales", "units", "cents")
    VALUES (r."shop", bk_week(r."at"), k, r."title", 1, r."quantity", c)
    ON CONFLICT ("shop", "week", "productKey", "title") DO UPDATE SET
      "sales" = g."sales" + 1, "units" = g."units" + excluded."units", "cents" = g."cents" + excluded."cents";
  ELSE
    UPDATE "LostSaleDay" g SET "sales" = g."sales" - 1, "units" = g."units" - r."quantity", "cents" = g."cents" - c
    WHERE g."shop" = r."shop" AND g."day" = bk_day(r."at") AND g."reason" = r."reason";
    DELETE FROM "LostSaleDay" g
    WHERE g."shop" = r."shop" AND g."day" = bk_day(r."at") AND g."reason" = r."reason" AND g."sales" = 0;
    UPDATE "LostSaleProductDay" g SET "sales" = g."sales" - 1, "units" = g."units" - r."quantity", "cents" = g."cents" - c
    WHERE g."shop" = r."shop" AND g."day" = bk_day(r."at") AND g."productKey" = k AND g."title" = r."title";
    DELETE FROM "LostSaleProductDay" g
    WHERE g."shop" = r."shop" AND g."day" = bk_day(r."at") AND g."productKey" = k AND g."title" = r."title"
      AND g."sales" = 0;
    UPDATE "LostSaleProductWeek" g SET "sales" = g."sales" - 1, "units" = g."units" - r."quantity", "cents" = g."cents" - c
    WHERE g."shop" = r."shop" AND g."week" = bk_week(r."at") AND g."productKey" = k AND g."title" = r."title";
    DELETE FROM "LostSaleProductWeek" g
    WHERE g."shop" = r."shop" AND g."week" = bk_week(r."at") AND g."productKey" = k AND g."title" = r."title"
      AND g."sales" = 0;
  END IF;
END
$$;

CREATE FUNCTION "LostSale_rollup"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM bk_lost_sale_groups(OLD, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM bk_lost_sale_groups(NEW, 1); END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "LostSale_rollup"
AFTER INSERT OR DELETE OR UPDATE OF "shop", "at", "reason", "productId", "title", "quantity", "unitPriceCents"
ON "LostSale" FOR EACH ROW EXECUTE FUNCTION "LostSale_rollup"();

-- One line joins (+1) or leaves (-1) its day.
CREATE FUNCTION "bk_backorder_day"(r "BackorderLine", change INTEGER) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  IF change > 0 THEN
    INSERT INTO "BackorderDay" AS g ("shop", "day", "lines", "units", "shipped")
    VALUES (r."shop", bk_day(r."orderedAt"), 1, r."quantity", r."shippedQty")
    ON CONFLICT ("shop", "day") DO UPDATE SET
      "lines" = g."lines" + 1, "units" = g."units" + excluded."units", "shipped" = g."shipped" + excluded."shipped";
  ELSE
    UPDATE "BackorderDay" g SET "lines" = g."lines" - 1, "units" = g."units" - r."quantity", "shipped" = g."shipped" - r."shippedQty"
    WHERE g."shop" = r."shop" AND g."day" = bk_day(r."orderedAt");
    DELETE FROM "BackorderDay" g WHERE g."shop" = r."shop" AND g."day" = bk_day(r."orderedAt") AND g."lines" = 0;
  END IF;
END
$$;

-- One line joins (+1) or leaves (-1) its shop's open backorders, if it is open. The statuses are
-- app/models/queue.server.ts OPEN_STATUSES (repeated here, as in the SQLite triggers).
CREATE FUNCTION "bk_open_backorders"(r "BackorderLine", change INTEGER) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  IF change > 0 THEN
    IF r."status" IN ('waiting', 'partially_allocated') THEN
      INSERT INTO "OpenBackorders" AS g ("shop", "lines", "units") VALUES (r."shop", 1, r."backorderedQty")
      ON CONFLICT ("shop") DO UPDATE SET "lines" = g."lines" + 1, "units" = g."units" + excluded."units";
    END IF;
  ELSE
    IF r."status" IN ('waiting', 'partially_allocated') THEN
      UPDATE "OpenBackorders" g SET "lines" = g."lines" - 1, "units" = g."units" - r."backorderedQty"
      WHERE g."shop" = r."shop";
    END IF;
    DELETE FROM "OpenBackorders" g WHERE g."shop" = r."shop" AND g."lines" = 0;
  END IF;
END
$$;

-- The line's AnalyticsLine row, with its last release of its own shop.
CREATE FUNCTION "bk_analytics_line_insert"(r "BackorderLine") RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AnalyticsLine" ("lineId", "shop", "orderedAt", "quantity", "shippedQty", "lastReleasedAt", "waitMs")
  SELECT r."id", r."shop", r."orderedAt", r."quantity", r."shippedQty", MAX(e."at"), bk_wait_ms(r."orderedAt", MAX(e."at"))
  FROM "TimelineEvent" e WHERE e."backorderLineId" = r."id" AND e."kind" = 'released' AND e."shop" = r."shop";
END
$$;

CREATE FUNCTION "BackorderLine_rollup"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM bk_backorder_day(NEW, 1);
    PERFORM bk_open_backorders(NEW, 1);
    PERFORM bk_analytics_line_insert(NEW);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM bk_backorder_day(OLD, -1);
    PERFORM bk_open_backorders(OLD, -1);
    DELETE FROM "AnalyticsLine" WHERE "lineId" = OLD."id";
  ELSE
    IF (OLD."shop", OLD."orderedAt", OLD."quantity", OLD."shippedQty")
       IS DISTINCT FROM (NEW."shop", NEW."orderedAt", NEW."quantity", NEW."shippedQty") THEN
      PERFORM bk_backorder_day(OLD, -1);
      PERFORM bk_backorder_day(NEW, 1);
    END IF;
    IF (OLD."shop", OLD."status", OLD."backorderedQty") IS DISTINCT FROM (NEW."shop", NEW."status", NEW."backorderedQty") THEN
      PERFORM bk_open_backorders(OLD, -1);
      PERFORM bk_open_backorders(NEW, 1);
    END IF;
    IF (OLD."quantity", OLD."shippedQty") IS DISTINCT FROM (NEW."quantity", NEW."shippedQty") THEN
      UPDATE "AnalyticsLine" SET "quantity" = NEW."quantity", "shippedQty" = NEW."shippedQty" WHERE "lineId" = NEW."id";
    END IF;
    IF (OLD."id", OLD."shop", OLD."orderedAt") IS DISTINCT FROM (NEW."id", NEW."shop", NEW."orderedAt") THEN
      DELETE FROM "AnalyticsLine" WHERE "lineId" IN (OLD."id", NEW."id");
      PERFORM bk_analytics_line_insert(NEW);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- The pipeline changes shippedQty, status and backorderedQty as units ship or are lost; the other columns never
-- reach the rollups.
CREATE TRIGGER "BackorderLine_rollup"
AFTER INSERT OR DELETE OR UPDATE OF "id", "shop", "orderedAt", "quantity", "shippedQty", "status", "backorderedQty"
ON "BackorderLine" FOR EACH ROW EXECUTE FUNCTION "BackorderLine_rollup"();

-- A line's last release and its wait, recomputed from its events.
CREATE FUNCTION "bk_last_release"(line_id TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "AnalyticsLine" a SET "lastReleasedAt" = r."at", "waitMs" = bk_wait_ms(a."orderedAt", r."at")
  FROM (
    SELECT MAX(e."at") AS "at" FROM "TimelineEvent" e, "AnalyticsLine" l
    WHERE l."lineId" = line_id AND e."backorderLineId" = l."lineId" AND e."kind" = 'released' AND e."shop" = l."shop"
  ) r
  WHERE a."lineId" = line_id;
END
$$;

-- TimelineEvent (kind 'released') → AnalyticsLine. A new release can only move the line's last release later;
-- a changed or deleted one recomputes it from the line's events.
CREATE FUNCTION "TimelineEvent_release"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."kind" = 'released' AND NEW."backorderLineId" IS NOT NULL THEN
      UPDATE "AnalyticsLine" SET "lastReleasedAt" = NEW."at", "waitMs" = bk_wait_ms("orderedAt", NEW."at")
      WHERE "lineId" = NEW."backorderLineId" AND "shop" = NEW."shop"
        AND ("lastReleasedAt" IS NULL OR NEW."at" > "lastReleasedAt");
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD."kind" = 'released' AND OLD."backorderLineId" IS NOT NULL THEN
      PERFORM bk_last_release(OLD."backorderLineId");
    END IF;
  ELSIF (OLD."kind" = 'released' OR NEW."kind" = 'released')
    AND (OLD."shop", OLD."backorderLineId", OLD."kind", OLD."at")
        IS DISTINCT FROM (NEW."shop", NEW."backorderLineId", NEW."kind", NEW."at") THEN
    IF OLD."backorderLineId" IS NOT NULL THEN PERFORM bk_last_release(OLD."backorderLineId"); END IF;
    IF NEW."backorderLineId" IS NOT NULL AND NEW."backorderLineId" IS DISTINCT FROM OLD."backorderLineId" THEN
      PERFORM bk_last_release(NEW."backorderLineId");
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "TimelineEvent_release"
AFTER INSERT OR DELETE OR UPDATE OF "shop", "backorderLineId", "kind", "at"
ON "TimelineEvent" FOR EACH ROW EXECUTE FUNCTION "TimelineEvent_release"();
