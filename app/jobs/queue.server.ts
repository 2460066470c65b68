import { insertJob, type DbClient } from "../models/jobs.server";
import type { JobQueue } from "../models/job-types";

/** Pass a transaction's client to enqueue atomically with other writes. */
export function createJobQueue(db: DbClient): JobQueue {
  return { enqueue: (job) => insertJob(db, job) };
}
