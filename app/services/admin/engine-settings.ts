import type { Settings as EngineSettings } from "../../domain";
import type { Settings } from "../../models/settings.server";

/** The stored settings in the engine's shape (the engine keys never-split products by id). */
export function engineSettings(settings: Settings): EngineSettings {
  return {
    allocationPolicy: settings.allocationPolicy,
    priorityTags: settings.priorityTags,
    allocationWindow: settings.allocationWindow,
    partialShipment: settings.partialShipment,
    thresholdPercent: settings.thresholdPercent,
    neverSplitProductIds: settings.neverSplitProducts,
    leadDays: settings.leadDays,
    reminderDays: settings.reminderDays,
    deadlineDays: settings.deadlineDays,
    consentRecorded: settings.consentRecorded,
    expiryAction: settings.expiryAction,
    backorderCap: settings.backorderCap,
    variantCaps: settings.variantCaps,
  };
}
