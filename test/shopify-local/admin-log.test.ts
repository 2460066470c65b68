import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startLocalShopify, type LocalShopify } from "./server";
import { adminGraphql } from "./testing";

let local: LocalShopify;
let token: string;

beforeAll(async () => {
  local = await startLocalShopify({ apiSecret: "secret", clock: "frozen", startAt: new Date("2026-11-02T09:00:00Z") });
  token = (await local.control.createShop({ domain: "log.myshopify.com" })).accessToken;
  await local.control.createShop({ domain: "other.myshopify.com" });
});
afterAll(() => local.stop());

describe("the Admin request log (GET /_local/admin-log)", () => {
  it("records each request's operation, variables, answer and actual cost, per shop", async () => {
    const query = "query ShopName($id: ID!) { shop { name } node(id: $id) { id } }";
    const answer = await adminGraphql(local.origin, token, query, { id: "gid://shopify/Order/1" });
    expect(answer.json.errors).toBeUndefined();
    await adminGraphql(local.origin, token, "mutation Broken { tagsAdd(id: 1) { node { id } } }");

    const log = await local.control.adminLog({ shop: "log.myshopify.com" });
    expect(log).toHaveLength(2);
    expect(log[0]).toEqual({
      at: "2026-11-02T09:00:00Z",
      atMs: Date.parse("2026-11-02T09:00:00Z"),
      shop: "log.myshopify.com",
      operation: "ShopName",
      fields: { shop: "shop", node: "node" },
      variables: { id: "gid://shopify/Order/1" },
      status: 200,
      answer: answer.json,
      cost: answer.json.extensions.cost.actualQueryCost,
    });
    expect(log[0]!.cost).toBeGreaterThan(0);
    // A refused operation is logged too, with no cost charged.
    expect(log[1]).toMatchObject({ operation: "Broken", fields: {}, status: 200, cost: null });
    expect((log[1]!.answer as { errors: unknown[] }).errors.length).toBeGreaterThan(0);

    expect(await local.control.adminLog({ shop: "other.myshopify.com" })).toEqual([]);
    expect(await local.control.adminLog({ operation: "ShopName" })).toHaveLength(1);
  });

  it("names each root field by its answer key, through aliases and fragments", async () => {
    const query = `mutation Batch($a: ID!, $b: ID!) {
      item0: tagsAdd(id: $a, tags: ["x"]) { userErrors { message } }
      ...More
    }
    fragment More on Mutation { item1: tagsRemove(id: $b, tags: ["x"]) { userErrors { message } } }`;
    await adminGraphql(local.origin, token, query, { a: "gid://shopify/Order/1", b: "gid://shopify/Order/2" });
    const [entry] = await local.control.adminLog({ shop: "log.myshopify.com", operation: "Batch" });
    expect(entry!.fields).toEqual({ item0: "tagsAdd", item1: "tagsRemove" });
  });

  it("records the 429s and 503s it injects, with no cost, as the app's calls", async () => {
    await local.control.setFaults({ api: { tooManyRequestsRate: 1 } });
    const throttled = await adminGraphql(local.origin, token, "query Throttled { shop { name } }");
    await local.control.setFaults({ api: { tooManyRequestsRate: 0, serverErrorRate: 1 } });
    const failed = await adminGraphql(local.origin, token, "query Failed { shop { name } }");
    await local.control.setFaults({ api: { serverErrorRate: 0 } });
    expect([throttled.status, failed.status]).toEqual([429, 503]);
    const log = await local.control.adminLog({ shop: "log.myshopify.com" });
    expect(log.slice(-2).map((e) => [e.operation, e.status, e.cost])).toEqual([
      ["Throttled", 429, null],
      ["Failed", 503, null],
    ]);
  });

  it("serves the virtual clock a local app follows", async () => {
    expect(await local.control.clock()).toEqual({
      mode: "frozen",
      now: "2026-11-02T09:00:00Z",
      nowMs: Date.parse("2026-11-02T09:00:00Z"),
    });
    await local.control.advanceClock(3_600_000);
    expect((await local.control.clock()).now).toBe("2026-11-02T10:00:00Z");
  });
});
