import { GraphQLError } from "graphql";
import type { Args, RequestContext } from "./context";

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

function cursorOf(index: number, key: string | number): string {
  return Buffer.from(JSON.stringify({ last_id: key, i: index })).toString("base64url");
}

/**
 * Where a cursor points in the list as it is now: at its item (parity row Q1), so items added or removed since the
 * cursor was given do not move it; at its old index only when its item has left the list.
 */
function indexOf<T>(
  cursor: unknown,
  argument: string,
  ordered: readonly T[],
  keyOf: (item: T) => string | number,
): number {
  try {
    const decoded = JSON.parse(Buffer.from(String(cursor), "base64url").toString("utf8")) as {
      last_id?: unknown;
      i?: unknown;
    };
    if (typeof decoded.i === "number") {
      const at = ordered.findIndex((item) => keyOf(item) === decoded.last_id);
      return at >= 0 ? at : decoded.i;
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort (argument '${argument}').`);
}

/**
 * Relay pagination over an ordered list, with Shopify's rule that a connection needs `first` or
 * `last` (bulk operations excepted) and its 250-per-page ceiling.
 */
export function connection<T>(
  items: readonly T[],
  args: Args,
  ctx: RequestContext,
  keyOf: (item: T) => string | number,
): Connection<T> {
  const first = args.first as number | null | undefined;
  const last = args.last as number | null | undefined;
  if (!ctx.bulk && (first === null || first === undefined) && (last === null || last === undefined)) {
    throw new GraphQLError("you must provide one of first or last");
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (typeof value === "number" && (value < 0 || value > 250)) {
      throw new GraphQLError(`The value of the argument \`${name}\` must be between 0 and 250 (received ${value}).`);
    }
  }
  const ordered = args.reverse ? [...items].reverse() : [...items];
  let start = 0;
  let end = ordered.length;
  if (args.after) start = Math.max(start, indexOf(args.after, "after", ordered, keyOf) + 1);
  if (args.before) end = Math.min(end, indexOf(args.before, "before", ordered, keyOf));
  let slice = ordered.slice(start, end).map((node, i) => ({ node, index: start + i }));
  if (typeof first === "number") slice = slice.slice(0, first);
  if (typeof last === "number") slice = slice.slice(Math.max(0, slice.length - last));
  const edges = slice.map(({ node, index }) => ({ cursor: cursorOf(index, keyOf(node)), node }));
  const firstIndex = slice[0]?.index ?? start;
  const lastIndex = slice[slice.length - 1]?.index ?? start - 1;
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: lastIndex < ordered.length - 1,
      hasPreviousPage: firstIndex > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
