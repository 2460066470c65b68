import { describe, expect, it } from "vitest";

import { formatDate, timelineText } from "./format";

describe("timelineText", () => {
  it("GIVEN a delay notice from a re-dating WHEN shown THEN it names the new date and its source, not the job's key", () => {
    const detail = {
      redated: true,
      reason: "reconcile:2026-12-02T12:00:00.000Z",
      source: "incoming",
      promisedAt: "2026-12-02T00:00:00.000Z",
      revisedAt: "2026-12-10T00:00:00.000Z",
    };
    const text = timelineText({ kind: "delay_notice", quantity: 2, detail: JSON.stringify(detail) });
    expect(text).toBe(`Delay notice sent to the customer: now ${formatDate(detail.revisedAt)} (incoming stock)`);
  });

  it("GIVEN the rule's delay notices WHEN shown THEN each says its date and whether silence counts", () => {
    const first = { notice: "first", revisedAt: "2026-12-28T09:00:00.000Z", silenceIsConsent: true, replyBy: null };
    expect(timelineText({ kind: "delay_notice", quantity: 2, detail: JSON.stringify(first) })).toBe(
      `Delay notice sent to the customer: now ${formatDate(first.revisedAt)}, silence counts as consent`,
    );
    const renewed = { ...first, notice: "renewed", silenceIsConsent: false, replyBy: "2026-12-28T09:00:00.000Z" };
    expect(timelineText({ kind: "delay_notice", quantity: 2, detail: JSON.stringify(renewed) })).toBe(
      `Renewed delay notice sent to the customer: now ${formatDate(renewed.revisedAt)}, needs the customer's yes by ${formatDate(renewed.replyBy)}`,
    );
    expect(timelineText({ kind: "cancelled", quantity: 2, detail: JSON.stringify({ reason: "no_consent" }) })).toBe(
      "2 cancelled (no consent)",
    );
  });

  it("GIVEN a cancellation WHEN shown THEN its reason reads as words", () => {
    const text = timelineText({
      kind: "cancelled",
      quantity: 2,
      detail: JSON.stringify({ reason: "deadline_passed" }),
    });
    expect(text).toBe("2 cancelled (deadline passed)");
  });
});
