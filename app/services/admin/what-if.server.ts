import type { Db } from "../../db.server";
import {
  DAY_MS,
  replayAll,
  type AllocationPolicy,
  type Scenario,
  type ScenarioEvent,
  type ScenarioItem,
} from "../../domain";
import { backlogHistory, lostByDayAndReason } from "../../models/analytics.server";
import { getSettings, type Settings } from "../../models/settings.server";
import { engineSettings } from "../records-for-engine";
import { lostTotals } from "./analytics-page.server";

export const WHAT_IF_WINDOWS = [7, 30, 90] as const;

type History = Awaited<ReturnType<typeof backlogHistory>>;

// At one instant: orders arrive, then stock, then the batch allocation, then consents and cancellations.
const EVENT_ORDER: Record<ScenarioEvent["type"], number> = {
  order: 0,
  restock: 1,
  allocate: 2,
  consent: 3,
  cancel: 4,
  tick: 5,
};

/**
 * Demand is what each line put on backorder (`held`); supply is the stock that arrived for waiting lines
 * (`allocated` events). Caps are lifted: lines capped at the time were never held.
 */
export function scenarioFromHistory(history: History, settings: Settings, now: Date): Scenario {
  const { held, restocks, orderChanges } = eventsOf(history);
  const { items, orders } = demandOf(history.lines, held);
  const batch = settings.allocationWindow === "batch";
  const supply: ScenarioEvent[] = restocks.flatMap((restock) => [
    { type: "restock" as const, ...restock },
    ...(batch ? [{ type: "allocate" as const, at: restock.at }] : []),
  ]);
  const timeline = [...orders.values(), ...supply, ...orderChanges.filter((change) => orders.has(change.orderId))]
    .filter((event) => event.type !== "restock" || items.has(event.sku))
    .sort((a, b) => a.at - b.at || EVENT_ORDER[a.type] - EVENT_ORDER[b.type]);

  return {
    settings: { ...engineSettings(settings), backorderCap: null, variantCaps: {} },
    items: [...items.values()],
    events: [...timeline, { type: "tick", at: now.getTime() }],
  };
}

type HistoryLine = History["lines"][number];
type OrderChange = Extract<ScenarioEvent, { type: "cancel" | "consent" }>;

const itemOf = (line: HistoryLine) => line.inventoryItemId ?? line.variantId ?? `line:${line.lineItemId}`;

function eventsOf({ lines, events }: History) {
  const lineById = new Map(lines.map((line) => [line.id, line]));
  const held = new Map<string, number>();
  const restocks = new Map<string, { at: number; sku: string; quantity: number }>();
  const orderChanges: OrderChange[] = [];
  for (const event of events) {
    const line = event.backorderLineId ? lineById.get(event.backorderLineId) : undefined;
    if (!line) continue;
    const at = event.at.getTime();
    if (event.kind === "held") held.set(line.id, (held.get(line.id) ?? 0) + (event.quantity ?? 0));
    if (event.kind === "allocated" && event.quantity) {
      const key = `${itemOf(line)}|${at}`;
      const restock = restocks.get(key) ?? { at, sku: itemOf(line), quantity: 0 };
      restock.quantity += event.quantity;
      restocks.set(key, restock);
    }
    const change = orderChangeOf(event, line, at);
    if (change) orderChanges.push(change);
  }
  return { held, restocks: [...restocks.values()], orderChanges };
}

function orderChangeOf(event: History["events"][number], line: HistoryLine, at: number): OrderChange | null {
  if (event.kind === "cancelled") {
    const { reason, by } = JSON.parse(event.detail) as { reason?: string; by?: string };
    // A deadline or a delay notice left without a yes is each policy's own outcome: the replay decides it, and
    // a policy that filled the line in time loses nothing.
    if (reason === "deadline" || reason === "no_consent") return null;
    const who = reason === "merchant_cancelled" || by === "outside_app" ? "merchant" : "customer";
    return { type: "cancel", at, orderId: line.orderId, by: who };
  }
  if (event.kind === "consent") {
    const until = Date.parse((JSON.parse(event.detail) as { until?: string }).until ?? "");
    if (Number.isFinite(until)) return { type: "consent", at, orderId: line.orderId, until };
  }
  return null;
}

/** No free stock: every unit is one some line waited for. */
function demandOf(lines: History["lines"], held: Map<string, number>) {
  const items = new Map<string, ScenarioItem>();
  const orders = new Map<
    string,
    Extract<ScenarioEvent, { type: "order" }> & { lines: { sku: string; quantity: number }[] }
  >();
  for (const line of lines) {
    const demand = held.get(line.id) ?? line.quantity;
    if (demand <= 0) continue;
    const sku = itemOf(line);
    if (!items.has(sku)) {
      const price = line.unitPriceCents / 100;
      const productId = line.productId ?? sku;
      items.set(sku, { sku, available: 0, price, productId, tracked: true, policy: "CONTINUE", expectedAt: null });
    }
    const order = orders.get(line.orderId) ?? {
      type: "order" as const,
      at: line.orderedAt.getTime(),
      id: line.orderId,
      tags: JSON.parse(line.tags) as string[],
      shipBy: line.shipBy?.getTime() ?? null,
      lines: [],
    };
    order.lines.push({ sku, quantity: demand });
    orders.set(line.orderId, order);
  }
  return { items, orders };
}

