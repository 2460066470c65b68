import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { createJobQueue } from "~/jobs/queue.server";
import { extendDeadlines } from "~/models/backorder-queue.server";
import { findOrderLines } from "~/models/backorders.server";
import { DEFAULT_SETTINGS, saveSettings } from "~/models/settings.server";
import { action, loader } from "~/routes/api.customer.order-status.$orderId";
import { requestCancelRemainder } from "~/services/customer-requests.server";
import type { OrderStatusJson } from "~/services/customer-page/order-status-block.server";

import { orderUrl, readAnswer, type BlockOrder } from "../../extensions/order-status-block/src/contract";
import { APP_URL, call } from "../admin/support";
import { startPipeline, type Pipeline } from "../pipeline/harness";
import { mintCustomerAccountToken } from "../shopify-local/session-token";
import { TEST_SECRET } from "../support/webhooks";

// The app's side of the order status block (app/routes/api.customer.order-status.$orderId.tsx) over real requests:
// customer account session tokens signed as Shopify signs them, the app's records from orders placed at Local
// Shopify, and the links it answers opened on Local Shopify's storefront. What only customer accounts can show
// (the block running there, Shopify issuing the token) is in README, "The order status block".
const SHOP = "status-block.myshopify.com";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
const API_KEY = "test-api-key";
let pipeline: Pipeline;
type Order = Awaited<ReturnType<Pipeline["shopify"]["control"]["placeOrder"]>>;
let ann: Order;
let annRug: Order;
let bob: Order;

// Compile-time: what the app answers is what the block reads.
const _contract: BlockOrder = {} as OrderStatusJson["order"];

const token = (customerId: number | null, options: { secret?: string; issuedAt?: number; shop?: string } = {}) =>
  mintCustomerAccountToken({
    apiKey: API_KEY,
    apiSecret: options.secret ?? TEST_SECRET,
    shop: options.shop ?? SHOP,
    customerId,
    issuedAt: options.issuedAt,
  });

async function ask(orderId: number | string, bearer: string | null, init: RequestInit = {}) {
  const headers = new Headers({ Origin: EXTENSION_ORIGIN, ...(init.headers as Record<string, string>) });
  if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
  const request = new Request(`${APP_URL}/api/customer/order-status/${orderId}`, { ...init, headers });
  return call(request.method === "GET" ? loader : action, request, { orderId: String(orderId) });
}

/** The order as the block gets it for its customer. */
async function orderFor(order: Order): Promise<OrderStatusJson["order"]> {
  const answer = await ask(order.id, token(order.customerId));
  expect(answer.status).toBe(200);
  const read = readAnswer(answer.status, answer.body);
  if (read.kind !== "order") throw new Error(JSON.stringify(answer.body));
  return read.order;
}

/** A link of the answer, opened where Local Shopify serves the shop's storefront. */
async function open(url: string) {
  const path = new URL(url);
  expect(path.host).toBe(SHOP);
  const response = await fetch(`${pipeline.shopify.origin}/storefront/${SHOP}${path.pathname}${path.search}`);
  return { status: response.status, html: await response.text() };
}

const signedLink = (orderId: number, step = "") =>
  expect.stringMatching(
    new RegExp(`^https://${SHOP}/apps/backorders/orders/${orderId}${step}\\?link=\\d+\\.[\\w-]{43}`),
  );

