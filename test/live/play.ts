/**
 * Plays a simulator scenario through the live stack (test/live/stack.ts) as a shop's customers and merchant
 * would, and reads the outcome from Local Shopify. `npm run replay:live` (test/live/replay.ts) prints it.
 */
import type { Scenario, ScenarioEvent, ScenarioItem } from "../../app/domain";
import { ControlError } from "../shopify-local/control/client";
import { readOutcome, type LiveOrder, type LiveResult } from "./outcome";
import { routeData } from "./route-data";
import { startStack, type IdleState, type LiveStack, type StackOptions } from "./stack";

export const SHOP = "replay.myshopify.com";

export interface PlayOptions {
  /** The scenario file's own events, for what parsing folds away (customer tags apart from order tags). */
  rawEvents?: readonly { customerTags?: string[] }[];
  faults?: StackOptions["faults"];
  /** Local Shopify's clock: frozen between the replay's moves (default), or running in real time besides them. */
  clock?: StackOptions["clock"];
  /** Settings the merchant changes on top of the scenario's (e.g. `{ flowEnabled: false }`). */
  settings?: Record<string, unknown>;
  /** kill -9 the app (with `workers`: a seeded one of the workers) this many times at seeded points, restarting it. */
  crashes?: number;
  seed?: number;
  baseDatabase?: string;
  /** A PostgreSQL server to run on (the run's own database is made there; see StackOptions). */
  database?: StackOptions["database"];
  /** Worker processes beside one web process, on `database`. */
  workers?: StackOptions["workers"];
  workerEntry?: StackOptions["workerEntry"];
  progress?: (line: string) => void;
  /** Called with the stack before it stops (tests read Local Shopify's logs). */
  inspect?: (stack: LiveStack) => Promise<void>;
  /** Called just before each event is applied, once the time before it has passed (benchmarks read the clock). */
  beforeEvent?: (stack: LiveStack, event: ScenarioEvent, index: number) => Promise<void>;
  /**
   * Events of one burst (same value) are played one after another without waiting for the app in between: the
   * clock moves to each event's time and Shopify takes it at once; the replay settles at the end of the burst.
   */
  burstOf?: (index: number) => number;
  /** How long a settle waits for the idle signal (default 120 s); a burst's pile of jobs takes longer. */
  idleTimeoutMs?: number;
  /** Called whenever the app is idle and before the merchant ships what Shopify shows fulfillable. */
  beforeShipping?: (stack: LiveStack) => Promise<void>;
  /** Called after each event has settled (the demo tells what Shopify then shows). */
  afterEvent?: (stack: LiveStack, event: ScenarioEvent, orders: ReadonlyMap<string, LiveOrder>) => Promise<void>;
}

