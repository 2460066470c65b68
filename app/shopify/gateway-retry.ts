import { outcomeMayHaveApplied, type Outcome } from "./admin-answer";

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

export interface RetryPolicy {
  maxAttempts: number;
  isMutation: boolean;
  /** False when Shopify cannot recognise the mutation coming again (see `MutateOptions`). */
  repeatable: boolean | undefined;
  random: () => number;
}

export type RetryStep = { kind: "retry"; waitMs: number } | { kind: "give_up"; mayHaveApplied: boolean };

/** After a failed attempt: wait and send again, or give up, saying whether a mutation may have applied. */
export function afterFailure(
  outcome: Extract<Outcome, { kind: "failure" }>,
  attempt: number,
  policy: RetryPolicy,
): RetryStep {
  const mayHaveApplied = policy.isMutation && outcomeMayHaveApplied(outcome);
  if (!outcome.retryable) return { kind: "give_up", mayHaveApplied };
  if (mayHaveApplied && policy.repeatable === false) return { kind: "give_up", mayHaveApplied };
  if (attempt >= policy.maxAttempts) return { kind: "give_up", mayHaveApplied };
  return { kind: "retry", waitMs: outcome.retryAfterMs ?? backoff(attempt, policy.random) };
}

/** Exponential, with jitter in its upper half. */
function backoff(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
