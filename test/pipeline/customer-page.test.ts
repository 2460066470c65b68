import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { saveSettings, DEFAULT_SETTINGS } from "~/models/settings.server";
import { loader } from "~/routes/apps.backorders.$";
import { issueCustomerLink, revokeCustomerLinks } from "~/services/customer-page/links.server";

import { call } from "../admin/support";
import { proxySignature } from "../shopify-local/storefront/app-proxy";
import { TEST_SECRET } from "../support/webhooks";
import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

// The customer's page (app/routes/apps.backorders.$.tsx) as a customer's browser reaches it: through Local
// Shopify's storefront, whose app proxy signs each request as Shopify does and renders the app's Liquid.
const SHOP = "customer-page.myshopify.com";
const DAY = 86_400_000;
let pipeline: Pipeline;
let ann: { id: number; gid: string; name: string; customerId: number | null };
let bob: { id: number; gid: string; name: string; customerId: number | null };
let annCookie = "";

const storefront = (path: string) => `${pipeline.shopify.origin}/storefront/${SHOP}${path}`;

async function get(path: string, cookie = "") {
  const response = await fetch(storefront(path), { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
  // Without the preview's note, which carries Local Shopify's clock: two answers compare by what the app said.
  return { status: response.status, html: (await response.text()).replace(/<p class="note">.*?<\/p>/s, "") };
}

async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(storefront(path), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
  return { status: response.status, html: await response.text() };
}

/** The hidden fields of the form posting to `action` (a path ending), as the browser would send them. */
function formFields(html: string, action: string): Record<string, string> {
  const form = new RegExp(`<form method="post" action="[^"]*${action}[^"]*">(.*?)</form>`, "s").exec(html)?.[1];
  if (!form) throw new Error(`no form posting to ${action} in:\n${html}`);
  return Object.fromEntries([...form.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** The `…/apps/backorders/…` path of a form's action, the query kept, under the storefront's base. */
function formAction(html: string, action: string): string {
  const href = new RegExp(`<form method="post" action="([^"]*${action}[^"]*)">`).exec(html)?.[1];
  if (!href) throw new Error(`no form posting to ${action}`);
  return href.replace(`/storefront/${SHOP}`, "").replace(/&amp;/g, "&");
}

async function linkFor(order: { gid: string }, expiresAt = new Date(Date.now() + 30 * DAY)) {
  return (await issueCustomerLink(db, TEST_SECRET, SHOP, order.gid, expiresAt)).path;
}

const consents = () => db.timelineEvent.findMany({ where: { shop: SHOP, kind: "consent" } });
const refunds = () => pipeline.calls.filter((c) => c.shop === SHOP && c.operation === "BackorderRefund").length;

beforeAll(async () => {
  pipeline = await startPipeline();
  env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
  const { locationId } = await pipeline.install(SHOP, { partialShipment: "ship_complete" });
  const product = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Oak stool",
    variants: [
      { sku: "STOOL", price: "80.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
    ],
  });
  const lamp = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Brass lamp",
    variants: [
      { sku: "LAMP", price: "40.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 5 } },
    ],
  });
  ann = await pipeline.shopify.control.placeOrder(SHOP, {
    customer: { email: "ann@example.com", firstName: "Ann" },
    lines: [
      { variantId: product.variants[0]!.id, quantity: 2 },
      { variantId: lamp.variants[0]!.id, quantity: 1 },
    ],
  });
  bob = await pipeline.shopify.control.placeOrder(SHOP, {
    customer: { email: "bob@example.com", firstName: "Bob" },
    lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
  });
  await pipeline.drain();
  const login = await fetch(storefront("/account/login"), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "email=ann%40example.com",
    redirect: "manual",
  });
  expect(login.status).toBe(303);
  annCookie = login.headers.get("set-cookie")!.split(";")[0]!;
});

afterAll(async () => {
  await pipeline.stop();
});

describe("who sees what", () => {
  it("a bad proxy signature is refused by the library before anything is read", async () => {
    const query = new URLSearchParams({
      shop: SHOP,
      logged_in_customer_id: String(ann.customerId),
      path_prefix: "/apps/backorders",
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    query.set("signature", proxySignature(query, "not-the-secret"));
    const forged = await call(loader, new Request(`https://backorder-keeper.test/apps/backorders?${query}`), {
      "*": "",
    });
    expect(forged.status).toBe(400);
    query.set("signature", proxySignature(query, TEST_SECRET));
    const signed = await call(loader, new Request(`https://backorder-keeper.test/apps/backorders?${query}`), {
      "*": "",
    });
    expect(signed.status).toBe(200);
    expect(signed.body).toContain(ann.name);
  });

  it("the logged-in customer sees their own orders and no one else's", async () => {
    const list = await get("/apps/backorders", annCookie);
    expect(list.status).toBe(200);
    expect(list.html).toContain(`Order ${ann.name}: 2 waiting`);
    expect(list.html).not.toContain(bob.name);
    const own = await get(`/apps/backorders/orders/${ann.id}`, annCookie);
    expect(own.status).toBe(200);
    expect(own.html).toContain("Oak stool");

    const logged = await get("/apps/backorders");
    expect(logged.html).toContain("Log in to see your orders");
    expect(logged.html).toContain(`href="/storefront/${SHOP}/account/login"`);
  });

  it("another customer's order, an unknown one, a forged or revoked link all answer the same 404", async () => {
    const unknown = await get("/apps/backorders/orders/999999", annCookie);
    expect(unknown.status).toBe(404);
    const others = await get(`/apps/backorders/orders/${bob.id}`, annCookie);
    expect(others).toEqual(unknown);
    const bobLink = await linkFor(bob);
    const forged = bobLink.replace(/\.([\w-])/, (_, c: string) => `.${c === "A" ? "B" : "A"}`);
    expect(await get(forged)).toEqual(unknown);
    // Bob's link does not open Ann's order.
    expect(await get(bobLink.replace(`/orders/${bob.id}`, `/orders/${ann.id}`))).toEqual(unknown);
    expect(unknown.html).toContain("We could not find this page.");
    expect(unknown.html).not.toContain("Oak stool");
  });

  it("a signed link opens its order until it expires or the merchant revokes it", async () => {
    const link = await linkFor(bob);
    const open = await get(link);
    expect(open.status).toBe(200);
    expect(open.html).toContain(`Order ${bob.name}`);
    expect(await get(await linkFor(bob, new Date(Date.now() - 1000)))).toMatchObject({ status: 404 });
    await revokeCustomerLinks(db, SHOP, bob.gid, new Date());
    expect(await get(link)).toMatchObject({ status: 404 });
    expect(await get(await linkFor(bob))).toMatchObject({ status: 200 });
  });

  it("speaks the storefront's language, and its links stay in that language's folder", async () => {
    const link = await linkFor(bob);
    const french = await get(`/fr${link}`);
    expect(french.html).toContain(`Commande ${bob.name}`);
    expect(french.html).toContain('lang="fr"');
    expect(french.html).toContain(`action="/storefront/${SHOP}/fr/apps/backorders/orders/${bob.id}/wait?link=`);
    expect((await get(`/de${link}`)).html).toContain(`Bestellung ${bob.name}`);
    expect((await get(`/es${link}`)).html).toContain(`Pedido ${bob.name}`);
  });
});

describe("the forms", () => {
  it("Wait records the customer's consent once; a replayed or cross-site post writes nothing", async () => {
    const page = await get(`/apps/backorders/orders/${ann.id}`, annCookie);
    const fields = formFields(page.html, "/wait");
    const line = await db.backorderLine.findFirstOrThrow({ where: { shop: SHOP, orderId: ann.gid, sku: "STOOL" } });
    expect(fields.until).toBe(line.promisedAt!.toISOString().slice(0, 10));

    // Another site's form in the customer's browser, the worst case: the storefront's cookie goes along.
    const crossSite = await post(formAction(page.html, "/wait"), fields, {
      Cookie: annCookie,
      "Sec-Fetch-Site": "cross-site",
    });
    expect(crossSite.status).toBe(403);
    // One that cannot know the page's token; one that changes the date agreed.
    const noToken = await post(formAction(page.html, "/wait"), { until: fields.until! }, { Cookie: annCookie });
    expect(noToken.status).toBe(403);
    const otherDate = await post(
      formAction(page.html, "/wait"),
      { ...fields, until: "2099-01-01" },
      { Cookie: annCookie },
    );
    expect(otherDate.status).toBe(403);
    // Without the customer's session (SameSite=Lax keeps the cookie from a cross-site post): not even found.
    expect((await post(formAction(page.html, "/wait"), fields)).status).toBe(404);
    expect(await consents()).toEqual([]);

    // The customer's browser posts with the storefront's cookie; Local Shopify passes on the customer, not the cookie.
    const done = await fetch(storefront(formAction(page.html, "/wait")), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: annCookie },
      body: new URLSearchParams(fields).toString(),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Thank you: we recorded that you will wait until");
    const recorded = await consents();
    expect(recorded.map((event) => [event.backorderLineId, JSON.parse(event.detail)])).toEqual([
      [line.id, expect.objectContaining({ source: "customer", until: `${fields.until}T23:59:59.000Z` })],
    ]);
    expect(recorded[0]!.at.getTime()).toBeGreaterThan(Date.now() - 60_000);

    const replay = await post(formAction(page.html, "/wait"), fields, { Cookie: annCookie });
    expect(replay.status).toBe(403);
    expect(replay.html).toContain("This form can no longer be used");
    expect(await consents()).toHaveLength(1);
    expect((await get(`/apps/backorders/orders/${ann.id}`, annCookie)).html).toContain("You agreed to wait until");
  });

  it("Ship what is ready releases the allocated lamp through the release path, where the merchant allows it", async () => {
    const off = await get(`/apps/backorders/orders/${ann.id}`, annCookie);
    expect(off.html).not.toContain("Ship what is ready");
    await saveSettings(db, SHOP, { ...DEFAULT_SETTINGS, partialShipment: "ship_complete", shipReadyOnRequest: true });
    expect(await orderOnShopify(pipeline, SHOP, ann)).toMatchObject({ released: 0, held: 3 });

    const page = await get(`/apps/backorders/orders/${ann.id}`, annCookie);
    const fields = formFields(page.html, "/ship");
    const sent = await post(formAction(page.html, "/ship"), fields, { Cookie: annCookie });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain("We are sending what is ready.");
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, SHOP, ann)).toMatchObject({ released: 1, held: 2 });
    const lamp = await db.backorderLine.findFirst({ where: { shop: SHOP, orderId: ann.gid, sku: "LAMP" } });
    expect(lamp).toMatchObject({ shippedQty: 1, reservedQty: 0 });
    expect((await post(formAction(page.html, "/ship"), fields, { Cookie: annCookie })).status).toBe(403);
  });

  it("Cancel shows Shopify's refund first, then cancels and refunds only what waits, once", async () => {
    const page = await get(`/apps/backorders/orders/${ann.id}`, annCookie);
    expect(page.html).toContain(`href="/storefront/${SHOP}/apps/backorders/orders/${ann.id}/cancel"`);
    const review = await get(`/apps/backorders/orders/${ann.id}/cancel`, annCookie);
    expect(review.html).toContain("2 × Oak stool");
    expect(review.html).toContain("You will be refunded $160.00.");
    expect(refunds()).toBe(0);

    const fields = formFields(review.html, "/cancel");
    const sent = await post(formAction(review.html, "/cancel"), fields, { Cookie: annCookie });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain("Your cancellation is on its way");
    expect((await post(formAction(review.html, "/cancel"), fields, { Cookie: annCookie })).status).toBe(403);
    await pipeline.drain();

    expect(refunds()).toBe(1);
    expect((await records(SHOP)).lostSales).toEqual([
      { order: ann.name, quantity: 2, reason: "customer_cancelled", cents: 8000 },
    ]);
    const after = await get(`/apps/backorders/orders/${ann.id}`, annCookie);
    expect(after.html).toContain("cancelled at your request and refunded");
    expect(after.html).not.toContain("/cancel");
  });
});
