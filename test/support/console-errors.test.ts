import { describe, expect, it } from "vitest";

import { unexpectedConsoleErrors } from "./console-errors";

describe("unexpectedConsoleErrors", () => {
  it("GIVEN no console.error WHEN a test ends THEN it passes", () => {
    expect(unexpectedConsoleErrors([])).toBeNull();
  });

  it("GIVEN console.error calls WHEN a test ends THEN it fails naming the count and the first call", () => {
    const error = unexpectedConsoleErrors([["job failed:", new Error("boom")], ["again"]]);
    expect(error?.message).toMatch(/^unexpected console\.error \(2\): job failed: Error: boom/);
  });
});
