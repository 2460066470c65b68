import { describe, expect, it } from "vitest";

import db from "../db.server";
import { DEFAULT_SETTINGS, getSettings, saveSettings, validateSettings } from "./settings.server";

describe("settings", () => {
  it("are the defaults for a shop that never saved any", async () => {
    expect(await getSettings(db, "new.myshopify.com")).toEqual(DEFAULT_SETTINGS);
  });

  it("round-trip through the database, per shop", async () => {
    const mine = { ...DEFAULT_SETTINGS, allocationPolicy: "priority" as const, priorityTags: ["vip", "wholesale"] };
    await saveSettings(db, "mine.myshopify.com", mine);

    expect(await getSettings(db, "mine.myshopify.com")).toEqual(mine);
    expect(await getSettings(db, "theirs.myshopify.com")).toEqual(DEFAULT_SETTINGS);
  });

  it("refuse a deadline past 30 days without recorded consent, and accept it with consent", () => {
    expect(validateSettings({ ...DEFAULT_SETTINGS, deadlineDays: 45, leadDays: 45 })).toEqual({
      ok: false,
      fieldErrors: {
        deadlineDays: "Past 30 days needs your customers' recorded consent",
        leadDays: "Past 30 days needs your customers' recorded consent",
      },
    });
    expect(validateSettings({ ...DEFAULT_SETTINGS, deadlineDays: 45, consentRecorded: true }).ok).toBe(true);
  });

  it("name each invalid field", () => {
    expect(
      validateSettings({ ...DEFAULT_SETTINGS, allocationPolicy: "random", cutoffTime: "25:00", orderTag: "a,b" }),
    ).toEqual({
      ok: false,
      fieldErrors: {
        allocationPolicy:
          'Invalid option: expected one of "fifo"|"fair_share"|"priority"|"earliest_deadline"|"smallest_first"|"proportional"',
        cutoffTime: "Use a 24-hour time such as 16:00",
        orderTag: "A tag cannot contain a comma",
      },
    });
  });
});
