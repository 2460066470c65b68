/**
 * Shopify's leaky bucket for the Admin GraphQL API, per app and shop: the bucket must hold the
 * requested cost before a query runs, then the difference to the actual cost is refunded; it refills
 * at `restoreRate` points per second up to `maximumAvailable`.
 */
export interface Plan {
  maximumAvailable: number;
  restoreRate: number;
}

/** Standard plan: 100 points/s (shopify.dev rate limits); the bucket holds 20 seconds of refill. */
export const STANDARD_PLAN: Plan = { maximumAvailable: 2000, restoreRate: 100 };

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  private available: number;
  private at: number;

  constructor(
    private readonly plan: Plan,
    private readonly nowMs: () => number,
  ) {
    this.available = plan.maximumAvailable;
    this.at = nowMs();
  }

  private refill(): void {
    const now = this.nowMs();
    this.available = Math.min(
      this.plan.maximumAvailable,
      this.available + ((now - this.at) / 1000) * this.plan.restoreRate,
    );
    this.at = now;
  }

  /** Takes `cost` points if the bucket holds them; false means THROTTLED. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Puts the bucket at `points` (clamped to its size), as a shop's other traffic would have left it. */
  setAvailable(points: number): void {
    this.refill();
    this.available = Math.max(0, Math.min(this.plan.maximumAvailable, points));
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.plan.maximumAvailable, this.available + points);
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.plan.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.plan.restoreRate,
    };
  }
}
