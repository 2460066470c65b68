import { z } from "zod";

import type { Db } from "../../db.server";
import type { JobQueue } from "../../models/job-types";
import { extendDeadlines, openLinesByIds } from "../../models/backorder-queue.server";
import { requestCancelRemainder } from "../customer-requests.server";
import { shopLockKey } from "../intake.server";
import { DAY_MS } from "../../domain";

/** The longest a merchant may push a deadline in one go (a year), so a typo cannot promise forever. */
const MAX_EXTENSION_DAYS = 365;

const lineIds = z
  .array(z.string().min(1))
  .min(1, "Select at least one backorder line")
  .max(500, "At most 500 lines at once");

const BulkAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("allocate"), lineIds }),
  z.object({ intent: z.literal("cancel_remainder"), lineIds }),
  // The customer asked to cancel what has not shipped: the same removal, recorded as the customer's.
  z.object({ intent: z.literal("cancel_remainder_customer"), lineIds }),
  z.object({
    intent: z.literal("extend_deadline"),
    lineIds,
    until: z.iso.date("Choose a date such as 2026-12-31"),
    consent: z.literal("on", { error: "Confirm that these customers agreed to wait until the new date" }),
  }),
]);

export type BulkActionResult = { ok: true; message: string } | { ok: false; fieldErrors: Record<string, string> };

/** Allocation and cancellation go through the pipeline by job; extending a deadline is recorded here. */
export async function runBulkAction(
  deps: { db: Db; queue: JobQueue; now: Date },
  shop: string,
  form: FormData,
): Promise<BulkActionResult> {
  if (form.get("intent") === "cutoff") {
    // The batch cut-off on demand (the job the daily schedule runs): every item with waiting lines.
    await deps.queue.enqueue({ shop, type: "allocate", payload: {}, lockKey: shopLockKey(shop) });
    return { ok: true, message: "Cut-off started: the free stock is shared among the waiting lines" };
  }
  const parsed = BulkAction.safeParse({
    intent: form.get("intent"),
    lineIds: form.getAll("lineIds"),
    until: form.get("until") ?? undefined,
    consent: form.get("consent") ?? undefined,
  });
  if (!parsed.success) return fieldErrorsOf(parsed.error);
  const lines = await openLinesByIds(deps.db, shop, parsed.data.lineIds);
  if (lines.length === 0) return { ok: false, fieldErrors: { lineIds: "None of the selected lines is still waiting" } };
  const ids = lines.map((line) => line.id);
  const action = parsed.data;
  switch (action.intent) {
    case "allocate":
      return allocateLines(deps.queue, shop, lines);
    case "cancel_remainder":
    case "cancel_remainder_customer": {
      const reason = action.intent === "cancel_remainder" ? "merchant_cancelled" : "customer_cancelled";
      await requestCancelRemainder(deps.queue, shop, ids, reason);
      return { ok: true, message: `Cancelling and refunding the unfilled units of ${plural(lines.length, "line")}` };
    }
    case "extend_deadline":
      return extendLines(deps, shop, ids, action.until);
  }
}

function fieldErrorsOf(error: z.ZodError): BulkActionResult {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) fieldErrors[issue.path.join(".") || "intent"] ??= issue.message;
  return { ok: false, fieldErrors };
}

/** Serialized with the shop's other stock work. */
async function allocateLines(
  queue: JobQueue,
  shop: string,
  lines: readonly { inventoryItemId: string | null }[],
): Promise<BulkActionResult> {
  const items = [...new Set(lines.map((line) => line.inventoryItemId).filter((id) => id !== null))];
  for (const inventoryItemId of items) {
    await queue.enqueue({
      shop,
      type: "allocate",
      payload: { inventoryItemId },
      lockKey: shopLockKey(shop),
    });
  }
  return { ok: true, message: `Allocation started for ${plural(items.length, "product variant")}` };
}

/** Until the end of `day`, UTC. */
async function extendLines(
  deps: { db: Db; now: Date },
  shop: string,
  ids: string[],
  day: string,
): Promise<BulkActionResult> {
  const until = new Date(`${day}T23:59:59.000Z`);
  if (until.getTime() <= deps.now.getTime()) return { ok: false, fieldErrors: { until: "Choose a date after today" } };
  if (until.getTime() > deps.now.getTime() + MAX_EXTENSION_DAYS * DAY_MS) {
    return { ok: false, fieldErrors: { until: `Choose a date within ${MAX_EXTENSION_DAYS} days` } };
  }
  const { extended } = await extendDeadlines(deps.db, shop, ids, until, deps.now);
  return { ok: true, message: `Deadline moved to ${day} for ${plural(extended, "line")}` };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
