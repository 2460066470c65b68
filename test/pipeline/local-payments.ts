/**
 * Local Shopify does not model payments yet, and the deadline refund needs the order's sale transaction
 * (after an order edit the removed units are refunded as an amount against it, not as line items). Until
 * Local Shopify serves `Order.transactions`, the pipeline tests add that one read-only field: every order paid
 * in full through the "bogus" gateway its own orders/create payload names. Nothing else is touched.
 */
import type { Order } from "../shopify-local/store/state";
import { typeResolvers } from "../shopify-local/graphql/types";

export function servePayments(): void {
  typeResolvers.Order = {
    ...typeResolvers.Order,
    transactions: (order: Order) => [
      {
        __typename: "OrderTransaction",
        id: `gid://shopify/OrderTransaction/${order.id}`,
        kind: "SALE",
        status: "SUCCESS",
        gateway: "bogus",
      },
    ],
  };
}
