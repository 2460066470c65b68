import { getOperationAST, Kind, type DocumentNode } from "graphql";

import type { Outcome } from "./admin-answer";
import { CostBucket } from "./cost-bucket";

/** Shopify's documented cost of one mutation field; queries are estimated from the last response. */
export const MUTATION_FIELD_COST = 10;

const sharedBuckets = new Map<string, CostBucket>();

/** One bucket per shop and origin in the process, as Shopify keeps one per app and shop. */
export function bucketFor(origin: string, shop: string): CostBucket {
  const key = `${origin}|${shop}`;
  let bucket = sharedBuckets.get(key);
  if (!bucket) sharedBuckets.set(key, (bucket = new CostBucket()));
  return bucket;
}

export interface CostAccount {
  /** The caller's estimate, else what the operation cost last time, else a guess from the document. */
  estimate(operation: string, document: DocumentNode, estimatedCost?: number): number;
  /** Waits until the bucket has room for the cost. */
  reserve(cost: number): Promise<void>;
  /** Every attempt is answered, a failed one too, so the reservation is given back. */
  answered(operation: string, cost: number, outcome: Outcome): void;
}

/** One gateway's throttling: the shared bucket, and the requested cost each operation was last answered with. */
export function costAccount(bucket: CostBucket, now: () => number, sleep: (ms: number) => Promise<void>): CostAccount {
  const learnedCost = new Map<string, number>();
  return {
    estimate: (operation, document, estimatedCost) =>
      estimatedCost ?? learnedCost.get(operation) ?? defaultCost(document),
    async reserve(cost) {
      const wait = bucket.reserve(cost, now());
      if (wait > 0) await sleep(wait);
    },
    answered(operation, cost, outcome) {
      bucket.answered(cost, outcome.throttleStatus, now());
      if (outcome.requestedCost !== undefined) learnedCost.set(operation, outcome.requestedCost);
    },
  };
}

function defaultCost(document: DocumentNode): number {
  const operation = getOperationAST(document);
  if (operation?.operation !== "mutation") return 1;
  return MUTATION_FIELD_COST * operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).length;
}
