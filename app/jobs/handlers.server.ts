import db, { type Db } from "../db.server";
import { env } from "../env.server";
import { getSettings } from "../models/settings.server";
import { runPayloadRetention } from "../services/compliance.server";
import type { Pipeline } from "../services/pipeline.server";
import { sendQueuedFlows } from "../services/apply";
import { backfillStep } from "../services/backfill.server";
import { sweepDeadlines } from "../services/deadlines.server";
import { INTAKE_TOPICS } from "../services/intake.server";
import { runAllocate } from "../services/jobs/allocate.server";
import { runCancelRemainder } from "../services/jobs/cancel-remainder.server";
import { runRedate } from "../services/jobs/redate.server";
import { runRoutingCheck } from "../services/jobs/routing-check.server";
import { runShipReady } from "../services/jobs/ship-ready.server";
import { runWebhookJob } from "../services/jobs/webhook.server";
import { runCustomerMessage } from "../services/messages/send.server";
import { mailerForShop, type MailerFor } from "../services/messages/smtp.server";
import { reconcile } from "../services/reconcile.server";
import { syncSellingVariants } from "../services/variant-sync.server";
import { gatewayForShop, NoOfflineSessionError, type AdminGateway } from "../shopify/gateway.server";
import type { JobContext, JobHandler, JobHandlers } from "../models/job-types";

export interface HandlerDeps {
  db: Db;
  gatewayFor: (shop: string) => Promise<AdminGateway>;
  /** The app's secret (links, sealed SMTP passwords); env's by default. */
  secret?: string;
  mailerFor?: MailerFor;
  onOutcome?: (job: JobContext["job"], outcome: unknown) => void;
}

/** A shop without an offline session (uninstalled) has nothing left to do: its jobs end quietly, not as dead. */
export function createHandlers(deps: HandlerDeps): JobHandlers {
  function handler(work: (p: Pipeline, context: JobContext) => Promise<unknown>): JobHandler {
    return async (context) => {
      const { shop } = context.job;
      let admin: AdminGateway;
      try {
        admin = await deps.gatewayFor(shop);
      } catch (error) {
        if (error instanceof NoOfflineSessionError) return;
        throw error;
      }
      const settings = await getSettings(deps.db, shop);
      const pipeline: Pipeline = { db: deps.db, shop, admin, queue: context.queue, settings, now: context.now };
      // Flow events an earlier run recorded and did not get to send (it died after writing them) go first; a
      // failure here is the events' own (recorded on them) and does not hold this job up.
      await sendQueuedFlows(pipeline).catch((error: unknown) =>
        console.warn(`Flow triggers of ${shop} not sent yet:`, String(error)),
      );
      const outcome = await work(pipeline, context);
      deps.onOutcome?.(context.job, outcome);
    };
  }

  const webhookHandlers = Object.fromEntries(
    INTAKE_TOPICS.map((topic) => [
      `webhook:${topic}`,
      handler((p, { job }) => runWebhookJob(p, topic, String(job.payload.deliveryId))),
    ]),
  );
  const secret = deps.secret ?? env.SHOPIFY_API_SECRET;
  const messages = {
    secret,
    mailerFor: deps.mailerFor ?? mailerForShop(deps.db, secret, { url: env.SMTP_URL, from: env.SMTP_FROM }),
  };
  return {
    ...webhookHandlers,
    customer_message: handler((p, { job }) => runCustomerMessage(p, messages, job.payload)),
    allocate: handler((p, { job }) => runAllocate(p, job.payload)),
    cancel_remainder: handler((p, { job }) => runCancelRemainder(p, job.payload)),
    ship_ready: handler((p, { job }) => runShipReady(p, job.payload)),
    deadline_sweep: handler((p) => sweepDeadlines(p)),
    redate: handler((p, { job }) => runRedate(p, job.payload)),
    reconcile: handler((p) => reconcile(p)),
    routing_check: handler((p, { job }) => runRoutingCheck(p, job.payload)),
    // No Admin call: it runs for a shop whatever its session.
    payload_retention: async ({ job, now }) => {
      deps.onOutcome?.(job, await runPayloadRetention(deps.db, job.shop, now()));
    },
    backfill: handler((p) => backfillStep(p)),
    variant_sync: handler((p) => syncSellingVariants(p, null)),
  };
}

export const handlers: JobHandlers = createHandlers({ db, gatewayFor: (shop) => gatewayForShop(db, shop) });
