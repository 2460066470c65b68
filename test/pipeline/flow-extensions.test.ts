import { describe, expect, it } from "vitest";

import { FLOW_TRIGGERS } from "~/services/effects.server";

import { declaredTriggers, payloadProblems } from "./flow-triggers";

describe("Flow trigger extensions", () => {
  it("declare exactly the four triggers the pipeline sends, with valid handles", () => {
    const triggers = declaredTriggers();
    expect(triggers.map((t) => t.handle).sort()).toEqual(Object.values(FLOW_TRIGGERS).sort());
    for (const { handle } of triggers) expect(handle).toMatch(/^[a-z0-9-]{1,30}$/);
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
