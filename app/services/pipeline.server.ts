import type { Db } from "../db.server";
import type { JobQueue } from "../models/job-types";
import type { Settings } from "../models/settings.server";
import type { AdminGateway } from "../shopify/gateway.server";

/** Passed in (never imported), so tests run the real gateway against Local Shopify and a real SQLite file. */
export interface Pipeline {
  db: Db;
  shop: string;
  admin: AdminGateway;
  queue: JobQueue;
  settings: Settings;
  now: () => Date;
}