beforeAll(async () => {
  pipeline = await startPipeline();
  env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
  const { locationId } = await pipeline.install(SHOP, { partialShipment: "ship_complete", shipReadyOnRequest: true });
  const stock = (available: number) => ({ [String(locationId)]: available });
  const stool = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Oak stool",
    variants: [{ sku: "STOOL", price: "80.00", inventoryPolicy: "CONTINUE", tracked: true, available: stock(0) }],
  });
  const lamp = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Brass lamp",
    variants: [{ sku: "LAMP", price: "40.00", inventoryPolicy: "CONTINUE", tracked: true, available: stock(5) }],
  });
  const rug = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Wool rug",
    variants: [{ sku: "RUG", price: "120.00", inventoryPolicy: "CONTINUE", tracked: true, available: stock(0) }],
  });
  ann = await pipeline.shopify.control.placeOrder(SHOP, {
    customer: { email: "ann@example.com", firstName: "Ann" },
    lines: [
      { variantId: stool.variants[0]!.id, quantity: 2 },
      { variantId: lamp.variants[0]!.id, quantity: 1 },
    ],
  });
  annRug = await pipeline.shopify.control.placeOrder(SHOP, {
    customer: { email: "ann@example.com", firstName: "Ann" },
    lines: [{ variantId: rug.variants[0]!.id, quantity: 1 }],
  });
  bob = await pipeline.shopify.control.placeOrder(SHOP, {
    customer: { email: "bob@example.com", firstName: "Bob" },
    lines: [{ variantId: stool.variants[0]!.id, quantity: 1 }],
  });
  await pipeline.drain();
  await pipeline.shopify.control.adjustInventory(SHOP, { sku: "RUG", delta: 1 });
  await pipeline.drain();
  expect(ann.customerId).toBe(annRug.customerId);
});

afterAll(async () => {
  await pipeline.stop();
});

