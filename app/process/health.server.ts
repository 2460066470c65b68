import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { Db } from "../db.server";
import { env } from "../env.server";
import type { RunnerHealth } from "../jobs/runner.server";
import { runningJobs } from "../jobs/worker.server";
import { databaseReachable } from "../models/health.server";

export interface HealthReport {
  ok: boolean;
  body: { status: "ok" | "stopping" | "unavailable"; role: string; database?: boolean; jobs?: RunnerHealth };
}

export async function webHealth(db: Db, draining: boolean): Promise<HealthReport> {
  const database = await databaseReachable(db);
  const jobs = runningJobs()?.runner.health();
  const ok = !draining && database && (jobs === undefined || jobs.alive);
  const status = draining ? "stopping" : ok ? "ok" : "unavailable";
  return { ok, body: { status, role: env.APP_ROLE, database, ...(jobs ? { jobs } : {}) } };
}

export function workerHealth(health: RunnerHealth): HealthReport {
  const status = health.stopping ? "stopping" : health.alive ? "ok" : "unavailable";
  return { ok: health.alive, body: { status, role: "worker", jobs: health } };
}

/** `GET /local/clock` (local mode) runs what the clock jump made due before it answers, as the web's `/local/idle`. */
export async function listenHealth(
  port: number,
  host: string | undefined,
  check: () => HealthReport,
  syncClock?: () => Promise<Date>,
): Promise<Server> {
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? "/", "http://worker").pathname;
    const answer = (status: number, body: unknown) =>
      response
        .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
        .end(JSON.stringify(body));
    if (request.method === "GET" && pathname === "/local/clock" && syncClock) {
      syncClock().then(
        (now) => answer(200, { now: now.toISOString() }),
        (error: unknown) => answer(503, { error: String(error) }),
      );
      return;
    }
    if (request.method !== "GET" || pathname !== "/healthz") {
      response.writeHead(404).end();
      return;
    }
    const { ok, body } = check();
    answer(ok ? 200 : 503, body);
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
