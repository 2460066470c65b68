import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { createJobQueue } from "~/jobs/queue.server";
import { DEFAULT_SETTINGS, saveSettings } from "~/models/settings.server";

import { nextCutoff, periodicJobs, scheduleTick } from "./schedule.server";

describe("nextCutoff", () => {
  it("is today's cut-off when it is still ahead, else tomorrow's, in the shop's time zone", () => {
    expect(nextCutoff(new Date("2026-11-26T10:00:00Z"), "16:00", "UTC").toISOString()).toBe("2026-11-26T16:00:00.000Z");
    expect(nextCutoff(new Date("2026-11-26T16:00:00Z"), "16:00", "UTC").toISOString()).toBe("2026-11-26T16:00:00.000Z");
    expect(nextCutoff(new Date("2026-11-26T16:00:01Z"), "16:00", "UTC").toISOString()).toBe("2026-11-27T16:00:00.000Z");
    // New York is UTC-5 in November and UTC-4 in July.
    expect(nextCutoff(new Date("2026-11-26T10:00:00Z"), "16:00", "America/New_York").toISOString()).toBe(
      "2026-11-26T21:00:00.000Z",
    );
    expect(nextCutoff(new Date("2026-07-01T22:00:00Z"), "16:00", "America/New_York").toISOString()).toBe(
      "2026-07-02T20:00:00.000Z",
    );
  });

  it("names the field when the time is malformed", () => {
    expect(() => nextCutoff(new Date(0), "4pm", "UTC")).toThrow('cutoffTime must be HH:MM, got "4pm"');
  });
});

describe("periodicJobs", () => {
  it("sweeps hourly, reconciles and syncs variants every six hours, and in a batch window allocates at the cut-off", () => {
    const now = new Date("2026-11-26T10:30:00Z");
    const hour = Math.floor(now.getTime() / 3_600_000);
    expect(periodicJobs("a.myshopify.com", { ...DEFAULT_SETTINGS, allocationWindow: "batch" }, now, "UTC")).toEqual([
      {
        shop: "a.myshopify.com",
        type: "deadline_sweep",
        payload: {},
        dedupeKey: `deadline_sweep:${hour}`,
        lockKey: "stock:a.myshopify.com",
        runAt: now,
      },
      {
        shop: "a.myshopify.com",
        type: "reconcile",
        payload: {},
        dedupeKey: `reconcile:${Math.floor(hour / 6)}`,
        lockKey: "stock:a.myshopify.com",
        runAt: now,
      },
      {
        shop: "a.myshopify.com",
        type: "variant_sync",
        payload: {},
        dedupeKey: `variant_sync:${Math.floor(hour / 6)}`,
        lockKey: "stock:a.myshopify.com",
        runAt: now,
      },
      {
        shop: "a.myshopify.com",
        type: "payload_retention",
        payload: {},
        dedupeKey: `payload_retention:${Math.floor(hour / 24)}`,
        lockKey: "stock:a.myshopify.com",
        runAt: now,
      },
      {
        shop: "a.myshopify.com",
        type: "allocate",
        payload: {},
        dedupeKey: "cutoff:2026-11-26T16:00:00.000Z",
        lockKey: "stock:a.myshopify.com",
        runAt: new Date("2026-11-26T16:00:00Z"),
      },
    ]);
    expect(periodicJobs("a.myshopify.com", DEFAULT_SETTINGS, now, "UTC").map((job) => job.type)).toEqual([
      "deadline_sweep",
      "reconcile",
      "variant_sync",
      "payload_retention",
    ]);
    // The merchant runs each cut-off from the Backorders page instead.
    const manual = { ...DEFAULT_SETTINGS, allocationWindow: "batch" as const, automaticCutoff: false };
    expect(periodicJobs("a.myshopify.com", manual, now, "UTC").map((job) => job.type)).toEqual([
      "deadline_sweep",
      "reconcile",
      "variant_sync",
      "payload_retention",
    ]);
  });
});

describe("scheduleTick", () => {
  beforeEach(async () => {
    for (const table of ["Job", "Session", "ShopSettings"]) await db.$executeRawUnsafe(`DELETE FROM "${table}"`);
  });

  it("enqueues each period's jobs once per installed shop, however often it ticks", async () => {
    for (const shop of ["a.myshopify.com", "b.myshopify.com"]) {
      await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "t" } });
    }
    await saveSettings(db, "b.myshopify.com", { ...DEFAULT_SETTINGS, allocationWindow: "batch" });
    const deps = { db, queue: createJobQueue(db), timeZoneFor: async () => "Europe/Paris" };
    const now = new Date("2026-11-26T10:30:00Z");
    expect(await scheduleTick(deps, now)).toBe(9);
    expect(await scheduleTick(deps, new Date(now.getTime() + 60_000))).toBe(0);
    const jobs = await db.job.findMany({ orderBy: [{ shop: "asc" }, { type: "asc" }] });
    expect(jobs.map((job) => [job.shop, job.type, job.runAt.toISOString()])).toEqual([
      ["a.myshopify.com", "deadline_sweep", now.toISOString()],
      ["a.myshopify.com", "payload_retention", now.toISOString()],
      ["a.myshopify.com", "reconcile", now.toISOString()],
      ["a.myshopify.com", "variant_sync", now.toISOString()],
      ["b.myshopify.com", "allocate", "2026-11-26T15:00:00.000Z"],
      ["b.myshopify.com", "deadline_sweep", now.toISOString()],
      ["b.myshopify.com", "payload_retention", now.toISOString()],
      ["b.myshopify.com", "reconcile", now.toISOString()],
      ["b.myshopify.com", "variant_sync", now.toISOString()],
    ]);
  });
});
