/**
 * The concurrency proof of issue 18 on the live stack: a generated, seeded story of orders, restocks and cancels
 * on ten variants played in bursts (each burst's events reach Shopify one after another without waiting for the
 * app, so its webhooks and jobs pile up across the worker processes) on PostgreSQL with one web and four worker
 * processes, one worker killed -9 while it runs a job and not restarted. Read from Local Shopify, not the app:
 *
 * - allocation: Shopify's state is sampled all along; in no sample do the units Shopify shows fulfillable (open,
 *   unheld fulfillment orders) of orders the app has handled exceed the variant's units on hand, and whenever the
 *   app is idle, before the merchant ships, that holds for every order;
 * - outcome: the final state gives `simulate --json`'s per-line outcome of the same events replayed one at a time
 *   (its wait metrics differ by the real seconds Shopify's clock ran between the replay's jumps);
 * - effects: per fulfillment order holds and releases alternate (hold first), no order is cancelled twice, no
 *   refund id is made twice; the killed worker's jobs succeeded in another worker.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import pg from "pg";

import { replay } from "../../app/domain";
import { toJson } from "../../app/simulator/format";
import { loadScenarioFile } from "../../app/simulator/load";
import type { AdminLogEntry } from "../shopify-local/control/routes";
import { playScenario, SHOP } from "./play";
import { ROOT, type LiveStack } from "./stack";

const HOUR = 3_600_000;
const START = Date.parse("2026-11-02T08:00:00Z");
export const ORDERS_PER_BURST = 50;

const ITEMS = [
  { sku: "KAYAK-S", productId: "kayak", price: 699 },
  { sku: "KAYAK-L", productId: "kayak", price: 899 },
  { sku: "PADDLE-A", productId: "paddle", price: 79 },
  { sku: "PADDLE-C", productId: "paddle", price: 149 },
  { sku: "VEST-S", productId: "vest", price: 59 },
  { sku: "VEST-M", productId: "vest", price: 59 },
  { sku: "VEST-L", productId: "vest", price: 64 },
  { sku: "HELMET-R", productId: "helmet", price: 45 },
  { sku: "HELMET-B", productId: "helmet", price: 45 },
  { sku: "PUMP", productId: "pump", price: 29 },
];

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * `orders` orders of one or two lines in bursts of 50, one burst an hour; stock about a third of demand at the
 * start, two or three variants restocked within each later burst, 5% of orders cancelled by the customer at the
 * start of a later burst (the merchant ships at the end of a burst where the sequential replay ships after each
 * event, so only a cancel before the burst's restocks meets the same order state in both). Same (orders, seed),
 * same story.
 */
export function concurrencyScenario(orders: number, seed: number) {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const bursts = Math.max(2, Math.ceil(orders / ORDERS_PER_BURST));
  const demand = Math.ceil((orders * 3) / ITEMS.length);
  const items = ITEMS.map((item) => ({ ...item, available: Math.round((demand / 3) * (0.5 + random())) }));
  const events: { at: number; event: Record<string, unknown> }[] = [];
  const placed: string[] = [];
  let next = 0;
  for (let burst = 0; burst < bursts; burst++) {
    const these: Record<string, unknown>[] = [];
    const count = Math.min(ORDERS_PER_BURST, orders - next);
    for (let i = 0; i < count; i++) {
      const id = String(10_001 + next++);
      const skus = new Set<string>();
      while (skus.size < (random() < 0.5 ? 1 : 2)) skus.add(pick(items).sku);
      const lines = [...skus].map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 3) }));
      these.push({ type: "order", id, tags: random() < 0.1 ? ["vip"] : [], lines });
    }
    if (burst > 0) {
      const skus = new Set<string>();
      while (skus.size < 2 + Math.floor(random() * 2)) skus.add(pick(items).sku);
      for (const sku of skus)
        these.push({ type: "restock", sku, quantity: Math.round((demand / bursts) * (0.5 + random()) * 1.5) });
      const cancels = Math.round((orders * 0.05) / (bursts - 1));
      for (let i = 0; i < cancels && placed.length > 0; i++)
        these.push({
          type: "cancel",
          orderId: placed.splice(Math.floor(random() * placed.length), 1)[0]!,
          by: "customer",
        });
    }
    // Shuffled in the burst, orders keeping their order among themselves (their ids are ascending).
    const slots = these.map((event) => ({ event, key: random() }));
    const orderSlots = slots.filter((slot) => slot.event.type === "order").sort((a, b) => a.key - b.key);
    const ordersInTurn = these.filter((event) => event.type === "order");
    orderSlots.forEach((slot, i) => (slot.event = ordersInTurn[i]!));
    // Cancels open the burst: the sequential replay ships after each event, the burst only at its end, so a
    // restock earlier in the burst would let the replay ship what the burst then cancels.
    slots.sort((a, b) => Number(b.event.type === "cancel") - Number(a.event.type === "cancel") || a.key - b.key);
    slots.forEach(({ event }, i) => events.push({ at: START + burst * HOUR + i * 1_000, event }));
    placed.push(...ordersInTurn.map((event) => event.id as string));
  }
  events.push({ at: START + bursts * HOUR, event: { type: "tick" } });
  return {
    settings: {
      allocationPolicy: "fifo",
      priorityTags: ["vip"],
      allocationWindow: "immediate",
      partialShipment: "ship_available",
      leadDays: 5,
      reminderDays: 3,
      deadlineDays: 10,
      expiryAction: "cancel",
      backorderCap: null,
    },
    items: items.map(({ sku, productId, price, available }) => ({ sku, productId, price, available })),
    events: events.map(({ at, event }) => ({ at: iso(at), ...event })),
  };
}

