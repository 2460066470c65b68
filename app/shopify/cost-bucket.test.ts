import { describe, expect, it } from "vitest";

import { CostBucket } from "./cost-bucket";

describe("CostBucket", () => {
  it("lets everything through until Shopify has reported the bucket", () => {
    expect(new CostBucket().reserve(1000, 0)).toBe(0);
  });

  it("waits until the refill covers the cost, queueing concurrent reservations", () => {
    const bucket = new CostBucket();
    bucket.observe({ maximumAvailable: 60, currentlyAvailable: 25, restoreRate: 50 }, 1_000);

    expect(bucket.reserve(10, 1_000)).toBe(0); // 25 → 15
    expect(bucket.reserve(10, 1_000)).toBe(0); // 15 → 5
    expect(bucket.reserve(10, 1_000)).toBe(100); // needs 5 more points at 50/s
    expect(bucket.reserve(10, 1_000)).toBe(300); // behind the previous one
    expect(bucket.reserve(10, 1_500)).toBe(0); // -15 + 25 restored = 10
    expect(bucket.reserve(10, 1_500)).toBe(200); // 0 left: 10 points at 50/s
  });

  it("never waits for more than the bucket can hold and caps the refill at its size", () => {
    const bucket = new CostBucket();
    bucket.observe({ maximumAvailable: 50, currentlyAvailable: 0, restoreRate: 100 }, 0);

    expect(bucket.reserve(1000, 0)).toBe(500);
    bucket.observe({ maximumAvailable: 50, currentlyAvailable: 0, restoreRate: 100 }, 0);
    expect(bucket.reserve(50, 60_000)).toBe(0);
    expect(bucket.reserve(1, 60_000)).toBe(10);
  });

  it("keeps the reservations of requests still in flight when an earlier request's answer reports the bucket", () => {
    const bucket = new CostBucket();
    bucket.observe({ maximumAvailable: 60, currentlyAvailable: 60, restoreRate: 50 }, 0);
    for (let i = 0; i < 6; i++) expect(bucket.reserve(10, 0)).toBe(0); // 60 → 0, six requests in flight

    // The first answer was computed before the other five were charged: 50 points by Shopify's count.
    bucket.answered(10, { maximumAvailable: 60, currentlyAvailable: 50, restoreRate: 50 }, 0);

    expect(bucket.reserve(10, 0)).toBe(200); // 50 - 50 in flight = 0: wait for 10 points at 50/s
    for (let i = 0; i < 5; i++) bucket.answered(10, undefined, 0);
    bucket.answered(10, { maximumAvailable: 60, currentlyAvailable: 0, restoreRate: 50 }, 0);
    expect(bucket.reserve(10, 200)).toBe(0); // nothing in flight: the report stands, plus 200 ms of refill
  });
});