describe("who gets an answer", () => {
  it("a missing, forged or expired token is refused by the library with 401, before anything is read", async () => {
    expect((await ask(ann.id, null)).status).toBe(401);
    expect((await ask(ann.id, token(ann.customerId, { secret: "not-the-secret" }))).status).toBe(401);
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
    const expired = await ask(ann.id, token(ann.customerId, { issuedAt: anHourAgo }));
    expect(expired.status).toBe(401);
    expect(JSON.stringify(expired.body)).not.toContain("Oak stool");
  });

  it("another customer's order, an unknown one, no customer, another shop: the same 404", async () => {
    const unknown = await ask(999999, token(ann.customerId));
    expect([unknown.status, unknown.body]).toEqual([404, { error: "not_found" }]);
    const cases = [
      await ask(bob.id, token(ann.customerId)),
      await ask(ann.id, token(null)),
      await ask(ann.id, token(ann.customerId, { shop: "elsewhere.myshopify.com" })),
      await ask(ann.id, token(ann.customerId, { shop: "not a shop" })),
      await ask("12abc", token(ann.customerId)),
    ];
    for (const answer of cases) {
      expect([answer.status, answer.body, answer.headers.get("Cache-Control")]).toEqual([
        unknown.status,
        unknown.body,
        "private, no-store",
      ]);
    }
  });

  it("answers the preflight and carries CORS headers for the extension's origin; refuses other methods", async () => {
    const preflight = await ask(ann.id, null, {
      method: "OPTIONS",
      headers: { "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(preflight.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");
    const answer = await ask(ann.id, token(ann.customerId));
    expect([answer.status, answer.headers.get("Access-Control-Allow-Origin")]).toEqual([200, "*"]);
    const posted = await ask(ann.id, token(ann.customerId), { method: "POST" });
    expect([posted.status, posted.headers.get("Access-Control-Allow-Origin")]).toEqual([405, "*"]);
  });

  it("the block asks by the numeric id of the page's order GID", () => {
    expect(orderUrl(ann.gid, APP_URL)).toBe(`${APP_URL}/api/customer/order-status/${ann.id}`);
    expect(orderUrl("gid://shopify/DraftOrder/1", APP_URL)).toBeNull();
  });
});

describe("each state, as the customer's page has it", () => {
  it("waiting: the lines with the expected date and deadline, and Wait, Ship what is ready and Cancel offered", async () => {
    // In the order the customer's page lists them (findOrderLines): the order's lines as the app recorded them.
    const rows = await findOrderLines(db, SHOP, ann.gid);
    const stool = rows.find((row) => row.sku === "STOOL")!;
    const day = (date: Date | null) => date!.toISOString().slice(0, 10);
    const order = await orderFor(ann);
    expect(order).toEqual({
      id: ann.gid,
      name: ann.name,
      lines: [
        {
          title: "Oak stool",
          quantity: 2,
          shipped: 0,
          ready: 0,
          waiting: 2,
          cancelled: 0,
          promisedAt: day(stool.promisedAt),
          deadlineAt: day(stool.deadlineAt),
        },
        {
          title: "Brass lamp",
          quantity: 1,
          shipped: 0,
          ready: 1,
          waiting: 0,
          cancelled: 0,
          promisedAt: null,
          deadlineAt: null,
        },
      ].sort((x, y) => rows.findIndex((r) => r.title === x.title) - rows.findIndex((r) => r.title === y.title)),
      status: {
        consentedUntil: null,
        cancelling: false,
        cancelledByYou: false,
        cancelledNoReply: false,
        replyBy: null,
        shipping: false,
      },
      links: {
        page: signedLink(ann.id),
        wait: { url: expect.stringMatching(/#bk-wait$/), until: day(stool.promisedAt) },
        cancel: signedLink(ann.id, "/cancel"),
        ship: { url: expect.stringMatching(/#bk-ship$/), ready: 1 },
        expiresAt: expect.any(String),
      },
    });
    expect(new Date(order.links.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);

    // The links open the customer's page on the shop's domain, with the same forms.
    const page = await open(order.links.page);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`Order ${ann.name}`);
    expect(page.html).toMatch(/<form method="post" action="[^"]*\/wait\?link=/);
    expect(page.html).toMatch(/<form method="post" action="[^"]*\/ship\?link=/);
    const review = await open(order.links.cancel!);
    expect(review.html).toContain("2 × Oak stool");
  });

  it("shipped: a line that went out in full, with nothing left to act on", async () => {
    const order = await orderFor(annRug);
    expect(order.lines).toEqual([
      {
        title: "Wool rug",
        quantity: 1,
        shipped: 1,
        ready: 0,
        waiting: 0,
        cancelled: 0,
        promisedAt: expect.any(String),
        deadlineAt: expect.any(String),
      },
    ]);
    expect(order.links).toMatchObject({ page: signedLink(annRug.id), wait: null, cancel: null, ship: null });
  });

  it("consented: after the customer's Wait, the date agreed and no Wait offered again", async () => {
    const before = await orderFor(ann);
    const until = new Date(`${before.links.wait!.until}T23:59:59.000Z`);
    const ids = (
      await db.backorderLine.findMany({ where: { shop: SHOP, orderId: ann.gid, backorderedQty: { gt: 0 } } })
    ).map((row) => row.id);
    await extendDeadlines(db, SHOP, ids, until, new Date(), "customer");
    const order = await orderFor(ann);
    expect(order.status).toEqual({
      consentedUntil: before.links.wait!.until,
      cancelling: false,
      cancelledByYou: false,
      cancelledNoReply: false,
      replyBy: null,
      shipping: false,
    });
    expect(order.links.wait).toBeNull();
    expect(order.links.cancel).toEqual(signedLink(ann.id, "/cancel"));
  });

  it("cancelled: under way, then the waiting units cancelled at the customer's request", async () => {
    await saveSettings(db, SHOP, { ...DEFAULT_SETTINGS, partialShipment: "ship_complete", shipReadyOnRequest: false });
    const ids = (
      await db.backorderLine.findMany({ where: { shop: SHOP, orderId: ann.gid, backorderedQty: { gt: 0 } } })
    ).map((row) => row.id);
    // The key the customer page's Cancel gives its job: the page and the block read "under way" from it.
    const key = `customer:${ann.gid}:cancel:block-test`;
    await requestCancelRemainder(createJobQueue(db), SHOP, ids, "customer_cancelled", key);
    const underWay = await orderFor(ann);
    expect(underWay.status.cancelling).toBe(true);
    expect(underWay.links).toMatchObject({ wait: null, cancel: null, ship: null });

    await pipeline.drain();
    const order = await orderFor(ann);
    expect(order.lines.find((line) => line.title === "Oak stool")).toMatchObject({ waiting: 0, cancelled: 2 });
    expect(order.status).toMatchObject({ cancelling: false, cancelledByYou: true });
    expect(order.links).toMatchObject({ page: signedLink(ann.id), wait: null, cancel: null, ship: null });
  });
});
