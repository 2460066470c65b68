/**
 * `npm run worker`: a process that runs jobs only (APP_ROLE=worker beside `npm start` processes with
 * APP_ROLE=web; docs/decisions/0025-postgresql-queue.md). Built by `npm run build` into build/worker/.
 */
import { handlers } from "./jobs/handlers.server";
import { runWorkerProcess } from "./process/worker.server";

const { healthPort } = await runWorkerProcess(handlers);
console.info(`worker: running jobs, health on port ${healthPort} (GET /healthz)`);
