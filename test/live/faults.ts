/**
 * `--faults SPEC` of replay:live, e.g. `duplicate=0.2,reorder=0.3,drop=0.05,throttle=0.2,error=0.05,seed=7`,
 * mapped to Local Shopify's faults: webhook deliveries duplicated, delayed out of order or dropped; Admin requests
 * answered 429 (with a short Retry-After) or 503. Rates are shares from 0 to 1; `seed` fixes the draws.
 */
import type { StackOptions } from "./stack";

export interface FaultSpec {
  seed: number;
  stack: NonNullable<StackOptions["faults"]>;
}

const RATES = ["duplicate", "reorder", "drop", "throttle", "error"] as const;
/** Out-of-order deliveries wait up to this long (Shopify time) before their first attempt. */
export const REORDER_WINDOW_MS = 5_000;

export function parseFaults(spec: string): FaultSpec {
  const values: Record<string, number> = {};
  for (const part of spec.split(",").filter(Boolean)) {
    const [key, text] = part.split("=");
    const value = Number(text);
    if (key === "seed") {
      if (!Number.isInteger(value)) throw new FaultsError(`--faults seed=${text}: must be a whole number`);
    } else if (!(RATES as readonly string[]).includes(key ?? "")) {
      throw new FaultsError(`--faults ${key}: unknown fault; known: ${[...RATES, "seed"].join(", ")}`);
    } else if (!(value >= 0 && value <= 1) || text === undefined || text === "") {
      throw new FaultsError(`--faults ${key}=${text ?? ""}: must be a share from 0 to 1`);
    }
    values[key!] = value;
  }
  if (Object.keys(values).length === 0) throw new FaultsError("--faults needs at least one fault, e.g. drop=0.05");
  const seed = values.seed ?? 1;
  return {
    seed,
    stack: {
      seed,
      webhooks: {
        duplicateRate: values.duplicate ?? 0,
        dropRate: values.drop ?? 0,
        reorderRate: values.reorder ?? 0,
        reorderWindowMs: values.reorder ? REORDER_WINDOW_MS : 0,
      },
      api: { tooManyRequestsRate: values.throttle ?? 0, retryAfterSeconds: 0.1, serverErrorRate: values.error ?? 0 },
    },
  };
}

/** A bad `--faults` value: a usage error (exit 2). */
export class FaultsError extends Error {}
