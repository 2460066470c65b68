import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotentMutations } from "./graphql/idempotency";
import { startLocalShopify, type LocalShopify } from "./server";
import { adminGraphql, type Json } from "./testing";

let local: LocalShopify;
let token: string;
let shopCounter = 0;

async function freshShop() {
  const shop = await local.control.createShop({ domain: `api-${++shopCounter}.myshopify.com` });
  token = shop.accessToken;
  return shop;
}

beforeAll(async () => {
  local = await startLocalShopify({
    apiSecret: "test-secret",
    clock: "frozen",
    startAt: new Date("2026-11-20T10:00:00Z"),
    plan: { maximumAvailable: 100, restoreRate: 10 },
  });
  await freshShop();
});
afterAll(() => local.stop());

describe("calculated query cost (parity row C1)", () => {
  const cases: [string, string, number, Record<string, unknown>?][] = [
    ["one object", "{ shop { name } }", 1],
    ["a connection of 10 nodes", "{ products(first: 10) { edges { node { id title } } } }", 12],
    [
      "nested connections multiply: 2 + 10 × (1 + 2 + 5)",
      "{ products(first: 10) { edges { node { title variants(first: 5) { edges { node { price } } } } } } }",
      82,
    ],
    [
      "a mutation",
      'mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["a"]) { node { id } userErrors { field message } } }',
      10,
    ],
    [
      "an interface takes its costliest fragment",
      '{ node(id: "gid://shopify/Order/1") { id ... on Order { customer { id } lineItems(first: 3) { nodes { id } } } } }',
      7,
    ],
    [
      "a list that is not a connection costs as one object, whatever its length",
      '{ fulfillmentOrder(id: "gid://shopify/FulfillmentOrder/1") { fulfillmentHolds { id } } }',
      2,
    ],
    ["a page size from a variable", "query($n: Int!) { products(first: $n) { nodes { id } } }", 27, { n: 25 }],
    [
      "fragments count, skipped fields do not",
      "query($skip: Boolean!) { shop { ...S } products(first: 5) @skip(if: $skip) { nodes { id } } } fragment S on Shop { primaryDomain { host } }",
      2,
      { skip: true },
    ],
  ];
  for (const [name, query, cost, variables] of cases) {
    it(`requests ${cost} for ${name}`, async () => {
      await freshShop();
      const answer = await adminGraphql(local.origin, token, query, variables);
      expect(answer.json.extensions.cost.requestedQueryCost).toBe(cost);
    });
  }

  it("charges the actual cost of what came back: fewer nodes cost less", async () => {
    const shop = await freshShop();
    await local.control.createProduct(shop.domain, { title: "Only one", variants: [{}] });
    const answer = await adminGraphql(local.origin, token, "{ products(first: 10) { edges { node { id title } } } }");
    expect(answer.json.extensions.cost).toEqual({
      requestedQueryCost: 12,
      actualQueryCost: 3,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 97, restoreRate: 10 },
    });
  });
});

describe("metafieldsSet's dynamic complexity (parity row C4)", () => {
  // shopify.dev changelog "Dynamic complexity cost for metafieldsSet mutation" (2026-09-15): 10 + per distinct
  // owner its type's weight (Order 10, Product 4, ProductVariant 2, Collection, Customer and Shop 1, others 0),
  // owners counted once per invocation, aliases charged separately.
  const set = (ownerIds: string[]) =>
    `[${ownerIds.map((ownerId, i) => `{ ownerId: "${ownerId}", namespace: "n", key: "k${i}", type: "single_line_text_field", value: "v" }`).join(", ")}]`;
  const cases: [string, string, number][] = [
    [
      "one order, two of its metafields: the owner counts once",
      `mutation { metafieldsSet(metafields: ${set(["gid://shopify/Order/1", "gid://shopify/Order/1"])}) { userErrors { message } } }`,
      20,
    ],
    [
      "two orders, a product, a variant and a customer",
      `mutation { metafieldsSet(metafields: ${set(["gid://shopify/Order/1", "gid://shopify/Order/2", "gid://shopify/Product/3", "gid://shopify/ProductVariant/4", "gid://shopify/Customer/5"])}) { userErrors { message } } }`,
      37,
    ],
    [
      "an owner type without a weight",
      `mutation { metafieldsSet(metafields: ${set(["gid://shopify/Location/1"])}) { userErrors { message } } }`,
      10,
    ],
    [
      "two aliases on the same order: no deduplication across them",
      `mutation { a: metafieldsSet(metafields: ${set(["gid://shopify/Order/1"])}) { userErrors { message } } b: metafieldsSet(metafields: ${set(["gid://shopify/Order/1"])}) { userErrors { message } } }`,
      40,
    ],
  ];
  for (const [name, query, cost] of cases) {
    it(`requests and charges ${cost} for ${name}`, async () => {
      await freshShop();
      const answer = await adminGraphql(local.origin, token, query);
      expect(answer.json.extensions.cost).toMatchObject({ requestedQueryCost: cost, actualQueryCost: cost });
    });
  }

  it("prices the metafields given as a variable too", async () => {
    await freshShop();
    const answer = await adminGraphql(
      local.origin,
      token,
      "mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }",
      {
        m: [
          { ownerId: "gid://shopify/ProductVariant/7", namespace: "n", key: "a", type: "date", value: "2026-12-01" },
          { ownerId: "gid://shopify/ProductVariant/8", namespace: "n", key: "a", type: "date", value: "2026-12-01" },
        ],
      },
    );
    expect(answer.json.extensions.cost.requestedQueryCost).toBe(14);
  });
});

