/**
 * A generated, seeded scenario in the simulator's format for `npm run bench:live`: `orders` orders of one to two
 * lines over eight variants of three products, about a hundred a day, stock short of demand so a good share is
 * backordered, a restock of three variants each morning, 2% of orders cancelled by the customer a day or two
 * later, and a last tick a day after the last order. Same (orders, seed), same file.
 */
const DAY = 86_400_000;
const START = Date.parse("2026-11-02T08:00:00Z");

const ITEMS = [
  { sku: "TENT-2P", productId: "tent", price: 249 },
  { sku: "TENT-4P", productId: "tent", price: 399 },
  { sku: "BAG-S", productId: "bag", price: 89 },
  { sku: "BAG-M", productId: "bag", price: 99 },
  { sku: "BAG-L", productId: "bag", price: 109 },
  { sku: "STOVE", productId: "stove", price: 59 },
  { sku: "STOVE-XL", productId: "stove", price: 79 },
  { sku: "STOVE-FUEL", productId: "stove", price: 9 },
];

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function generatedScenario(orders: number, seed: number) {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const days = Math.max(2, Math.ceil(orders / 100));
  // Units per variant over the story: orders × 1.5 lines × 2 units / 8 variants; a third in stock at the start.
  const demand = Math.ceil((orders * 3) / ITEMS.length);
  const items = ITEMS.map((item) => ({ ...item, available: Math.round((demand / 3) * (0.5 + random())) }));

  const times = Array.from({ length: orders }, () => START + Math.floor(random() * days * 86_400) * 1_000).sort(
    (a, b) => a - b,
  );
  // Distinct seconds: one event at a time, as the replay plays them.
  for (let i = 1; i < times.length; i++) times[i] = Math.max(times[i]!, times[i - 1]! + 1_000);
  const events: { at: number; event: Record<string, unknown> }[] = [];
  times.forEach((at, i) => {
    const id = String(10_001 + i);
    const lineCount = random() < 0.5 ? 1 : 2;
    const skus = new Set<string>();
    while (skus.size < lineCount) skus.add(pick(items).sku);
    const lines = [...skus].map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 3) }));
    events.push({ at, event: { type: "order", id, tags: random() < 0.1 ? ["vip"] : [], lines } });
    if (random() < 0.02) {
      const cancelAt = at + DAY + Math.floor(random() * 86_400) * 1_000;
      events.push({ at: cancelAt, event: { type: "cancel", orderId: id, by: "customer" } });
    }
  });
  const lastOrder = times.at(-1) ?? START;
  for (let day = 1; START + day * DAY - 3_600_000 < lastOrder; day++) {
    const skus = new Set<string>();
    while (skus.size < 3) skus.add(pick(items).sku);
    for (const [n, sku] of [...skus].entries()) {
      const quantity = Math.round((demand / days) * (0.5 + random()) * 1.5);
      events.push({
        at: START + day * DAY - 3_600_000 + n * 60_000 + 30_000,
        event: { type: "restock", sku, quantity },
      });
    }
  }
  const inHorizon = events.filter((e) => e.at <= lastOrder + DAY - 1);
  inHorizon.push({ at: lastOrder + DAY, event: { type: "tick" } });
  inHorizon.sort((a, b) => a.at - b.at);
  return {
    settings: {
      allocationPolicy: "fifo",
      priorityTags: ["vip"],
      allocationWindow: "immediate",
      partialShipment: "ship_available",
      leadDays: 5,
      reminderDays: 3,
      deadlineDays: 10,
      expiryAction: "cancel",
      backorderCap: null,
    },
    items: items.map(({ sku, productId, price, available }) => ({ sku, productId, price, available })),
    events: inHorizon.map(({ at, event }) => ({ at: iso(at), ...event })),
  };
}
