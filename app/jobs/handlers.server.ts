import type { JobHandlers } from "./types";

/** Every job type the app's worker runs, by type (e.g. `webhook:orders/create`). */
export const handlers: JobHandlers = {};
