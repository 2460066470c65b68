import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildApp } from "../browser/support";
import { TMP_DIR } from "../setup/global-setup";
import { POSTGRES_ADMIN_URL } from "../support/postgres";
import {
  beyond,
  concurrencyScenario,
  doubledEffects,
  overAllocations,
  partlyReleased,
  runConcurrency,
} from "./concurrency";
import { ROOT } from "./stack";

/**
 * Issue 18's concurrency proof (test/live/concurrency.ts) at a size `npm test` affords: 60 orders in two bursts
 * with restocks and cancels on ten variants, four worker processes on PostgreSQL, one killed -9 in the middle of
 * a job. `npm run bench:concurrency` runs it at 1,000 orders and prints its figures.
 */
const ORDERS = 60;
const WORKER_BUILD = path.join(TMP_DIR, `worker-build-concurrency-${process.pid}`);

beforeAll(async () => {
  await buildApp();
  await promisify(execFile)(
    process.execPath,
    [
      path.join(ROOT, "node_modules/vite/bin/vite.js"),
      "build",
      "-c",
      "vite.worker.config.ts",
      "--outDir",
      WORKER_BUILD,
    ],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: "production" } },
  );
}, 600_000);
afterAll(() => rmSync(WORKER_BUILD, { recursive: true, force: true }));

describe("the checks of the proof", () => {
  const shop = {
    domain: "x.myshopify.com",
    variants: [{ id: 1, sku: "A", inventoryItemId: 11 }],
    inventoryLevels: [{ inventoryItemId: 11, quantities: { on_hand: 2 } }],
    orders: [
      { id: 100, lineItems: [{ id: 1000, variantId: 1 }] },
      { id: 200, lineItems: [{ id: 2000, variantId: 1 }] },
    ],
    fulfillmentOrders: [
      { id: 1, orderId: 100, status: "OPEN", holds: [], lineItems: [{ lineItemId: 1000, remainingQuantity: 2 }] },
      { id: 2, orderId: 200, status: "OPEN", holds: [], lineItems: [{ lineItemId: 2000, remainingQuantity: 1 }] },
    ],
    metafields: [{ ownerId: "gid://shopify/Order/100", namespace: "app--1--x", key: "backorder" }],
  };

  it("GIVEN two orders fulfillable for 3 units of 2 on hand THEN over-allocated when idle; while working only once the app handled both", () => {
    expect(overAllocations(shop, new Set(), true)).toEqual([
      { sku: "A", fulfillable: 3, onHand: 2, strict: true, orders: [100, 200], fulfillmentOrders: { 1: 2, 2: 1 } },
    ]);
    expect(overAllocations(shop, new Set(), false)).toEqual([]);
    expect(overAllocations(shop, new Set([200]), false)).toEqual([
      { sku: "A", fulfillable: 3, onHand: 2, strict: false, orders: [100, 200], fulfillmentOrders: { 1: 2, 2: 1 } },
    ]);
  });

  it("GIVEN a hold while on hold and a second cancel in the Admin log THEN both are doubled", () => {
    const entry = (field: string, data: unknown, variables: unknown = {}) => ({
      at: "2026-11-02T08:00:00Z",
      atMs: 0,
      shop: "x",
      operation: "Op",
      fields: { item: field },
      variables,
      status: 200,
      answer: { data: { item: data } },
      cost: 1,
    });
    const fo = { fulfillmentOrder: { id: "gid://shopify/FulfillmentOrder/1" }, userErrors: [] };
    const cancel = { orderCancelUserErrors: [] };
    expect(doubledEffects([entry("fulfillmentOrderHold", fo), entry("fulfillmentOrderReleaseHold", fo)])).toEqual([]);
    expect(
      doubledEffects([
        entry("fulfillmentOrderHold", fo),
        entry("fulfillmentOrderHold", fo),
        entry("orderCancel", cancel, { orderId: "gid://shopify/Order/7" }),
        entry("orderCancel", cancel, { orderId: "gid://shopify/Order/7" }),
      ]),
    ).toHaveLength(2);
  });

  it("GIVEN a release then a hold of some units of one fulfillment order THEN only its samples are set apart", () => {
    const entry = (operation: string, fields: Record<string, string>, variables: unknown) => ({
      at: "2026-11-02T08:00:00Z",
      atMs: 0,
      shop: "x",
      operation,
      fields,
      variables,
      status: 200,
      answer: { data: {} },
      cost: 1,
    });
    const fo = (id: number) => `gid://shopify/FulfillmentOrder/${id}`;
    const partly = partlyReleased([
      entry("FulfillmentOrderReleaseHoldBatch", { item0: "fulfillmentOrderReleaseHold" }, { id_0: fo(1) }),
      entry(
        "BackorderExtraHold",
        { fulfillmentOrderHold: "fulfillmentOrderHold" },
        {
          id: fo(1),
          hold: { fulfillmentOrderLineItems: [{ id: "x", quantity: 1 }] },
        },
      ),
      entry("FulfillmentOrderReleaseHoldBatch", { item0: "fulfillmentOrderReleaseHold" }, { id_0: fo(2) }),
    ]);
    expect([...partly]).toEqual([1]);
    const sample = { sku: "A", onHand: 1, orders: [], strict: false };
    const inWindow = { ...sample, fulfillable: 3, fulfillmentOrders: { 1: 2, 2: 1 } };
    const over = { ...sample, fulfillable: 3, fulfillmentOrders: { 1: 1, 2: 2 } };
    expect(beyond([inWindow, over], partly)).toEqual([over]);
    expect(beyond([{ ...inWindow, strict: true }], partly)).toHaveLength(1);
  });

  it("GIVEN the generator THEN ten variants, the orders asked for, restocks and cancels, the same story for a seed", () => {
    const story = concurrencyScenario(ORDERS, 18);
    expect(story.items).toHaveLength(10);
    const types = story.events.map((event) => (event as { type?: unknown }).type);
    expect(types.filter((type) => type === "order")).toHaveLength(ORDERS);
    expect(types).toContain("restock");
    expect(types).toContain("cancel");
    expect(concurrencyScenario(ORDERS, 18)).toEqual(story);
    expect(concurrencyScenario(ORDERS, 19)).not.toEqual(story);
  });
});

describe(`${ORDERS} orders with restocks and cancels, in bursts, on four worker processes on PostgreSQL`, () => {
  it("GIVEN a worker killed -9 in the middle of a job THEN never more allocated than on hand, simulate's outcome, nothing doubled or lost", async () => {
    const report = await runConcurrency({
      orders: ORDERS,
      seed: 18,
      database: POSTGRES_ADMIN_URL,
      workerEntry: path.join(WORKER_BUILD, "index.js"),
    });
    expect(report.samples).toBeGreaterThan(10);
    expect(report.strictChecks).toBeGreaterThanOrEqual(report.bursts);
    expect(report.overAllocations).toEqual([]);
    expect(report.differences).toEqual([]);
    expect(report.equalsSimulate).toBe(true);
    expect(report.doubled).toEqual([]);
    expect(report.effects.fulfillmentOrderReleaseHold).toBeGreaterThan(0);
    expect(report.unfinishedJobs).toBe(0);
    // The killed worker was not started again: what it was running succeeded in another worker.
    expect(report.killed.jobs.length).toBeGreaterThan(0);
    expect(report.killed.jobs.map((job) => job.status)).toEqual(report.killed.jobs.map(() => "succeeded"));
  }, 900_000);
});
