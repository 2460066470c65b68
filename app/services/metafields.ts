import type { MetafieldIdentifierInput, MetafieldInput, MetafieldsSetInput } from "../shopify/generated/admin.types";

import {
  APP_NAMESPACE,
  orderMetafield as orderStatusMetafield,
  type Metafield,
  type OrderLineState as EngineLineState,
} from "../domain";

// The variant's date is exactly as docs/decisions/0005-storefront-metafields.md specifies.
export { APP_NAMESPACE, ORDER_KEY } from "../domain";
export const VARIANT_DATE_KEY = "expected_date";

/** The engine's line state with its promised date as a Date. */
export type OrderLineState = Omit<EngineLineState, "promisedAt"> & { promisedAt: Date | null };

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function orderMetafield(orderId: string, lines: readonly OrderLineState[]): MetafieldsSetInput {
  return orderStatusMetafield(
    orderId,
    lines.map((line) => ({ ...line, promisedAt: line.promisedAt?.getTime() ?? null })),
  );
}

/** `orderUpdate` sets it on the order it updates (no ownerId). */
export function onOwnerUpdate(metafield: MetafieldsSetInput): MetafieldInput {
  return { namespace: metafield.namespace, key: metafield.key, type: metafield.type, value: metafield.value };
}

export function variantDateMetafield(variantId: string, expectedAt: Date): Metafield {
  return { ownerId: variantId, namespace: APP_NAMESPACE, key: VARIANT_DATE_KEY, type: "date", value: day(expectedAt) };
}

/** No basis for a date any more: the contract says delete it, never write a placeholder. */
export function variantDateIdentifier(variantId: string): MetafieldIdentifierInput {
  return { ownerId: variantId, namespace: APP_NAMESPACE, key: VARIANT_DATE_KEY };
}
