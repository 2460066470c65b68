/**
 * A worker process for test/pipeline/crash.test.ts: the app's own job runner and handlers over DATABASE_URL,
 * calling Local Shopify through SHOPIFY_ADMIN_API_ORIGIN, exactly as the app's worker does. The test kills it.
 */
import db from "../../app/db.server";
import { handlers } from "../../app/jobs/handlers.server";
import { createJobRunner } from "../../app/jobs/runner.server";

// Two processes write the file (this worker, and the test's intake): wait for the other's lock instead of
// failing at once with SQLITE_BUSY (libSQL opens connections without a busy timeout).
await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
const runner = createJobRunner({ db, handlers, concurrency: 1, pollMs: 10, leaseMs: 1_000 });
runner.start();
console.info("ready");
process.once("SIGTERM", () => {
  void runner.stop().then(() => process.exit(0));
});
