import { describe, expect, it } from "vitest";

import { existsSync } from "node:fs";

import { FLOW_TRIGGER_NAMES, FLOW_TRIGGERS } from "~/services/flow-triggers";

import { declaredLifecycleCallbacks, declaredTriggers, payloadProblems } from "./flow-triggers";

describe("Flow trigger extensions", () => {
  it("declare exactly the four triggers the pipeline sends, with valid handles and the names the app maps", () => {
    const triggers = declaredTriggers();
    expect(triggers.map((t) => t.handle).sort()).toEqual(Object.values(FLOW_TRIGGERS).sort());
    for (const { handle } of triggers) expect(handle).toMatch(/^[a-z0-9-]{1,30}$/);
    // Flow's lifecycle callback names a trigger by its definition id (Shopify's example is the trigger's name).
    expect(Object.fromEntries(triggers.map((t) => [t.handle, t.name]))).toEqual(FLOW_TRIGGER_NAMES);
  });

  it("declare one lifecycle callback, at the app's route for it", () => {
    expect(declaredLifecycleCallbacks()).toEqual([{ handle: "flow-trigger-lifecycle", url: "/flow/lifecycle" }]);
    expect(existsSync("app/routes/flow.lifecycle.tsx")).toBe(true);
  });

  it("find a payload that does not match its declaration", () => {
    const triggers = declaredTriggers();
    expect(
      payloadProblems(triggers, "backorder-created", {
        order_id: 1,
        "Backordered units": 2,
        "Promised date": "2026-12-10",
      }),
    ).toEqual([]);
    expect(
      payloadProblems(triggers, "backorder-created", { order_id: "1", "Backordered units": 2, Extra: true }),
    ).toEqual([
      "backorder-created: order_id is not a order_reference",
      "backorder-created: Promised date missing",
      "backorder-created: Extra is not declared",
    ]);
    expect(payloadProblems(triggers, "nope", {})).toEqual(["no extension declares the trigger nope"]);
  });
});
