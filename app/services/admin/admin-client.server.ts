import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type DocumentNode } from "graphql";

/** A Shopify business failure: Admin mutations report these with HTTP 200 in `userErrors`. */
export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export type MutationResult<T> = { ok: true; data: T } | { ok: false; userErrors: UserError[] };

/** What the admin's services need from the Admin API: named, typed operations, and checked userErrors. */
export interface AdminOperations {
  query<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables: V): Promise<T>;
  mutate<T, V extends Record<string, unknown>>(
    document: TypedDocumentNode<T, V>,
    variables: V,
  ): Promise<MutationResult<T>>;
}

/** The `admin.graphql` function that `authenticate.admin` returns. */
export type LibraryGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

/**
 * AdminOperations over the library's authenticated client, for requests that came through
 * `authenticate.admin`. Transport failures and GraphQL errors throw; userErrors come back typed.
 */
export function adminOperations(graphql: LibraryGraphql): AdminOperations {
  async function run(document: DocumentNode, variables: Record<string, unknown>): Promise<unknown> {
    const response = await graphql(print(document), { variables });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    if (body.errors?.length || !body.data) {
      throw new Error(`Admin API: ${body.errors?.map((error) => error.message).join("; ") ?? "no data"}`);
    }
    return body.data;
  }
  return {
    query: async (document, variables) => (await run(document, variables)) as never,
    async mutate(document, variables) {
      const data = (await run(document, variables)) as never;
      const userErrors = Object.values(data as Record<string, { userErrors?: UserError[] } | null>).flatMap(
        (field) => field?.userErrors ?? [],
      );
      return userErrors.length > 0 ? { ok: false, userErrors } : { ok: true, data };
    },
  };
}