describe("leaky bucket (parity row C2)", () => {
  it("throttles with Shopify's THROTTLED shape and refills at restoreRate per second", async () => {
    await freshShop();
    const mutation = 'mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["a"]) { userErrors { message } } }';
    for (let i = 0; i < 9; i++) await adminGraphql(local.origin, token, mutation);
    const query = "{ products(first: 10) { nodes { id } } }";

    const throttled = await adminGraphql(local.origin, token, query);
    expect(throttled.status).toBe(200);
    expect(throttled.json).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 12,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 100, currentlyAvailable: 10, restoreRate: 10 },
        },
      },
    });

    await local.control.advanceClock(1_000);
    const after = await adminGraphql(local.origin, token, query);
    // 10 + 10 restored = 20; 12 taken, 10 refunded (no product came back).
    expect(after.json.extensions.cost).toEqual({
      requestedQueryCost: 12,
      actualQueryCost: 2,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 18, restoreRate: 10 },
    });
  });

  it("GIVEN the control API empties a shop's bucket THEN its next query is THROTTLED, and it refills from there", async () => {
    const { domain } = await freshShop();
    const query = "{ shop { name } }";

    expect(await local.control.setThrottle(domain, 0)).toEqual({
      maximumAvailable: 100,
      currentlyAvailable: 0,
      restoreRate: 10,
    });
    expect((await adminGraphql(local.origin, token, query)).json.errors[0].extensions.code).toBe("THROTTLED");

    await local.control.advanceClock(1_000);
    expect(
      (await adminGraphql(local.origin, token, query)).json.extensions.cost.throttleStatus.currentlyAvailable,
    ).toBe(9);
  });

  it("keeps one bucket per shop", async () => {
    await freshShop();
    const answer = await adminGraphql(local.origin, token, "{ shop { name } }");
    expect(answer.json.extensions.cost.throttleStatus.currentlyAvailable).toBe(99);
  });
});

describe("single query ceiling (parity row C3)", () => {
  it("refuses a query whose requested cost is over 1000 before running it", async () => {
    await freshShop();
    const answer = await adminGraphql(
      local.origin,
      token,
      "{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }",
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      errors: [
        {
          message:
            "Query cost is 63252, which exceeds the single query max cost limit (1000).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n",
          extensions: {
            code: "MAX_COST_EXCEEDED",
            cost: 63252,
            maxCost: 1000,
            documentation: "https://shopify.dev/api/usage/rate-limits",
          },
        },
      ],
    });
  });
});

