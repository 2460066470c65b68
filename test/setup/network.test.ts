import { describe, expect, it } from "vitest";

describe("test sandbox", () => {
  it("refuses to dial anything but loopback", async () => {
    const error = await fetch("http://93.184.216.34/").catch((e: Error) => e);
    expect(String((error as Error).cause ?? error)).toMatch(/outbound network is blocked/);
  });

  it("gives each test file its own migrated SQLite copy", () => {
    expect(process.env.DATABASE_URL).toMatch(/^file:.*\.tmp\/test-\d+-\w+\.sqlite$/);
  });
});
