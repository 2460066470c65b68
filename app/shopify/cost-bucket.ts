/** Size and restore rate differ by plan and can change, so they are only ever read from responses. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class CostBucket {
  private status: ThrottleStatus | null = null;
  private observedAt = 0;
  /** Points reserved by requests that have no answer yet (an attempt without an answer is answered too). */
  private inFlight = 0;

  observe(status: ThrottleStatus, nowMs: number): void {
    this.status = { ...status };
    this.observedAt = nowMs;
  }

  get maximumAvailable(): number | null {
    return this.status?.maximumAvailable ?? null;
  }

  /** Returns the wait in ms; the reservation is taken even then, so concurrent callers queue, not all wake at once. */
  reserve(cost: number, nowMs: number): number {
    const status = this.status;
    this.inFlight += cost;
    if (!status || status.restoreRate <= 0) return 0;
    const restored = (status.restoreRate * (nowMs - this.observedAt)) / 1000;
    const available = Math.min(status.maximumAvailable, status.currentlyAvailable + restored);
    // A request can never need more than the whole bucket; Shopify refuses such a query outright.
    const needed = Math.min(cost, status.maximumAvailable);
    this.status = { ...status, currentlyAvailable: available - needed };
    this.observedAt = nowMs;
    return available >= needed ? 0 : Math.ceil(((needed - available) / status.restoreRate) * 1000);
  }

  /** The report predates the requests still in flight, so their reservations stay deducted. */
  answered(cost: number, status: ThrottleStatus | undefined, nowMs: number): void {
    this.inFlight = Math.max(0, this.inFlight - cost);
    if (!status) return;
    const stillReserved = Math.min(this.inFlight, status.maximumAvailable);
    this.observe({ ...status, currentlyAvailable: status.currentlyAvailable - stillReserved }, nowMs);
  }
}
