import { describe, expect, it } from "vitest";

import { DEFAULT_SETTINGS } from "../../models/settings.server";
import { EXAMPLE_ORDERED, policyExamples } from "./policy-examples";

describe("the settings' policy examples", () => {
  it("GIVEN the default settings THEN the engine's six shares of the example, every policy's row different", () => {
    const examples = policyExamples(DEFAULT_SETTINGS);
    expect(EXAMPLE_ORDERED).toEqual([3, 2, 4, 1, 3, 2, 3]);
    expect(Object.fromEntries(examples.map((example) => [example.policy, example.shares.join(",")]))).toEqual({
      fifo: "3,2,4,0,0,0,0",
      fair_share: "2,2,1,1,1,1,1",
      // Customer 5 carries the first tier tag; customer 7 must ship by tomorrow.
      priority: "3,2,1,0,3,0,0",
      earliest_deadline: "3,2,1,0,0,0,3",
      smallest_first: "3,2,0,1,1,2,0",
      proportional: "2,1,2,1,1,1,1",
    });
    expect(new Set(examples.map((example) => example.shares.join(","))).size).toBe(6);
    for (const example of examples) expect(example.shares.reduce((sum, units) => sum + units, 0)).toBe(9);
  });
});
