import { randomUUID } from "node:crypto";
import type { Runtime } from "../store/runtime";
import type { Shop } from "../store/state";
import { webhookHmac } from "./hmac";
import type { Subscriptions } from "./subscriptions";

/** Shopify waits 5 s for the whole response; anything else than 2xx (3xx included) is a failure. */
export const DELIVERY_TIMEOUT_MS = 5_000;
/** 8 retries over about 4 hours (Shopify time; scaled by the runtime's timeScale). */
export const RETRY_DELAYS_MS = [60_000, 120_000, 300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 6_000_000];

export interface WebhookFaults {
  /** Share of events never delivered (0–1). */
  dropRate?: number;
  /** Topics never delivered at all, whatever `dropRate`: one event lost for good, as Shopify may lose it. */
  dropTopics?: string[];
  /** Share of events delivered twice, with the same webhook id (at-least-once). */
  duplicateRate?: number;
  /**
   * Share of events delivered a second time under a new X-Shopify-Webhook-Id with the same X-Shopify-Event-Id:
   * "the same value across more than one webhook indicates a duplicate" (shopify.dev "Ignore duplicate webhooks").
   */
  redeliverRate?: number;
  /** Extra delay before the first attempt, in Shopify milliseconds. */
  delayMs?: number;
  /** Random extra delay up to this many Shopify milliseconds per event, so events arrive out of order. */
  reorderWindowMs?: number;
  /** Share of events given that delay (0–1); unset, every event. */
  reorderRate?: number;
}

export interface DeliveryLogEntry {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  attempt: number;
  /** `delivered`, `failed` (will retry), `gave_up` (8 retries spent) or `dropped` (fault injection). */
  outcome: "delivered" | "failed" | "gave_up" | "dropped";
  status: number | null;
  error: string | null;
  at: string;
  body: string;
}

interface Delivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: Shop;
  url: string;
  body: string;
  triggeredAt: string;
}

export class WebhookDeliverer {
  readonly log: DeliveryLogEntry[] = [];
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly rt: Runtime,
    private readonly options: {
      appUrl: string;
      apiSecret: string;
      subscriptions: Subscriptions;
      faults: WebhookFaults;
      random: () => number;
    },
  ) {}

  /** Sends `topic` to every URI subscribed to it; unsubscribed topics cost nothing. */
  emit(shop: Shop, topic: string, payload: () => unknown): void {
    const uris = this.options.subscriptions.byTopic.get(topic);
    if (!uris) return;
    const body = JSON.stringify(payload());
    const eventId = randomUUID();
    const triggeredAt = this.rt.clock.iso();
    for (const uri of uris) {
      const delivery: Delivery = {
        webhookId: randomUUID(),
        eventId,
        topic,
        shop,
        url: new URL(uri, this.options.appUrl).toString(),
        body,
        triggeredAt,
      };
      this.dispatch(delivery);
    }
  }

  private dispatch(delivery: Delivery): void {
    const { faults, random } = this.options;
    if (faults.dropTopics?.includes(delivery.topic) || random() < (faults.dropRate ?? 0)) {
      this.record(delivery, 0, "dropped", null, null);
      return;
    }
    const copies: Delivery[] = [delivery];
    if (random() < (faults.duplicateRate ?? 0)) copies.push(delivery);
    if (random() < (faults.redeliverRate ?? 0)) copies.push({ ...delivery, webhookId: randomUUID() });
    for (const copy of copies) {
      const reordered = faults.reorderRate === undefined || random() < faults.reorderRate;
      const delay = (faults.delayMs ?? 0) + (reordered ? random() * (faults.reorderWindowMs ?? 0) : 0);
      this.inFlight++;
      if (delay > 0) this.rt.schedule(delay, () => void this.attempt(copy, 1));
      else void this.attempt(copy, 1);
    }
  }

  private async attempt(delivery: Delivery, attempt: number): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Shopify-Captain-Hook",
          "X-Shopify-Topic": delivery.topic,
          "X-Shopify-Hmac-Sha256": webhookHmac(this.options.apiSecret, delivery.body),
          "X-Shopify-Shop-Domain": delivery.shop.domain,
          "X-Shopify-API-Version": this.options.subscriptions.apiVersion,
          "X-Shopify-Webhook-Id": delivery.webhookId,
          "X-Shopify-Event-Id": delivery.eventId,
          "X-Shopify-Triggered-At": delivery.triggeredAt,
        },
        body: delivery.body,
      });
      status = response.status;
      await response.arrayBuffer();
    } catch (e) {
      error =
        (e as Error).name === "TimeoutError"
          ? `no response within ${DELIVERY_TIMEOUT_MS} ms`
          : String((e as Error).cause ?? e);
    }
    if (status !== null && status >= 200 && status < 300) {
      this.record(delivery, attempt, "delivered", status, null);
    } else if (attempt <= RETRY_DELAYS_MS.length) {
      this.record(delivery, attempt, "failed", status, error);
      this.inFlight++;
      this.rt.schedule(RETRY_DELAYS_MS[attempt - 1]!, () => void this.attempt(delivery, attempt + 1));
    } else {
      this.record(delivery, attempt, "gave_up", status, error);
    }
    this.inFlight--;
    if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private record(
    delivery: Delivery,
    attempt: number,
    outcome: DeliveryLogEntry["outcome"],
    status: number | null,
    error: string | null,
  ): void {
    this.log.push({
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      topic: delivery.topic,
      shop: delivery.shop.domain,
      url: delivery.url,
      attempt,
      outcome,
      status,
      error,
      at: this.rt.clock.iso(),
      body: delivery.body,
    });
  }

  /** Deliveries waiting for an answer or for a scheduled (re)try. */
  get pending(): number {
    return this.inFlight;
  }

  /** Resolves once no delivery is waiting for an answer or a scheduled (re)try. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/** A small seeded generator (mulberry32), so fault injection replays the same way for one seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