/** What of Local Shopify's state the allocation check reads. */
interface CheckedShop {
  domain: string;
  variants: { id: number; sku: string | null; inventoryItemId: number }[];
  inventoryLevels: { inventoryItemId: number; quantities: { on_hand: number } }[];
  orders: { id: number; lineItems: { id: number; variantId: number | null }[] }[];
  fulfillmentOrders: {
    id: number;
    orderId: number;
    status: string;
    holds: unknown[];
    lineItems: { lineItemId: number; remainingQuantity: number }[];
  }[];
  metafields: { ownerId: string; namespace: string; key: string }[];
}

export interface OverAllocation {
  sku: string;
  fulfillable: number;
  onHand: number;
  strict: boolean;
  /** The orders whose fulfillable units were counted. */
  orders: number[];
  /** The fulfillment orders counted, with their fulfillable units. */
  fulfillmentOrders: Record<number, number>;
}

/**
 * Per variant, the units Shopify shows fulfillable against its units on hand. Not strict (a sample taken while
 * the app works), an order counts once the app has handled it (its line-status metafield is written, or one of its
 * fulfillment orders was seen on hold): before that Shopify shows a new order fulfillable itself, until the
 * app's hold lands. Strict (the app idle): every order counts.
 */
export function overAllocations(shop: CheckedShop, seenHeld: Set<number>, strict: boolean): OverAllocation[] {
  const variantOfLine = new Map<number, number>();
  for (const order of shop.orders)
    for (const line of order.lineItems) if (line.variantId !== null) variantOfLine.set(line.id, line.variantId);
  const handled = new Set(
    shop.metafields
      .filter((m) => m.namespace.startsWith("app--") && m.key === "backorder")
      .map((m) => Number(/\/(\d+)$/.exec(m.ownerId)?.[1])),
  );
  const fulfillable = new Map<number, number>();
  const ordersOf = new Map<number, Set<number>>();
  const fosOf = new Map<number, Record<number, number>>();
  for (const fo of shop.fulfillmentOrders) {
    if (fo.holds.length > 0) seenHeld.add(fo.orderId);
    if (!["OPEN", "IN_PROGRESS"].includes(fo.status) || fo.holds.length > 0) continue;
    if (!strict && !handled.has(fo.orderId) && !seenHeld.has(fo.orderId)) continue;
    for (const line of fo.lineItems) {
      const variant = variantOfLine.get(line.lineItemId);
      if (variant === undefined || line.remainingQuantity === 0) continue;
      fulfillable.set(variant, (fulfillable.get(variant) ?? 0) + line.remainingQuantity);
      ordersOf.set(variant, (ordersOf.get(variant) ?? new Set()).add(fo.orderId));
      const fos = fosOf.get(variant) ?? {};
      fos[fo.id] = (fos[fo.id] ?? 0) + line.remainingQuantity;
      fosOf.set(variant, fos);
    }
  }
  const found: OverAllocation[] = [];
  for (const variant of shop.variants) {
    const onHand = shop.inventoryLevels
      .filter((level) => level.inventoryItemId === variant.inventoryItemId)
      .reduce((sum, level) => sum + level.quantities.on_hand, 0);
    const units = fulfillable.get(variant.id) ?? 0;
    if (units > onHand)
      found.push({
        sku: variant.sku ?? String(variant.id),
        fulfillable: units,
        onHand,
        strict,
        orders: [...(ordersOf.get(variant.id) ?? [])],
        fulfillmentOrders: fosOf.get(variant.id) ?? {},
      });
  }
  return found;
}

