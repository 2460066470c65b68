// `npm run worker`: APP_ROLE=worker beside APP_ROLE=web processes (docs/decisions/0025-postgresql-queue.md).
import { handlers } from "./jobs/handlers.server";
import { runWorkerProcess } from "./process/worker.server";

const { healthPort } = await runWorkerProcess(handlers);
console.info(`worker: running jobs, health on port ${healthPort} (GET /healthz)`);
