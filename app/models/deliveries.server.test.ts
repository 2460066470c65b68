import { beforeEach, describe, expect, it } from "vitest";

import { connectDatabase, type Db } from "~/db.server";

import { rawDeliveriesMentioning, recordDeliveryWithJob, type DeliveryRecord } from "./deliveries.server";
import { testDatabases } from "../../test/support/postgres";

/**
 * The intake's inbox write (plain SQL, group commit; docs/decisions/0010-webhook-intake-path.md) on both
 * providers: `?` placeholders become `$n` on PostgreSQL, ON CONFLICT DO NOTHING skips a redelivery on both, and
 * what it wrote reads back through Prisma exactly as Prisma would have written it.
 */

const SHOP = "north-star.myshopify.com";
const TRIGGERED_AT = new Date("2026-11-26T10:17:23.456Z");

function delivery(webhookId: string, extra: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    shop: SHOP,
    topic: "orders/create",
    webhookId,
    apiVersion: "2025-10",
    eventId: null,
    triggeredAt: TRIGGERED_AT,
    resourceId: "gid://shopify/Order/1",
    // An id above 2^53 stays as Shopify sent it.
    rawPayload: `{"id":9007199254740993,"webhook":"${webhookId}"}`,
    ...extra,
  };
}

const record = (db: Db, d: DeliveryRecord) =>
  recordDeliveryWithJob(db, d, (deliveryId) => ({
    shop: d.shop,
    type: `webhook:${d.topic}`,
    payload: { deliveryId },
    lockKey: `stock:${d.shop}`,
  }));

describe.each(await testDatabases())("the inbox write on $provider", ({ provider, db, url }) => {
  beforeEach(async () => {
    await db.job.deleteMany({});
    await db.webhookDelivery.deleteMany({});
  });

  it("writes one batch with its redeliveries: one delivery and one job per webhook and per event", async () => {
    const before = new Date();
    // Called together, so they share one transaction: two new webhooks, a redelivery of the first, an event
    // delivered again under a new webhook id, and the same event id on another topic (not a duplicate).
    const results = await Promise.all([
      record(db, delivery("w-1")),
      record(db, delivery("w-2", { eventId: "e-2" })),
      record(db, delivery("w-1")),
      record(db, delivery("w-3", { eventId: "e-2" })),
      record(db, delivery("w-4", { eventId: "e-2", topic: "orders/updated" })),
    ]);

    const [first, second, again, sameEvent, otherTopic] = results;
    expect(results.map((result) => result.duplicate)).toEqual([false, false, true, true, false]);
    expect(again!.deliveryId).toBe(first!.deliveryId);
    expect(sameEvent!.deliveryId).toBe(second!.deliveryId);
    const rows = await db.webhookDelivery.findMany({ orderBy: { webhookId: "asc" } });
    expect(rows.map((row) => [row.webhookId, row.topic, row.eventId])).toEqual([
      ["w-1", "orders/create", null],
      ["w-2", "orders/create", "e-2"],
      ["w-4", "orders/updated", "e-2"],
    ]);
    const one = rows[0]!;
    expect(one.payload).toBe('{"id":9007199254740993,"webhook":"w-1"}');
    expect(one.triggeredAt).toEqual(TRIGGERED_AT);
    expect(one.receivedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    expect(one.processedAt).toBeNull();
    const jobs = await db.job.findMany({ orderBy: { createdAt: "asc" } });
    expect(jobs.map((job) => JSON.parse(job.payload).deliveryId).sort()).toEqual(
      [first, second, otherTopic].map((result) => result!.deliveryId).sort(),
    );
    expect(jobs.every((job) => job.status === "queued" && job.attempts === 0 && job.maxAttempts === 8)).toBe(true);
    expect(jobs.map((job) => job.runAt.getTime() === job.createdAt.getTime())).toEqual([true, true, true]);
  });

  it("answers a later redelivery with the recorded delivery and enqueues nothing", async () => {
    const first = await record(db, delivery("w-1", { eventId: "e-1" }));
    const byWebhook = await record(db, delivery("w-1", { eventId: "e-1" }));
    const byEvent = await record(db, delivery("w-9", { eventId: "e-1" }));

    expect(first.duplicate).toBe(false);
    expect(byWebhook).toEqual({ duplicate: true, deliveryId: first.deliveryId });
    expect(byEvent).toEqual({ duplicate: true, deliveryId: first.deliveryId });
    expect(await db.webhookDelivery.count()).toBe(1);
    expect(await db.job.count()).toBe(1);
  });

  it("records a webhook once when two clients receive it at the same moment", async () => {
    // Two clients, as two web processes; SQLite has one connection per process (crash tests cover processes).
    const other = provider === "postgresql" ? connectDatabase(url) : db;
    try {
      for (let round = 0; round < 10; round++) {
        const id = `race-${round}`;
        const results = await Promise.all([record(db, delivery(id)), record(other, delivery(id))]);
        expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
        expect(new Set(results.map((result) => result.deliveryId)).size).toBe(1);
      }
      expect(await db.webhookDelivery.count()).toBe(10);
      expect(await db.job.count()).toBe(10);
    } finally {
      if (other !== db) await other.$disconnect();
    }
  });

  it("finds the raw deliveries that mention a customer whatever the case of their email", async () => {
    // customers/redact looks for the lowercased email; Shopify's payload keeps the customer's own spelling.
    const named = await record(db, delivery("w-1", { rawPayload: `{"email":"Ada.Lovelace@Example.com"}` }));
    await record(db, delivery("w-2", { rawPayload: `{"email":"grace@example.com"}` }));

    const found = await rawDeliveriesMentioning(db, SHOP, { orderIds: [], needles: ["ada.lovelace@example.com"] });

    expect(found.map((row) => row.id)).toEqual([named.deliveryId]);
  });
});
