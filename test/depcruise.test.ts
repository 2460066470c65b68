import { execFileSync } from "node:child_process";
import path from "node:path";

import { describe, expect, it } from "vitest";

const root = path.resolve(".");
const depcruise = path.join(root, "node_modules/.bin/depcruise");

function violations(cwd: string): string[] {
  const output = execFileSync(
    depcruise,
    ["app", "--config", path.join(root, ".dependency-cruiser.cjs"), "--output-type", "json"],
    { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  ).toString();
  const result = JSON.parse(output) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe("dependency rules", () => {
  it("hold for the app", () => {
    expect(violations(root)).toEqual([]);
  });

  it("catch each deliberate violation in the fixture tree", () => {
    expect(violations(path.join(root, "test/fixtures/depcruise"))).toEqual([
      "domain-is-pure: app/domain/allocate.ts -> app/services/orders.ts",
      "models-at-the-bottom: app/models/orders.ts -> app/services/orders.ts",
      "prisma-only-in-models: app/routes/app.orders.ts -> app/generated/prisma/index.ts",
      "prisma-only-in-models: app/services/orders.ts -> app/generated/prisma/index.ts",
      "routes-no-graphql-documents: app/routes/app.orders.ts -> app/shopify/operations/orders.ts",
      "routes-no-prisma: app/routes/app.orders.ts -> app/generated/prisma/index.ts",
      "shopify-below-services: app/shopify/gateway.ts -> app/services/orders.ts",
    ]);
  });
});
