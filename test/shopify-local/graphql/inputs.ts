/**
 * The Admin API input objects the mutations read, as graphql-js hands them over after validating them
 * against the schema (optional fields may be absent or null).
 */
type Maybe<T> = T | null | undefined;

export interface LineItemQuantityArg {
  id: string;
  quantity: number;
}

export interface FulfillmentOrderHoldArg {
  reason: string;
  reasonNotes?: Maybe<string>;
  handle?: Maybe<string>;
  externalId?: Maybe<string>;
  notifyMerchant?: Maybe<boolean>;
  fulfillmentOrderLineItems?: Maybe<LineItemQuantityArg[]>;
}

export interface FulfillmentOrderSplitArg {
  fulfillmentOrderId: string;
  fulfillmentOrderLineItems: LineItemQuantityArg[];
}

export interface FulfillmentOrderMergeArg {
  mergeIntents: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: Maybe<LineItemQuantityArg[]> }[];
}

export interface FulfillmentArg {
  lineItemsByFulfillmentOrder: {
    fulfillmentOrderId: string;
    fulfillmentOrderLineItems?: Maybe<LineItemQuantityArg[]>;
  }[];
}

export interface RefundArg {
  orderId: string;
  note?: Maybe<string>;
  allowOverRefunding?: Maybe<boolean>;
  currency?: Maybe<string>;
  notify?: Maybe<boolean>;
  shipping?: Maybe<{
    fullRefund?: Maybe<boolean>;
    shippingRefundAmount?: Maybe<{ amount: string; currencyCode: string }>;
  }>;
  transactions?: Maybe<{ orderId: string; parentId?: Maybe<string>; amount: string; gateway: string; kind: string }[]>;
  refundLineItems?: Maybe<
    {
      lineItemId: string;
      quantity: number;
      restockType?: Maybe<"CANCEL" | "RETURN" | "NO_RESTOCK" | "LEGACY_RESTOCK">;
      locationId?: Maybe<string>;
    }[]
  >;
}

export interface MetafieldsSetArg {
  ownerId: string;
  namespace?: Maybe<string>;
  key: string;
  type?: Maybe<string>;
  value: string;
  compareDigest?: Maybe<string>;
}

export interface MetafieldIdentifierArg {
  ownerId: string;
  namespace: string;
  key: string;
}

export interface ProductVariantsBulkArg {
  id?: Maybe<string>;
  inventoryPolicy?: Maybe<"DENY" | "CONTINUE">;
  price?: Maybe<string>;
  inventoryItem?: Maybe<{ tracked?: Maybe<boolean>; sku?: Maybe<string> }>;
  inventoryQuantities?: Maybe<unknown[]>;
}

export interface InventoryAdjustQuantitiesArg {
  name: string;
  reason: string;
  referenceDocumentUri?: Maybe<string>;
  changes: {
    delta: number;
    inventoryItemId: string;
    locationId: string;
    changeFromQuantity?: Maybe<number>;
    ledgerDocumentUri?: Maybe<string>;
  }[];
}

/** `orderUpdate`'s input, as far as Local Shopify applies it (other OrderInput fields are refused). */
export interface OrderUpdateArg {
  id: string;
  tags?: Maybe<string[]>;
  note?: Maybe<string>;
  metafields?: Maybe<
    {
      id?: Maybe<string>;
      namespace?: Maybe<string>;
      key?: Maybe<string>;
      type?: Maybe<string>;
      value?: Maybe<string>;
    }[]
  >;
  [other: string]: unknown;
}
