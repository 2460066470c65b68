/**
 * The worker process of `npm run bench:recovery`: the app's job runner with its production defaults (lease,
 * concurrency, identity) and the app's real handlers, over DATABASE_URL, calling Local Shopify through
 * SHOPIFY_ADMIN_API_ORIGIN. The bench kills it with SIGKILL and starts another.
 */
import db from "../../app/db.server";
import { handlers } from "../../app/jobs/handlers.server";
import { createJobRunner } from "../../app/jobs/runner.server";

// The bench process reads the file while this one writes it.
await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
const runner = createJobRunner({ db, handlers, logger: { warn: () => {}, error: console.error } });
runner.start();
console.info("ready");
process.once("SIGTERM", () => {
  void runner.stop().then(() => process.exit(0));
});
