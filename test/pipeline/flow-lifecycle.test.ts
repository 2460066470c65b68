import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { flowTriggerState } from "~/models/flow-usage.server";
import { DEFAULT_SETTINGS, saveSettings } from "~/models/settings.server";

import { ControlError } from "../shopify-local/control/client";
import { startPipeline, type Pipeline } from "./harness";

const SHOP = "flow-lifecycle.myshopify.com";

/**
 * End to end: the merchant turns Flow workflows on and off in Local Shopify, whose lifecycle callback reaches
 * the app's real route (HMAC-checked by authenticate.flow); the pipeline then sends flowTriggerReceive for a
 * trigger unless the newest callback about it said no workflow uses it, and only while the shop's Flow setting
 * is on. A trigger the app has heard nothing about is sent: a lost record must not silence a workflow for good.
 */
describe("Flow triggers follow the lifecycle callback", () => {
  let pipeline: Pipeline;
  let variantId: number;
  let inventoryItemId: number;
  let locationId: number;

  const sentTriggers = async () =>
    (await pipeline.shopify.control.flowTriggers(SHOP)).map((t) => [t.handle, t.startedWorkflows]);
  const backorder = async () => {
    await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "flow@example.com" },
      lines: [{ variantId, quantity: 1 }],
    });
    await pipeline.drain();
  };

  beforeAll(async () => {
    pipeline = await startPipeline();
    ({ locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo", allocationWindow: "immediate" }));
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Kettle",
      variants: [
        { sku: "KETTLE", price: "30.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    variantId = product.variants[0]!.id;
    inventoryItemId = product.variants[0]!.inventoryItemId;
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("sends a trigger the app has heard nothing about (no callback yet), though it starts no workflow", async () => {
    await backorder();
    expect(await sentTriggers()).toEqual([["backorder-created", 0]]);
    expect(await flowTriggerState(db, SHOP, "backorder-created")).toBe("unknown");
  });

  it("cannot turn a workflow on while the app is down, and then records nothing", async () => {
    pipeline.setIntake(false);
    const refused = await pipeline.turnOnWorkflows(SHOP, ["backorder-created"]).catch((error: unknown) => error);
    pipeline.setIntake(true);
    expect(refused).toBeInstanceOf(ControlError);
    expect((refused as ControlError).status).toBe(422);
    expect(await flowTriggerState(db, SHOP, "backorder-created")).toBe("unknown");
  });

  it("sends the trigger once a workflow using it is turned on, and not one whose workflow was turned off", async () => {
    const [workflow] = await pipeline.shopify.control.workflows(SHOP);
    await pipeline.shopify.control.setWorkflowEnabled(SHOP, workflow!.id, true);
    expect(await flowTriggerState(db, SHOP, "backorder-created")).toBe("on");
    // A workflow on "backorder allocated" turned on and off again: its callback says none uses the trigger.
    const allocated = await pipeline.shopify.control.createWorkflow(SHOP, { trigger: "backorder-allocated" });
    await pipeline.shopify.control.setWorkflowEnabled(SHOP, allocated.id, false);
    expect(await flowTriggerState(db, SHOP, "backorder-allocated")).toBe("off");

    await backorder();
    expect(await sentTriggers()).toEqual([
      ["backorder-created", 0],
      ["backorder-created", 1],
    ]);

    // The restock releases the waiting orders: no workflow uses "backorder allocated", so it is not sent.
    await pipeline.shopify.control.adjustInventory(SHOP, { inventoryItemId, locationId, delta: 3 });
    await pipeline.drain();
    expect(await sentTriggers()).toEqual([
      ["backorder-created", 0],
      ["backorder-created", 1],
    ]);
  });

  it("stops sending when the merchant turns the Flow setting off, and when the workflow is turned off", async () => {
    await saveSettings(db, SHOP, { ...DEFAULT_SETTINGS, flowEnabled: false });
    await backorder();
    expect(await sentTriggers()).toHaveLength(2);

    await saveSettings(db, SHOP, { ...DEFAULT_SETTINGS, flowEnabled: true });
    const [workflow] = await pipeline.shopify.control.workflows(SHOP);
    await pipeline.shopify.control.setWorkflowEnabled(SHOP, workflow!.id, false);
    expect(await flowTriggerState(db, SHOP, "backorder-created")).toBe("off");
    await backorder();
    expect(await sentTriggers()).toHaveLength(2);
  });

  it("sends again to a workflow turned on while the app's record of it was lost", async () => {
    const [workflow] = await pipeline.shopify.control.workflows(SHOP);
    await pipeline.shopify.control.setWorkflowEnabled(SHOP, workflow!.id, true);
    // The app forgets what the callbacks said, as shop/redact and a later reinstall leave it; Flow does not
    // call back again while the workflow stays on.
    await db.flowTriggerUsage.deleteMany({ where: { shop: SHOP } });
    await backorder();
    expect((await sentTriggers()).at(-1)).toEqual(["backorder-created", 1]);
  });
});
