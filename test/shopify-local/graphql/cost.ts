/**
 * Shopify's calculated query cost (shopify.dev "GraphQL Admin API rate limits"): scalars and enums 0,
 * objects 1, interfaces and unions the maximum of their possible selections, connections 2 plus
 * `first`/`last` times the cost of one node ("Sized by first and last"; the 2 and "the number of returned
 * objects" for the actual cost are from Shopify's engineering post "Rate limiting GraphQL APIs by calculating
 * query complexity"), mutations 10 whatever they select. The requested cost is computed from the operation
 * alone; the actual cost from the data returned (fewer nodes, null objects).
 *
 * Where the documents leave a case open, the reading here never charges less than Shopify could:
 * - A connection's `pageInfo` (and its `edges` wrappers) are taken as part of its 2; only nodes add to it.
 * - A list that is not a connection (`fulfillmentHolds`, `quantities`) costs as one object field: 1 plus its
 *   costliest item, empty or not. Its length is unknown before the query runs, and the actual cost is never
 *   above the requested one (the bucket is "refunded the difference", never charged more).
 * - Shopify scales large connection sizes down (a forum answer by Shopify staff: "logarithmic scaling into
 *   connection fields"; `variants(first: 250)` requested 25 where the linear rule gives 503). The formula is
 *   not published, so the linear rule stays: a requested cost here can be higher than Shopify's, never lower.
 * - Some mutations have published input-dependent costs (dynamic complexity); `metafieldsSet` is modelled
 *   below. `productVariantsBulkUpdate` has one too, but its formula is not in the changelog we have.
 */
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export const MUTATION_COST = 10;
export const CONNECTION_COST = 2;

/**
 * shopify.dev changelog "Dynamic complexity cost for metafieldsSet mutation" (2026-09-15, every API version):
 * 10 + the weight of each distinct owner's type, each owner counted once per invocation however many of its
 * metafields are set; aliases are separate invocations and are not deduplicated across. "All other owner
 * types: 0". The copy of the changelog we have lost the name of the row weighted 2 (between Product and
 * Collection); we read it as ProductVariant. Should that be wrong, variant metafields cost 2 points more here
 * than on Shopify, never fewer.
 */
export const METAFIELDS_SET_OWNER_WEIGHTS: Readonly<Record<string, number>> = {
  Order: 10,
  Product: 4,
  ProductVariant: 2,
  Collection: 1,
  Customer: 1,
  Shop: 1,
};

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** With data: the actual cost; without: the requested cost. */
  actual: boolean;
}

type Data = Record<string, unknown> | null | undefined;

export function queryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: Data,
): number {
  const walk: Walk = { schema, fragments, variables, actual: data !== undefined };
  if (operation.operation === "mutation") {
    let cost = 0;
    for (const field of fieldsOf(walk, operation.selectionSet, schema.getMutationType()!)) {
      if (field.name.value === "__typename") continue;
      // An actual mutation that was not reached (null root after an error) still costs its 10.
      cost += MUTATION_COST + inputCost(walk, field);
    }
    return cost;
  }
  const root = operation.operation === "query" ? schema.getQueryType()! : schema.getSubscriptionType()!;
  return selectionCost(walk, root, operation.selectionSet, data);
}

/** The input-dependent part of a mutation field's cost (the same before and after it runs). */
function inputCost(walk: Walk, field: FieldNode): number {
  if (field.name.value !== "metafieldsSet") return 0;
  const argument = field.arguments?.find((a) => a.name.value === "metafields");
  const metafields = argument ? valueFromASTUntyped(argument.value, walk.variables) : undefined;
  if (!Array.isArray(metafields)) return 0;
  const owners = new Set<string>();
  for (const metafield of metafields) {
    const ownerId = (metafield as { ownerId?: unknown } | null)?.ownerId;
    if (typeof ownerId === "string") owners.add(ownerId);
  }
  let cost = 0;
  for (const owner of owners) {
    const type = /^gid:\/\/shopify\/(\w+)\//.exec(owner)?.[1] ?? "";
    cost += METAFIELDS_SET_OWNER_WEIGHTS[type] ?? 0;
  }
  return cost;
}

function selectionCost(walk: Walk, parent: GraphQLCompositeType, set: SelectionSetNode, data: Data): number {
  if (!isAbstractType(parent)) return fieldsCost(walk, parent, fieldsOf(walk, set, parent), data);
  // Interfaces and unions: the most expensive of the concrete types the selection names.
  const candidates = new Set<GraphQLObjectType>();
  collectTypeConditions(walk, set, candidates);
  if (candidates.size === 0) return fieldsCost(walk, parent, fieldsOf(walk, set, parent), data);
  let max = 0;
  for (const type of candidates) {
    if (walk.actual && data && typeof data.__typename === "string" && data.__typename !== type.name) continue;
    max = Math.max(max, fieldsCost(walk, type, fieldsOf(walk, set, type), data));
  }
  return max;
}

