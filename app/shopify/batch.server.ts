import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  getOperationAST,
  Kind,
  visit,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from "graphql";

import { FulfillmentOrderReleaseHoldDocument, type FulfillmentOrderReleaseHoldMutation } from "./generated/operations";
import { MUTATION_FIELD_COST } from "./gateway-cost";
import { userErrorsOf, type AdminGateway, type MutateOptions, type MutationResult } from "./gateway.server";

/** Shopify refuses any single query that would cost more than this. */
export const MAX_QUERY_COST = 1000;

export interface BatchOptions extends MutateOptions {
  costPerItem?: number;
  maxCost?: number;
}

/** One call carries as many aliased copies as fit under the cost ceiling; earlier calls stay applied if one fails. */
export async function batchMutation<R, V extends Record<string, unknown>>(
  gateway: AdminGateway,
  template: TypedDocumentNode<R, V>,
  items: readonly V[],
  options: BatchOptions = {},
): Promise<MutationResult<R>[]> {
  const costPerItem = options.costPerItem ?? MUTATION_FIELD_COST;
  const maxCost = options.maxCost ?? MAX_QUERY_COST;
  const perCall = Math.floor(maxCost / costPerItem);
  if (perCall < 1) throw new Error(`costPerItem ${costPerItem} exceeds maxCost ${maxCost}`);
  const { operation, field } = singleFieldMutation(template);
  const responseKey = field.alias?.value ?? field.name.value;

  const results: MutationResult<R>[] = [];
  for (let start = 0; start < items.length; start += perCall) {
    const chunk = items.slice(start, start + perCall);
    const { document, variables } = aliasedBatch(template, operation, field, chunk);
    const data = await gateway.execute(document, variables, chunk.length * costPerItem, options);
    chunk.forEach((_, index) => {
      const payload = { [responseKey]: data[`item${index}`] } as R;
      const userErrors = userErrorsOf(data[`item${index}`]);
      results.push(userErrors.length > 0 ? { ok: false, userErrors, data: payload } : { ok: true, data: payload });
    });
  }
  return results;
}

function singleFieldMutation(template: DocumentNode): { operation: OperationDefinitionNode; field: FieldNode } {
  const operation = getOperationAST(template);
  const fields = operation?.selectionSet.selections ?? [];
  const field = fields[0];
  if (!operation?.name || operation.operation !== "mutation" || fields.length !== 1 || field?.kind !== Kind.FIELD) {
    throw new Error("a batch template must be one named mutation with exactly one top-level field");
  }
  return { operation, field };
}

function aliasedBatch<V extends Record<string, unknown>>(
  template: DocumentNode,
  operation: OperationDefinitionNode,
  field: FieldNode,
  chunk: readonly V[],
): { document: DocumentNode; variables: Record<string, unknown> } {
  const definitions: VariableDefinitionNode[] = [];
  const selections: FieldNode[] = [];
  const variables: Record<string, unknown> = {};
  chunk.forEach((item, index) => {
    const rename = (name: string) => `${name}_${index}`;
    for (const definition of operation.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      definitions.push({
        ...definition,
        variable: { ...definition.variable, name: { kind: Kind.NAME, value: rename(name) } },
      });
      if (name in item) variables[rename(name)] = item[name];
    }
    const aliased = visit(field, {
      Variable: (node) => ({ ...node, name: { kind: Kind.NAME, value: rename(node.name.value) } }),
    });
    selections.push({ ...aliased, alias: { kind: Kind.NAME, value: `item${index}` } });
  });
  const fragments = template.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  const batched: OperationDefinitionNode = {
    ...operation,
    name: { kind: Kind.NAME, value: `${operation.name?.value}Batch` },
    variableDefinitions: definitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  return { document: { kind: Kind.DOCUMENT, definitions: [batched, ...fragments] }, variables };
}

export interface HoldRelease {
  fulfillmentOrderId: string;
  holdIds: string[];
}

export type HoldReleaseResult = HoldRelease &
  (
    | {
        ok: true;
        fulfillmentOrder: NonNullable<
          FulfillmentOrderReleaseHoldMutation["fulfillmentOrderReleaseHold"]
        >["fulfillmentOrder"];
      }
    | { ok: false; userErrors: { field: string[] | null; message: string; code: string | null }[] }
  );

/** holdIds are required: Shopify releases every hold (other apps' too) when they are omitted. */
export async function releaseHolds(
  gateway: AdminGateway,
  releases: readonly HoldRelease[],
  options: BatchOptions = {},
): Promise<HoldReleaseResult[]> {
  releases.forEach((release, index) => {
    if (!/^gid:\/\/shopify\/FulfillmentOrder\/\d+$/.test(release.fulfillmentOrderId)) {
      throw new Error(
        `releases[${index}].fulfillmentOrderId must be a FulfillmentOrder GID, got ${JSON.stringify(release.fulfillmentOrderId)}`,
      );
    }
    if (release.holdIds.length === 0) {
      throw new Error(`releases[${index}].holdIds is empty: name the holds to release, never all of them`);
    }
  });
  const results = await batchMutation(
    gateway,
    FulfillmentOrderReleaseHoldDocument,
    releases.map((release) => ({ id: release.fulfillmentOrderId, holdIds: release.holdIds })),
    options,
  );
  return results.map((result, index) => {
    const release = releases[index]!;
    return result.ok
      ? { ...release, ok: true, fulfillmentOrder: result.data.fulfillmentOrderReleaseHold?.fulfillmentOrder ?? null }
      : { ...release, ok: false, userErrors: result.userErrors };
  });
}
