import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { generate } from "@graphql-codegen/cli";
import { Kind, parse, validate, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { format, resolveConfig } from "prettier";
import { describe, expect, it } from "vitest";

import codegenConfig from "../../codegen";
import { loadAdminSchema } from "./schema/load";

const OPERATIONS_DIR = path.resolve("app/shopify/operations");
const FIXTURES_DIR = path.resolve("test/fixtures/graphql");

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".graphql"))
    .map((file) => path.join(dir, file))
    .sort();
}

/** Problems Shopify would report for this document, plus the app's own rules. */
function checkOperation(source: string): string[] {
  const document: DocumentNode = parse(source);
  const problems = validate(loadAdminSchema(), document).map((error) => error.message);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (!definition.name) problems.push("every operation must be named");
    if (definition.operation === "mutation") problems.push(...missingUserErrors(definition));
  }
  return problems;
}

function missingUserErrors(mutation: OperationDefinitionNode): string[] {
  return mutation.selectionSet.selections.flatMap((selection) => {
    if (selection.kind !== Kind.FIELD) return [];
    const selectsUserErrors = selection.selectionSet?.selections.some(
      (child) => child.kind === Kind.FIELD && child.name.value === "userErrors",
    );
    return selectsUserErrors ? [] : [`mutation field ${selection.name.value} must select userErrors`];
  });
}

describe("Admin operations", () => {
  const files = graphqlFiles(OPERATIONS_DIR);

  it("live in app/shopify/operations", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((file) => [path.relative(process.cwd(), file), file]))(
    "%s is valid against the Admin 2026-10 schema",
    (_, file) => {
      expect(checkOperation(readFileSync(file, "utf8"))).toEqual([]);
    },
  );

  it("have unique names", () => {
    const names = files.flatMap((file) =>
      parse(readFileSync(file, "utf8")).definitions.flatMap((definition) =>
        definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
      ),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it("rejects an unknown field, as Shopify would", () => {
    expect(checkOperation(readFileSync(path.join(FIXTURES_DIR, "invalid-operation.graphql"), "utf8"))).toEqual([
      'Cannot query field "holdReason" on type "FulfillmentOrder".',
    ]);
  });

  it("rejects a mutation that does not select userErrors", () => {
    expect(
      checkOperation(readFileSync(path.join(FIXTURES_DIR, "mutation-without-user-errors.graphql"), "utf8")),
    ).toEqual(["mutation field tagsAdd must select userErrors"]);
  });

  it("have committed generated types that are up to date", async () => {
    const outputs = await generate({ ...codegenConfig, hooks: {}, silent: true }, false);
    for (const output of outputs) {
      const prettierConfig = await resolveConfig(output.filename);
      const expected = await format(output.content, { ...prettierConfig, filepath: output.filename });
      const committed = readFileSync(output.filename, "utf8");
      expect(committed === expected, `${output.filename} is stale: run npm run graphql:codegen`).toBe(true);
    }
  }, 60_000);
});