/**
 * Fulfillment orders the app released partly (decision 0017): its hold released, then the waiting units held
 * again in a second call. Between the two Shopify shows every unit of the fulfillment order fulfillable.
 */
export function partlyReleased(log: readonly AdminLogEntry[]): Set<number> {
  const released = new Set<number>();
  const partly = new Set<number>();
  for (const entry of log) {
    if (entry.status !== 200) continue;
    const variables = entry.variables as Record<string, unknown>;
    for (const [key, field] of Object.entries(entry.fields)) {
      // Batched releases alias each field itemN with its variables id_N.
      const n = /^item(\d+)$/.exec(key)?.[1];
      const id = n !== undefined ? variables[`id_${n}`] : (variables.id ?? variables.fulfillmentOrderId);
      const fo = typeof id === "string" ? Number(/FulfillmentOrder\/(\d+)$/.exec(id)?.[1]) : NaN;
      if (field === "fulfillmentOrderReleaseHold") released.add(fo);
      const hold = variables.hold as { fulfillmentOrderLineItems?: unknown[] } | undefined;
      if (field === "fulfillmentOrderHold" && released.has(fo) && hold?.fulfillmentOrderLineItems?.length)
        partly.add(fo);
    }
  }
  return partly;
}

/** The over-allocations that remain when the fulfillment orders in `excluded` are not counted. */
export function beyond(found: readonly OverAllocation[], excluded: ReadonlySet<number>): OverAllocation[] {
  return found.filter((over) => {
    if (over.strict) return true;
    const units = Object.entries(over.fulfillmentOrders)
      .filter(([fo]) => !excluded.has(Number(fo)))
      .reduce((sum, [, n]) => sum + n, 0);
    return units > over.onHand;
  });
}

/** Effects applied twice, read from the Admin log (answered 200, no userErrors). */
export function doubledEffects(log: readonly AdminLogEntry[]): string[] {
  const doubled: string[] = [];
  const held = new Map<string, boolean>();
  const cancelled = new Set<string>();
  const refunds = new Map<string, string>();
  for (const entry of log) {
    const data = (entry.answer as { data?: Record<string, Record<string, unknown> | null> } | null)?.data;
    if (entry.status !== 200 || !data) continue;
    for (const [key, field] of Object.entries(entry.fields)) {
      const payload = data[key];
      const errors = (payload?.userErrors ?? payload?.orderCancelUserErrors ?? []) as unknown[];
      if (!payload || errors.length > 0) continue;
      const fo = (payload.fulfillmentOrder as { id?: string } | null)?.id;
      if (field === "fulfillmentOrderHold" && fo) {
        if (held.get(fo)) doubled.push(`hold of ${fo} at ${entry.at} while on hold`);
        held.set(fo, true);
      } else if (field === "fulfillmentOrderReleaseHold" && fo) {
        if (!held.get(fo)) doubled.push(`release of ${fo} at ${entry.at} while not on hold`);
        held.set(fo, false);
      } else if (field === "orderCancel") {
        const order = String((entry.variables as { orderId?: unknown }).orderId);
        if (cancelled.has(order)) doubled.push(`second cancel of ${order} at ${entry.at}`);
        cancelled.add(order);
      } else if (field === "refundCreate") {
        const refund = (payload.refund as { id?: string } | null)?.id;
        const fingerprint = JSON.stringify(entry.variables);
        if (refund && refunds.has(fingerprint) && refunds.get(fingerprint) !== refund)
          doubled.push(`refund ${fingerprint} made twice (${refunds.get(fingerprint)}, ${refund})`);
        if (refund) refunds.set(fingerprint, refund);
      }
    }
  }
  return doubled;
}