function fieldsCost(walk: Walk, parent: GraphQLCompositeType, fields: FieldNode[], data: Data): number {
  let cost = 0;
  for (const field of fields) {
    const name = field.name.value;
    if (name.startsWith("__")) continue;
    const definition = "getFields" in parent ? parent.getFields()[name] : undefined;
    if (!definition) continue;
    const type = getNamedType(definition.type);
    if (isLeafType(type)) continue;
    const key = field.alias?.value ?? name;
    const value = walk.actual ? (data?.[key] as unknown) : undefined;
    if (walk.actual && (value === null || value === undefined)) {
      cost += data ? (value === null ? 1 : 0) : 0;
      continue;
    }
    cost += fieldCost(walk, field, type as GraphQLCompositeType, value);
  }
  return cost;
}

function fieldCost(walk: Walk, field: FieldNode, type: GraphQLCompositeType, value: unknown): number {
  const set = field.selectionSet;
  if (!set) return 1;
  if (isConnection(type)) {
    const perNode = connectionNodeCost(walk, type as GraphQLObjectType, set, value as Data);
    if (walk.actual) return CONNECTION_COST + perNode;
    return CONNECTION_COST + pageSize(walk, field) * perNode;
  }
  if (Array.isArray(value)) {
    let max = 0;
    for (const item of value) max = Math.max(max, selectionCost(walk, type, set, item as Data));
    return 1 + max;
  }
  return 1 + selectionCost(walk, type, set, value as Data);
}

/** Requested: the cost of one node. Actual: the summed cost of the nodes returned. */
function connectionNodeCost(walk: Walk, connection: GraphQLObjectType, set: SelectionSetNode, data: Data): number {
  let cost = 0;
  for (const field of fieldsOf(walk, set, connection)) {
    const name = field.name.value;
    const key = field.alias?.value ?? name;
    if (name === "edges" && field.selectionSet) {
      const edgeType = getNamedType(connection.getFields().edges!.type) as GraphQLObjectType;
      const nodeType = getNamedType(edgeType.getFields().node!.type) as GraphQLCompositeType;
      for (const edgeField of fieldsOf(walk, field.selectionSet, edgeType)) {
        if (edgeField.name.value !== "node" || !edgeField.selectionSet) continue;
        const nodeKey = edgeField.alias?.value ?? "node";
        if (!walk.actual) {
          cost += 1 + selectionCost(walk, nodeType, edgeField.selectionSet, undefined);
          continue;
        }
        for (const edge of (data?.[key] as Data[] | undefined) ?? []) {
          cost += 1 + selectionCost(walk, nodeType, edgeField.selectionSet, edge?.[nodeKey] as Data);
        }
      }
    } else if (name === "nodes" && field.selectionSet) {
      const nodeType = getNamedType(connection.getFields().nodes!.type) as GraphQLCompositeType;
      if (!walk.actual) {
        cost += 1 + selectionCost(walk, nodeType, field.selectionSet, undefined);
        continue;
      }
      for (const node of (data?.[key] as Data[] | undefined) ?? []) {
        cost += 1 + selectionCost(walk, nodeType, field.selectionSet, node);
      }
    }
  }
  return cost;
}

function isConnection(type: GraphQLNamedType): boolean {
  return (
    isObjectType(type) &&
    type.name.endsWith("Connection") &&
    ("edges" in type.getFields() || "nodes" in type.getFields())
  );
}

function pageSize(walk: Walk, field: FieldNode): number {
  for (const argument of field.arguments ?? []) {
    if (argument.name.value !== "first" && argument.name.value !== "last") continue;
    const value = valueFromASTUntyped(argument.value, walk.variables);
    if (typeof value === "number") return value;
  }
  return 1;
}

/** The fields of a selection set that apply to `type`, through fragments, honouring @skip/@include. */
function fieldsOf(walk: Walk, set: SelectionSetNode, type: GraphQLCompositeType): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of set.selections) {
    if (!included(walk, selection.directives)) continue;
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(walk, selection.typeCondition?.name.value, type))
        fields.push(...fieldsOf(walk, selection.selectionSet, type));
    } else {
      const fragment = walk.fragments[selection.name.value];
      if (fragment && applies(walk, fragment.typeCondition.name.value, type)) {
        fields.push(...fieldsOf(walk, fragment.selectionSet, type));
      }
    }
  }
  return fields;
}

function collectTypeConditions(walk: Walk, set: SelectionSetNode, into: Set<GraphQLObjectType>): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) continue;
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments[selection.name.value] : selection;
    if (!fragment) continue;
    const condition = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : undefined;
    if (condition && isObjectType(condition)) into.add(condition);
    collectTypeConditions(walk, fragment.selectionSet, into);
  }
}

function applies(walk: Walk, condition: string | undefined, type: GraphQLCompositeType): boolean {
  if (!condition || condition === type.name) return true;
  const conditionType = walk.schema.getType(condition);
  if (!conditionType || !isAbstractType(conditionType)) return false;
  return isObjectType(type) ? walk.schema.isSubType(conditionType, type) : false;
}

function included(walk: Walk, directives: FieldNode["directives"]): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== "skip" && name !== "include") continue;
    const argument = directive.arguments?.find((a) => a.name.value === "if");
    const value = argument ? Boolean(valueFromASTUntyped(argument.value, walk.variables)) : false;
    if (name === "skip" && value) return false;
    if (name === "include" && !value) return false;
  }
  return true;
}