export interface PolicyOutcome {
  policy: AllocationPolicy;
  fillRate: number | null;
  unitsShipped: number;
  ordersCompleted: number;
  customersServed: number;
  meanWaitDays: number | null;
  /** Exact with one component; otherwise the largest component's p95 (an upper bound, see splitScenario). */
  p95WaitDays: number | null;
  lostUnits: number;
  lostRevenue: number;
}

/** Orders that share no item never compete, and the replay scans every open line at each event: parts are cheaper. */
export function splitScenario(scenario: Scenario): Scenario[] {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    if (!parent.has(key)) parent.set(key, key);
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(key, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  for (const item of scenario.items) find(`item:${item.sku}`);
  for (const event of scenario.events) {
    if (event.type === "order") for (const line of event.lines) union(`order:${event.id}`, `item:${line.sku}`);
  }
  const orderItem = new Map<string, string>();
  for (const event of scenario.events) if (event.type === "order") orderItem.set(event.id, event.lines[0]!.sku);

  const parts = new Map<string, { items: ScenarioItem[]; events: ScenarioEvent[] }>();
  const part = (sku: string) => {
    const root = find(`item:${sku}`);
    return parts.get(root) ?? parts.set(root, { items: [], events: [] }).get(root)!;
  };
  for (const item of scenario.items) part(item.sku).items.push(item);
  let lastRestockSku: string | null = null;
  for (const event of scenario.events) {
    if (event.type === "order") part(event.lines[0]!.sku).events.push(event);
    else if (event.type === "restock") {
      part(event.sku).events.push(event);
      lastRestockSku = event.sku;
    } else if (event.type === "cancel" || event.type === "consent")
      part(orderItem.get(event.orderId)!).events.push(event);
    // scenarioFromHistory emits a batch allocation right after the restock it follows.
    else if (event.type === "allocate" && lastRestockSku !== null) part(lastRestockSku).events.push(event);
    else if (event.type === "tick") for (const each of parts.values()) each.events.push(event);
  }
  return [...parts.values()].map((each) => ({ settings: scenario.settings, ...each }));
}

/** Waits weighted by shipped lines; the event loop gets a turn after each part, so other requests are served. */
export async function compareAllPolicies(parts: readonly Scenario[]): Promise<PolicyOutcome[]> {
  const totals = new Map<AllocationPolicy, PolicyOutcome & { unitsOrdered: number; waitSum: number; waited: number }>();
  for (const part of parts) {
    for (const { policy, metrics, lines } of replayAll(part)) {
      const total = totals.get(policy) ?? {
        policy,
        fillRate: null,
        unitsOrdered: 0,
        unitsShipped: 0,
        ordersCompleted: 0,
        customersServed: 0,
        meanWaitDays: null,
        p95WaitDays: null,
        lostUnits: 0,
        lostRevenue: 0,
        waitSum: 0,
        waited: 0,
      };
      const waited = lines.filter((line) => line.shipped > 0).length;
      total.unitsOrdered += metrics.unitsOrdered;
      total.unitsShipped += metrics.unitsShipped;
      total.ordersCompleted += metrics.ordersCompleted;
      total.customersServed += metrics.customersServed;
      total.lostUnits += metrics.lostUnits.total;
      total.lostRevenue += metrics.lostRevenue.total;
      total.waitSum += (metrics.meanWaitDays ?? 0) * waited;
      total.waited += waited;
      if (metrics.p95WaitDays !== null) total.p95WaitDays = Math.max(total.p95WaitDays ?? 0, metrics.p95WaitDays);
      totals.set(policy, total);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return [...totals.values()].map(({ unitsOrdered, waitSum, waited, ...outcome }) => ({
    ...outcome,
    fillRate: unitsOrdered === 0 ? null : outcome.unitsShipped / unitsOrdered,
    meanWaitDays: waited === 0 ? null : waitSum / waited,
    lostRevenue: Math.round(outcome.lostRevenue * 100) / 100,
  }));
}

export async function runWhatIf(db: Db, shop: string, days: number, now: Date) {
  const settings = await getSettings(db, shop);
  const from = new Date(now.getTime() - days * DAY_MS);
  const [history, lost] = await Promise.all([backlogHistory(db, shop, from), lostByDayAndReason(db, shop, from)]);
  const scenario = scenarioFromHistory(history, settings, now);
  const parts = splitScenario(scenario);
  return {
    days,
    currentPolicy: settings.allocationPolicy,
    orders: scenario.events.filter((event) => event.type === "order").length,
    unitsArrived: scenario.events.reduce((sum, event) => sum + (event.type === "restock" ? event.quantity : 0), 0),
    parts: parts.length,
    /** What the shop really lost in the same days, as Analytics shows it. */
    recorded: lostTotals(lost),
    outcomes: await compareAllPolicies(parts),
  };
}

export function whatIfDays(url: URL): number {
  const days = Number(url.searchParams.get("days"));
  return (WHAT_IF_WINDOWS as readonly number[]).includes(days) ? days : 30;
}