export interface ConcurrencyReport {
  orders: number;
  events: number;
  bursts: number;
  workers: number;
  wallSeconds: number;
  samples: number;
  strictChecks: number;
  /** Samples with more fulfillable than on hand, beyond the windows of partial releases. */
  overAllocations: OverAllocation[];
  /** Samples over only by fulfillment orders inside a partial release's window (release, then re-hold). */
  partialReleaseWindows: OverAllocation[];
  /**
   * The live outcome equals `simulate --json`'s of the same events, lines and metrics, but the wait metrics
   * (they differ by the real seconds Shopify's clock ran, as in bench:live); what differs, if not.
   */
  equalsSimulate: boolean;
  differences: { live: unknown; simulated: unknown }[];
  live: unknown;
  simulated: unknown;
  doubled: string[];
  adminCalls: number;
  effects: Record<string, number>;
  /** Jobs by status at the end (every one succeeded: none dead, none left). */
  jobs: Record<string, number>;
  unfinishedJobs: number;
  killed: {
    worker: string;
    atEvent: number;
    /** The jobs it was running, as they ended (a finished job's `lockedBy` is cleared). */
    jobs: { id: string; type: string; status: string; attempts: number }[];
  };
}

interface Outcome {
  lines: unknown[];
  metrics: Record<string, unknown>;
}

