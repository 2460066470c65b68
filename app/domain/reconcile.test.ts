import { describe, expect, it } from "vitest";

import { findDrift } from "./reconcile";

describe("findDrift", () => {
  it("GIVEN records and holds that agree THEN nothing to heal", () => {
    expect(
      findDrift({
        holdsOnShopify: new Map([["H1", "O1"]]),
        recorded: [{ orderId: "O1", holdId: "H1", heldUnits: 2 }],
        unseenOrderIds: [],
      }),
    ).toEqual({ holdsWithoutRecord: 0, recordsWithoutHold: 0, ordersNeverSeen: 0, ordersToHeal: [] });
  });

  it("GIVEN each kind of drift THEN each is counted and every order is healed once, in the order found", () => {
    expect(
      findDrift({
        // H2: a hold whose detection was never recorded (its job lost); H3 is O3's second hold, also unrecorded.
        holdsOnShopify: new Map([
          ["H1", "O1"],
          ["H2", "O2"],
          ["H3", "O3"],
        ]),
        recorded: [
          { orderId: "O1", holdId: "H1", heldUnits: 1 },
          // O3's recorded hold is gone from Shopify while units are still held for it.
          { orderId: "O3", holdId: "H9", heldUnits: 2 },
          // O4's hold is gone too, but nothing is held for it any more: settled, not drift.
          { orderId: "O4", holdId: "H8", heldUnits: 0 },
        ],
        // O2 is also unseen (no record at all): healed once, counted under the hold.
        unseenOrderIds: ["O5", "O2"],
      }),
    ).toEqual({
      holdsWithoutRecord: 2,
      recordsWithoutHold: 1,
      ordersNeverSeen: 1,
      ordersToHeal: ["O2", "O3", "O5"],
    });
  });
});