/** A failure of one step of the replay, named for the exit message. */
export class StepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(`${step}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof StepError ? error : new StepError(name, error);
  }
}

export interface ItemIds {
  sku: string;
  variantId: number;
  variantGid: string;
  productGid: string;
  inventoryItemId: number;
}

/** One product per scenario `productId`, its items as variants: tracked, policy and `available` as given. */
async function createItems(stack: LiveStack, locationId: number, items: readonly ScenarioItem[]) {
  const ids = new Map<string, ItemIds>();
  const products = new Map<string, ScenarioItem[]>();
  for (const item of items) products.set(item.productId, [...(products.get(item.productId) ?? []), item]);
  for (const [productId, variants] of products) {
    const product = await stack.shopify.control.createProduct(SHOP, {
      title: productId,
      variants: variants.map((item) => ({
        title: item.sku,
        sku: item.sku,
        price: item.price.toFixed(2),
        inventoryPolicy: item.policy,
        tracked: item.tracked,
        available: { [String(locationId)]: item.available },
      })),
    });
    product.variants.forEach((variant, index) => {
      ids.set(variants[index]!.sku, {
        sku: variants[index]!.sku,
        variantId: variant.id,
        variantGid: variant.gid,
        productGid: product.gid,
        inventoryItemId: variant.inventoryItemId,
      });
    });
  }
  return ids;
}

/** The scenario's settings as the merchant enters them on the settings page (products and variants by id). */
export function appSettings(settings: Scenario["settings"], ids: ReadonlyMap<string, ItemIds>, items: ScenarioItem[]) {
  const productGid = (productId: string) => items.find((item) => item.productId === productId)?.sku;
  const variantCaps: Record<string, number | null> = {};
  for (const [sku, cap] of Object.entries(settings.variantCaps)) variantCaps[ids.get(sku)?.variantGid ?? sku] = cap;
  return {
    allocationPolicy: settings.allocationPolicy,
    priorityTags: settings.priorityTags,
    allocationWindow: settings.allocationWindow,
    // Cut-offs are the scenario's `allocate` events, run by the merchant (see decision 0015).
    automaticCutoff: false,
    partialShipment: settings.partialShipment,
    thresholdPercent: settings.thresholdPercent,
    neverSplitProducts: settings.neverSplitProductIds.map((id) => ids.get(productGid(id) ?? "")?.productGid ?? id),
    leadDays: settings.leadDays,
    reminderDays: settings.reminderDays,
    deadlineDays: settings.deadlineDays,
    consentRecorded: settings.consentRecorded,
    expiryAction: settings.expiryAction,
    backorderCap: settings.backorderCap,
    variantCaps,
  };
}

export async function playScenario(scenario: Scenario, options: PlayOptions = {}): Promise<LiveResult> {
  const started = Date.now();
  const progress = options.progress ?? (() => {});
  const first = scenario.events[0]?.at ?? Date.parse("2026-11-01T00:00:00Z");
  const stack = await step("starting the stack", () =>
    startStack({
      startAt: new Date(first - 3_600_000),
      clock: options.clock,
      faults: options.faults,
      baseDatabase: options.baseDatabase,
      database: options.database,
      workers: options.workers,
      workerEntry: options.workerEntry,
    }),
  );
  try {
    const shop = await step("installing the app", () => stack.installShop(SHOP, ["Main"]));
    const ids = await step("creating products", () => createItems(stack, shop.locations[0]!.id, scenario.items));
    await step("applying settings", () =>
      stack.saveSettings(SHOP, { ...appSettings(scenario.settings, ids, [...scenario.items]), ...options.settings }),
    );
    const play = new Player(stack, ids, options);
    await step("settling after setup", () => play.settle());
    const crashes = crashPlan(scenario.events.length, options.crashes ?? 0, options.seed ?? 1, options.workers ?? 0);
    for (const [index, event] of scenario.events.entries()) {
      const name = `event ${index + 1} of ${scenario.events.length} (${event.type} at ${new Date(event.at).toISOString()})`;
      progress(`${name}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const burst = options.burstOf;
      if (burst && index > 0 && burst(index) === burst(index - 1)) await stack.advanceTo(event.at);
      else await step(`${name}: time passing before it`, () => play.runUntil(event.at));
      await options.beforeEvent?.(stack, event, index);
      await step(name, () => play.apply(event, index, crashes.get(index)));
      if (!burst || index === scenario.events.length - 1 || burst(index + 1) !== burst(index))
        await step(`${name}: settling`, () => play.settle());
      await options.afterEvent?.(stack, event, play.orders);
    }
    const result = await step("reading Shopify's state", () => readOutcome(stack, SHOP, scenario, play.orders));
    await options.inspect?.(stack);
    progress(`done, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } catch (error) {
    if (error instanceof StepError && process.env.REPLAY_DEBUG) process.stderr.write(stack.output().slice(-20_000));
    throw error;
  } finally {
    await stack.stop();
  }
}

interface Crash {
  /** Real ms into the event. */
  afterMs: number;
  /** Which worker is killed, or null: the one app process. */
  worker: number | null;
}

/** Which events get a kill -9 of the app (or of which worker), and how many real ms into the event (seeded). */
function crashPlan(events: number, crashes: number, seed: number, workers: number): Map<number, Crash> {
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  const plan = new Map<number, Crash>();
  for (let i = 0; i < crashes && events > 0; i++) {
    let index = Math.floor(random() * events);
    while (plan.has(index) && plan.size < events) index = (index + 1) % events;
    const afterMs = Math.floor(random() * 60);
    plan.set(index, { afterMs, worker: workers > 0 ? Math.floor(random() * workers) : null });
  }
  return plan;
}

class Player {
  readonly orders = new Map<string, LiveOrder>();

  constructor(
    private readonly stack: LiveStack,
    private readonly ids: ReadonlyMap<string, ItemIds>,
    private readonly options: PlayOptions,
  ) {}

  private get control() {
    return this.stack.shopify.control;
  }

  /**
   * Waits for the idle signal, fulfilling whatever Shopify shows fulfillable, until nothing more is. A job the
   * app retries (an Admin call throttled or failed) is work still in hand: the clock moves to its retry first, as
   * the merchant would not ship in the second before the app's hold lands.
   */
  async settle(): Promise<IdleState> {
    for (;;) {
      const idle = await this.stack.waitIdle(SHOP, this.options.idleTimeoutMs);
      if (idle.nextRetryAt !== null) {
        await this.stack.advanceTo(Date.parse(idle.nextRetryAt));
        continue;
      }
      await this.options.beforeShipping?.(this.stack);
      const open = (await this.control.shopFulfillmentOrders(SHOP, "OPEN")).filter(
        (fo) => fo.holds.length === 0 && fo.lineItems.some((line) => line.remainingQuantity > 0),
      );
      if (open.length === 0) return idle;
      for (const fo of open) await this.control.fulfil(SHOP, fo.id);
    }
  }

  /** Lets the app's own scheduled work due before `at` run at its time, then moves the clock to `at`. */
  async runUntil(at: number): Promise<void> {
    for (;;) {
      const idle = await this.settle();
      const next = idle.nextRunAt === null ? null : Date.parse(idle.nextRunAt);
      // Work due by now that did not run is not the clock's to wait for (the app would have run it).
      if (next === null || next > at || next <= Date.parse(idle.now)) break;
      await this.stack.advanceTo(next);
    }
    await this.stack.advanceTo(at);
    // The app reads the new time, and what fell due by then runs before the event, as in the simulator.
    await this.settle();
  }

  async apply(event: ScenarioEvent, index: number, planned?: Crash): Promise<void> {
    const crash =
      planned === undefined
        ? Promise.resolve()
        : new Promise((resolve) => setTimeout(resolve, planned.afterMs)).then(async () => {
            if (planned.worker === null) {
              await this.stack.killApp();
              await this.stack.startApp();
            } else {
              await this.stack.workers.kill(planned.worker);
              await this.stack.workers.start(planned.worker);
            }
          });
    await this.applyEvent(event, index);
    await crash;
  }

  private async applyEvent(event: ScenarioEvent, index: number): Promise<void> {
    switch (event.type) {
      case "order":
        return this.placeOrder(event, index);
      case "restock":
        await this.control.adjustInventory(SHOP, { sku: event.sku, delta: event.quantity });
        return;
      case "cancel":
        return this.cancel(event);
      case "allocate":
        return this.cutoff();
      case "consent":
        return this.consent(event);
      case "tick":
        return;
    }
  }

  /**
   * A customer's checkout. A line the storefront refuses (the app stopped selling its variant at the backorder
   * cap) leaves the cart and is lost demand; the rest is ordered.
   */
  private async placeOrder(event: Extract<ScenarioEvent, { type: "order" }>, index: number): Promise<void> {
    if (this.orders.has(event.id)) return; // a redelivered order: Shopify has it once
    const customerTags = this.options.rawEvents?.[index]?.customerTags ?? [];
    const orderTags = event.tags.slice(0, event.tags.length - customerTags.length);
    const lines = event.lines.map((line, position) => ({ ...line, position }));
    const refused: number[] = [];
    for (;;) {
      const cart = lines.filter((line) => !refused.includes(line.position));
      if (cart.length === 0) {
        this.orders.set(event.id, { orderId: null, lineItemIds: lines.map(() => null), refused });
        return;
      }
      try {
        const order = await this.control.placeOrder(SHOP, {
          customer: { email: `customer-${event.id}@example.com`, tags: customerTags },
          tags: orderTags,
          lines: cart.map((line) => ({ variantId: this.ids.get(line.sku)!.variantId, quantity: line.quantity })),
        });
        const byPosition = new Map(cart.map((line, i) => [line.position, order.lineItems[i]!.id]));
        this.orders.set(event.id, {
          orderId: order.id,
          lineItemIds: lines.map((line) => byPosition.get(line.position) ?? null),
          refused,
        });
        return;
      } catch (error) {
        const match =
          error instanceof ControlError && error.status === 422 ? /^lines\[(\d+)\]/.exec(error.message) : null;
        if (!match) throw error;
        refused.push(cart[Number(match[1])]!.position);
      }
    }
  }

  /**
   * The customer (or merchant) cancels what has not shipped, as Shopify allows for the order's state: the order
   * is cancelled while nothing is fulfilled (the reason says who asked). Once something shipped Shopify only
   * refunds: the merchant cancels the unfilled units on the Backorders page, naming who asked, and the app
   * refunds them; units the page does not list (none waiting) are refunded in Shopify admin.
   */
  private async cancel(event: Extract<ScenarioEvent, { type: "cancel" }>): Promise<void> {
    const placed = this.orders.get(event.orderId);
    if (!placed?.orderId) return;
    const order = await this.orderState(placed.orderId);
    if (order.cancelledAt) return;
    const fulfilled = order.lineItems.some((line) => line.fulfilledQuantity > 0);
    const unfulfilled = order.lineItems.some((line) => line.currentQuantity > line.fulfilledQuantity);
    if (!unfulfilled) return;
    if (!fulfilled) {
      await this.control.cancelOrder(SHOP, placed.orderId, {
        reason: event.by === "customer" ? "CUSTOMER" : "INVENTORY",
        restock: true,
      });
      return;
    }
    const lineIds = await this.waitingLineIds(`gid://shopify/Order/${placed.orderId}`);
    if (lineIds.length > 0) {
      const form = new FormData();
      form.set("intent", event.by === "customer" ? "cancel_remainder_customer" : "cancel_remainder");
      for (const id of lineIds) form.append("lineIds", id);
      const response = await this.stack.adminFetch(SHOP, "/app.data?index", { form });
      if (!response.ok) throw new Error(`the Backorders page answered ${response.status}: ${await response.text()}`);
      await this.settle();
    }
    const after = await this.orderState(placed.orderId);
    if (after.lineItems.some((line) => line.currentQuantity > line.fulfilledQuantity))
      await this.control.refundUnfulfilled(SHOP, placed.orderId, { note: `Cancelled by the ${event.by}` });
  }

  private async orderState(orderId: number) {
    const state = await this.control.state();
    const shop = state.shops.find((candidate) => candidate.domain === SHOP) as unknown as {
      orders: {
        id: number;
        cancelledAt: string | null;
        lineItems: { currentQuantity: number; fulfilledQuantity: number }[];
      }[];
    };
    return shop.orders.find((order) => order.id === orderId)!;
  }

  /** The batch cut-off, run by the merchant from the Backorders page. */
  private async cutoff(): Promise<void> {
    const form = new FormData();
    form.set("intent", "cutoff");
    const response = await this.stack.adminFetch(SHOP, "/app.data?index", { form });
    if (!response.ok) throw new Error(`the Backorders page answered ${response.status}: ${await response.text()}`);
  }

  /**
   * The customer agreed to wait longer: the merchant records it on the Backorders page ("Extend deadline") for
   * the order's waiting lines, until the last whole day before `until` (the page takes dates).
   */
  private async consent(event: Extract<ScenarioEvent, { type: "consent" }>): Promise<void> {
    const placed = this.orders.get(event.orderId);
    if (!placed?.orderId) return;
    const lineIds = await this.waitingLineIds(`gid://shopify/Order/${placed.orderId}`);
    if (lineIds.length === 0) return;
    const form = new FormData();
    form.set("intent", "extend_deadline");
    for (const id of lineIds) form.append("lineIds", id);
    form.set("until", new Date(event.until - 1).toISOString().slice(0, 10));
    form.set("consent", "on");
    const response = await this.stack.adminFetch(SHOP, "/app.data?index", { form });
    if (!response.ok) throw new Error(`the Backorders page answered ${response.status}: ${await response.text()}`);
  }

  /** The order's lines on the Backorders page (every page of it), as the merchant selects them. */
  private async waitingLineIds(orderGid: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const response = await this.stack.adminFetch(SHOP, `/app.data?page=${page}`);
      if (!response.ok) throw new Error(`the Backorders page answered ${response.status}: ${await response.text()}`);
      const data = routeData<{ rows: { id: string; orderId: string }[]; pageCount: number }>(
        await response.text(),
        "routes/app._index",
      );
      ids.push(...data.rows.filter((row) => row.orderId === orderGid).map((row) => row.id));
      if (page >= data.pageCount) return ids;
    }
  }
}
