import { subscribe } from "node:diagnostics_channel";

import { env } from "../env.server";
import { handlers } from "../jobs/handlers.server";
import { startJobs } from "../jobs/worker.server";
import { exitOnSignals } from "./shutdown.server";

// Requests in flight are counted from Node's HTTP diagnostics channels, so a SIGTERM waits for them without owning
// remix-serve's server, which closes its listener on the same signal.
let inFlight = 0;
let draining = false;

export function isDraining(): boolean {
  return draining;
}

function countRequests(): void {
  subscribe("http.server.request.start", () => inFlight++);
  subscribe("http.server.response.finish", () => inFlight--);
}

async function drainRequests(graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

declare global {
  // Once per process: Vite reloads app/entry.server.tsx in development.
  var __webProcess: boolean | undefined;
}

export function startWebProcess(): void {
  if (env.APP_ROLE === "worker")
    throw new Error("APP_ROLE=worker runs jobs only: start it with `npm run worker`; `npm start` serves the app");
  if (globalThis.__webProcess) return;
  globalThis.__webProcess = true;
  countRequests();
  const jobs = env.APP_ROLE === "all" ? startJobs(handlers) : null;
  exitOnSignals(async () => {
    draining = true;
    await Promise.all([jobs?.stop(env.SHUTDOWN_GRACE_MS), drainRequests(env.SHUTDOWN_GRACE_MS)]);
  });
}
