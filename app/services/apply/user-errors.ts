import { AdminApiError, type MutationResult, type UserError } from "../../shopify/gateway.server";

/** A mutation Shopify answered with userErrors: a business refusal, thrown so the job shows it and retries. */
export class ShopifyUserErrors extends Error {
  override readonly name = "ShopifyUserErrors";
  constructor(
    readonly operation: string,
    readonly userErrors: UserError[],
  ) {
    super(`${operation}: ${userErrors.map((e) => `${(e.field ?? []).join(".") || "-"}: ${e.message}`).join("; ")}`);
  }
}

export function unwrap<T>(operation: string, result: MutationResult<T>): T {
  if (!result.ok) throw new ShopifyUserErrors(operation, result.userErrors);
  return result.data;
}

/** Whether Shopify may have applied a mutation whose request threw: only an answer that says not rules it out. */
export function mayHaveApplied(error: unknown): boolean {
  return !(error instanceof AdminApiError) || error.detail.mayHaveApplied !== false;
}