/** The lines that differ, and the metrics but the waits (they count the real seconds the clock ran) if they do. */
function differences(live: Outcome, simulated: Outcome): ConcurrencyReport["differences"] {
  const found = live.lines.flatMap((line, i) =>
    JSON.stringify(line) === JSON.stringify(simulated.lines[i]) ? [] : [{ live: line, simulated: simulated.lines[i] }],
  );
  const counted = ({ meanWaitDays: _mean, p95WaitDays: _p95, ...rest }: Record<string, unknown>) => rest;
  if (JSON.stringify(counted(live.metrics)) !== JSON.stringify(counted(simulated.metrics)))
    found.push({ live: counted(live.metrics), simulated: counted(simulated.metrics) });
  if (live.lines.length !== simulated.lines.length)
    found.push({ live: live.lines.length, simulated: simulated.lines.length });
  return found;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plays the generated story on `database` (a PostgreSQL server; the run's own database is made there and
 * dropped) with `workers` worker processes; worker 2 is killed -9 at the middle event once it runs a job.
 */
export async function runConcurrency(options: {
  orders: number;
  seed: number;
  database: string;
  workers?: number;
  workerEntry?: string;
  progress?: (line: string) => void;
}): Promise<ConcurrencyReport> {
  const started = Date.now();
  const workers = options.workers ?? 4;
  const dir = path.join(ROOT, ".tmp/live");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `concurrency-${options.orders}-${options.seed}-${process.pid}.json`);
  writeFileSync(file, `${JSON.stringify(concurrencyScenario(options.orders, options.seed), null, 2)}\n`);
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw new Error(loaded.message);
  const { scenario } = loaded;
  const burstOf = (index: number) => Math.floor((scenario.events[index]!.at - START) / HOUR);
  const killAt = Math.floor(scenario.events.length / 2);
  const killIndex = Math.min(1, workers - 1);

  const seenHeld = new Set<number>();
  const found: OverAllocation[] = [];
  let samples = 0;
  let strictChecks = 0;
  let sampling = false;
  let sampler: Promise<void> = Promise.resolve();
  const shopOf = async (stack: LiveStack) =>
    (await stack.shopify.control.state()).shops.find((shop) => shop.domain === SHOP) as unknown as CheckedShop;
  const startSampling = (stack: LiveStack) => {
    sampling = true;
    sampler = (async () => {
      while (sampling) {
        const shop = await shopOf(stack).catch((error: unknown) => {
          // The stack stopped under the sampler: the replay's own error tells why.
          if (sampling) throw error;
          return null;
        });
        if (shop) found.push(...overAllocations(shop, seenHeld, false));
        samples++;
        await sleep(100);
      }
    })();
    sampler.catch(() => (sampling = false));
  };
  const stopSampling = async () => {
    sampling = false;
    await sampler;
  };

  let killed: ConcurrencyReport["killed"] = { worker: "", atEvent: killAt, jobs: [] };
  let inspected:
    | (Pick<ConcurrencyReport, "doubled" | "adminCalls" | "effects" | "jobs" | "unfinishedJobs"> & {
        partly: Set<number>;
      })
    | null = null;
  const result = await playScenario(scenario, {
    rawEvents: (loaded.raw as { events: { customerTags?: string[] }[] }).events,
    database: options.database,
    workers,
    workerEntry: options.workerEntry,
    burstOf,
    // Shopify's clock also runs in real time, as its Admin rate limit refills in it: a burst spends more points
    // than the bucket holds, and on a frozen clock the app's throttled calls would wait for the next jump.
    clock: "real",
    idleTimeoutMs: 30 * 60_000,
    progress: options.progress,
    beforeShipping: async (stack) => {
      found.push(...overAllocations(await shopOf(stack), seenHeld, true));
      strictChecks++;
    },
    beforeEvent: async (stack, _event, index) => {
      if (index === 0) startSampling(stack);
      if (index !== killAt) return;
      const worker = `live-1-w${killIndex + 1}`;
      const running = async () =>
        query<{ id: string }>(
          stack.app.databaseUrl,
          `SELECT "id" FROM "Job" WHERE "status" = 'running' AND "lockedBy" LIKE $1`,
          [`${worker}#%`],
        );
      // The middle of a job: wait until the worker holds one, then kill it without a restart. The shop's jobs
      // take turns across the workers, so this one may wait a while for its turn.
      let ids: { id: string }[] = [];
      for (const until = Date.now() + 60_000; ids.length === 0 && Date.now() < until;) {
        ids = await running();
        if (ids.length === 0) await sleep(10);
      }
      await stack.workers.kill(killIndex);
      killed = { worker, atEvent: index, jobs: ids.map(({ id }) => ({ id, type: "", status: "", attempts: 0 })) };
      options.progress?.(`killed ${worker} (kill -9) with ${ids.length} job(s) running`);
    },
    inspect: async (stack) => {
      await stopSampling();
      const url = stack.app.databaseUrl;
      const jobs = await query<{ status: string; n: number }>(
        url,
        `SELECT "status", COUNT(*)::int AS n FROM "Job" GROUP BY 1`,
      );
      const ids = killed.jobs.map((job) => job.id);
      killed.jobs = await query(url, `SELECT "id", "type", "status", "attempts" FROM "Job" WHERE "id" = ANY($1)`, [
        ids,
      ]);
      const log = await stack.shopify.control.adminLog({ shop: SHOP });
      if (process.env.REPLAY_DEBUG)
        writeFileSync(file.replace(/\.json$/, ".admin-log.json"), JSON.stringify({ log, state: await shopOf(stack) }));
      const effects: Record<string, number> = {};
      for (const entry of log)
        for (const field of Object.values(entry.fields))
          if (
            /^(fulfillmentOrderHold|fulfillmentOrderReleaseHold|orderEditCommit|refundCreate|orderCancel)$/.test(field)
          )
            effects[field] = (effects[field] ?? 0) + 1;
      inspected = {
        doubled: doubledEffects(log),
        partly: partlyReleased(log),
        adminCalls: log.length,
        effects,
        jobs: Object.fromEntries(jobs.map((row) => [row.status, row.n])),
        unfinishedJobs: jobs.filter((row) => ["running", "dead"].includes(row.status)).reduce((sum, r) => sum + r.n, 0),
      };
    },
  }).finally(() => {
    sampling = false;
  });
  const { partly, ...seen } = inspected!;
  const live = JSON.parse(JSON.stringify(result)) as unknown;
  const simulated = JSON.parse(JSON.stringify(toJson(replay(scenario, scenario.settings.allocationPolicy)))) as unknown;
  return {
    orders: options.orders,
    events: scenario.events.length,
    bursts: burstOf(scenario.events.length - 1),
    workers,
    wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    samples,
    strictChecks,
    overAllocations: beyond(found, partly),
    partialReleaseWindows: found.filter((over) => beyond([over], partly).length === 0),
    equalsSimulate: differences(live as Outcome, simulated as Outcome).length === 0,
    differences: differences(live as Outcome, simulated as Outcome),
    live,
    simulated,
    killed,
    ...seen,
  };
}