describe("invalid operations (parity row V1)", () => {
  it("rejects an unknown field like graphql-ruby", async () => {
    const answer = await adminGraphql(local.origin, token, "{ shop { nam } }");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      errors: [
        {
          message: "Field 'nam' doesn't exist on type 'Shop'",
          locations: [{ line: 1, column: 10 }],
          path: ["query", "shop", "nam"],
          extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nam" },
        },
      ],
    });
  });

  it("rejects an argument of the wrong type", async () => {
    const answer = await adminGraphql(
      local.origin,
      token,
      'query Products { products(first: "ten") { nodes { id } } }',
    );
    expect(answer.json.errors).toEqual([
      {
        message: "Argument 'first' on Field 'products' has an invalid value (\"ten\"). Expected type 'Int'.",
        locations: [{ line: 1, column: 34 }],
        path: ["query Products", "products", "first"],
        extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: "first" },
      },
    ]);
  });

  it("rejects a missing required argument and an unknown argument", async () => {
    const answer = await adminGraphql(local.origin, token, "{ product { id } shop(foo: 1) { id } }");
    expect(answer.json.errors.map((e: Json) => [e.message, e.extensions.code])).toEqual([
      ["Field 'product' is missing required arguments: id", "missingRequiredArguments"],
      ["Field 'shop' doesn't accept argument 'foo'", "argumentNotAccepted"],
    ]);
  });

  it("rejects variables that do not coerce with INVALID_VARIABLE", async () => {
    const answer = await adminGraphql(local.origin, token, "query($id: ID!) { order(id: $id) { id } }", {
      id: { not: "an id" },
    });
    expect(answer.json.errors).toEqual([
      {
        message: "Variable $id of type ID! was provided invalid value",
        locations: [{ line: 1, column: 7 }],
        extensions: {
          value: { not: "an id" },
          problems: [{ path: [], explanation: 'ID cannot represent value: { not: "an id" }' }],
          code: "INVALID_VARIABLE",
        },
      },
    ]);
  });

  it("answers a syntax error with graphql-ruby's parse error", async () => {
    const answer = await adminGraphql(local.origin, token, "{ shop { name }");
    expect(answer.json.errors).toEqual([
      { message: "Parse error on end of file at [1, 16]", locations: [{ line: 1, column: 16 }] },
    ]);
  });

  it("fails a valid field the local model lacks, instead of answering null", async () => {
    const answer = await adminGraphql(local.origin, token, "{ shop { name shipsToCountries } }");
    expect(answer.json.errors).toEqual([
      {
        message: "The local Shopify does not implement Shop.shipsToCountries yet.",
        locations: [{ line: 1, column: 15 }],
        path: ["shop", "shipsToCountries"],
      },
    ]);
  });

  it("I1: requires @idempotent on exactly the mutations whose 2026-10 description says so", async () => {
    // Read from the descriptions ("As of 2026-04, the idempotency key is required…"); pinned here so a new schema
    // that changes the list shows up in review.
    expect([...idempotentMutations("2026-10").required].sort()).toEqual([
      "inventoryActivate",
      "inventoryAdjustQuantities",
      "inventoryMoveQuantities",
      "inventorySetOnHandQuantities",
      "inventorySetQuantities",
      "inventoryShipmentAddItems",
      "inventoryShipmentCreate",
      "inventoryShipmentCreateInTransit",
      "inventoryShipmentReceive",
      "inventoryTransferCreate",
      "inventoryTransferCreateAsReadyToShip",
      "inventoryTransferDuplicate",
      "inventoryTransferSetItems",
      "locationActivate",
      "locationDeactivate",
      "refundCreate",
    ]);
    const refund = await adminGraphql(
      local.origin,
      token,
      'mutation { refundCreate(input: { orderId: "gid://shopify/Order/1" }) { userErrors { message } } }',
    );
    expect(refund.json.errors).toEqual([
      { message: "The @idempotent directive is required for the refundCreate field." },
    ]);
    const unsupported = await adminGraphql(
      local.origin,
      token,
      'mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["x"]) @idempotent(key: "k") { userErrors { message } } }',
    );
    expect(unsupported.json.errors).toEqual([
      { message: "The @idempotent directive is not supported for the tagsAdd field." },
    ]);
  });

  it("requires @idempotent on inventoryAdjustQuantities", async () => {
    const answer = await adminGraphql(
      local.origin,
      token,
      'mutation { inventoryAdjustQuantities(input: { name: "available", reason: "correction", changes: [] }) { userErrors { message } } }',
    );
    expect(answer.json.errors).toEqual([
      { message: "The @idempotent directive is required for the inventoryAdjustQuantities field." },
    ]);
  });
});

describe("reaching the API", () => {
  it("answers a wrong token with 401 and an unknown version with 404", async () => {
    const wrong = await adminGraphql(local.origin, "shpat_wrong", "{ shop { name } }");
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
    const unknown = await adminGraphql(local.origin, token, "{ shop { name } }", {}, "2019-01");
    expect(unknown.status).toBe(404);
  });

  it("takes a bare operation sent as application/graphql", async () => {
    const response = await fetch(`${local.origin}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/graphql", "X-Shopify-Access-Token": token },
      body: "{ shop { myshopifyDomain } }",
    });
    expect(((await response.json()) as Json).data).toEqual({
      shop: { myshopifyDomain: `api-${shopCounter}.myshopify.com` },
    });
  });

  it("serves 2026-07 with its own schema", async () => {
    const answer = await adminGraphql(local.origin, token, "{ shop { myshopifyDomain } }", {}, "2026-07");
    expect(answer.json.data).toEqual({ shop: { myshopifyDomain: `api-${shopCounter}.myshopify.com` } });
  });
});

describe("cursors (parity row Q1)", () => {
  const page = `query($after: String) {
    orders(first: 2, after: $after, sortKey: CREATED_AT, reverse: true) {
      pageInfo { hasNextPage endCursor }
      nodes { name }
    }
  }`;

  it("GIVEN an order placed after the first page of newest-first orders THEN the next page goes on after that page's last order, without it", async () => {
    const shop = await freshShop();
    const product = await local.control.createProduct(shop.domain, {
      title: "Mug",
      variants: [{ sku: "MUG", inventoryPolicy: "CONTINUE" }],
    });
    const place = () =>
      local.control.placeOrder(shop.domain, { lines: [{ variantId: product.variants[0]!.id, quantity: 1 }] });
    for (let i = 0; i < 4; i++) await place();
    const first = (await adminGraphql(local.origin, token, page)).json.data;
    expect(first.orders.nodes.map((o: Json) => o.name)).toEqual(["#1004", "#1003"]);
    await place();
    const next = (await adminGraphql(local.origin, token, page, { after: first.orders.pageInfo.endCursor })).json.data;
    expect(next.orders.nodes.map((o: Json) => o.name)).toEqual(["#1002", "#1001"]);
    expect(next.orders.pageInfo.hasNextPage).toBe(false);
  });
});
