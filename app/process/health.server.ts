import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { Db } from "../db.server";
import { env } from "../env.server";
import type { RunnerHealth } from "../jobs/runner.server";
import { runningJobs } from "../jobs/worker.server";
import { databaseReachable } from "../models/health.server";

/** A health answer for a load balancer or an orchestrator: 200 when `ok`, else 503, with the body as JSON. */
export interface HealthReport {
  ok: boolean;
  body: { status: "ok" | "stopping" | "unavailable"; role: string; database?: boolean; jobs?: RunnerHealth };
}

/** `GET /healthz` of the web role: the database answers, the process is not stopping, and in `all` its jobs run. */
export async function webHealth(db: Db, draining: boolean): Promise<HealthReport> {
  const database = await databaseReachable(db);
  const jobs = runningJobs()?.runner.health();
  const ok = !draining && database && (jobs === undefined || jobs.alive);
  const status = draining ? "stopping" : ok ? "ok" : "unavailable";
  return { ok, body: { status, role: env.APP_ROLE, database, ...(jobs ? { jobs } : {}) } };
}

/** The worker's answer: its runner is started, not stopping, and reached the database within a lease. */
export function workerHealth(health: RunnerHealth): HealthReport {
  const status = health.stopping ? "stopping" : health.alive ? "ok" : "unavailable";
  return { ok: health.alive, body: { status, role: "worker", jobs: health } };
}

/** A small HTTP listener answering `GET /healthz` (anything else is 404); resolves once it listens. */
export async function listenHealth(port: number, host: string | undefined, check: () => HealthReport): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || new URL(request.url ?? "/", "http://worker").pathname !== "/healthz") {
      response.writeHead(404).end();
      return;
    }
    const { ok, body } = check();
    response.writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
