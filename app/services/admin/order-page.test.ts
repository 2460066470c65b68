import { describe, expect, it } from "vitest";

import { lineFigures } from "./order-page.server";

describe("an order page's line figures", () => {
  const partly = { shippedQty: 1, reservedQty: 0, backorderedQty: 2, lostQty: 0 };

  it("GIVEN 1 unit released and nothing fulfilled on Shopify THEN allocated 1, shipped 0", () => {
    expect(lineFigures(partly, { quantity: 3, unfulfilled: 3 })).toEqual({
      shipped: 0,
      allocated: 1,
      waiting: 2,
      lost: 0,
    });
  });

  it("GIVEN the released unit fulfilled THEN shipped 1, allocated 0", () => {
    expect(lineFigures(partly, { quantity: 3, unfulfilled: 2 })).toEqual({
      shipped: 1,
      allocated: 0,
      waiting: 2,
      lost: 0,
    });
  });

  it("GIVEN units held for the line THEN they count as allocated until fulfilled", () => {
    expect(lineFigures({ ...partly, reservedQty: 1 }, { quantity: 3, unfulfilled: 3 })).toMatchObject({
      shipped: 0,
      allocated: 2,
    });
  });

  it("GIVEN Shopify no longer has the order THEN shipped is unknown and every given unit counts as allocated", () => {
    expect(lineFigures(partly, undefined)).toEqual({ shipped: null, allocated: 1, waiting: 2, lost: 0 });
  });
});
