import type { GraphQLResolveInfo } from "graphql";
import type { Runtime } from "../store/runtime";
import type { Shop } from "../store/state";
import type { MutationFieldFailure } from "./field-faults";
import type { ApiVersion } from "./schema";

export interface RequestContext {
  rt: Runtime;
  shop: Shop;
  version: ApiVersion;
  /** The origin the request reached, for URLs Shopify hands out (bulk operation results). */
  origin: string;
  /** Inside a bulk operation connections need no `first`/`last`. */
  bulk: boolean;
  /** The request's operation name, for fault rules that name one. */
  operation?: string | null;
  /** Fault injection on mutation fields (graphql/field-faults.ts); none inside bulk operations. */
  faults?: { mutationFieldFailures?: MutationFieldFailure[] };
  /** Set once an injected internal error aborted the request: the fields after it do not run. */
  aborted?: boolean;
}

export type Args = Record<string, unknown>;
export type Resolver<S = never> = (source: S, args: Args, ctx: RequestContext, info: GraphQLResolveInfo) => unknown;
/** Each type's resolvers take that type's record as source; `never` lets every record type in. */
export type TypeResolvers = Record<string, Record<string, Resolver<never>>>;

/** Shopify's `UserError`-shaped entries. */
export interface FieldError {
  field: string[] | null;
  message: string;
  code?: string | null;
}
