import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

/** One job runner per host (docs/decisions/0007-job-runner.md). */
export function defaultWorkerIdentity(role = "jobs"): string {
  return `${hostname()}:${role}`;
}

/** `identity#host:pid:nonce`, the form `leaseHolderAlive` reads back. */
export function newWorkerId(identity: string): string {
  return `${identity}#${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export function checkIdentity(identity: string): void {
  if (identity.includes("#")) throw new Error(`worker identity must not contain "#": ${JSON.stringify(identity)}`);
}

const liveHere = new Set<string>();

/** A runner of this process counts as alive from its creation until it stops. */
export function markLive(workerId: string): void {
  liveHere.add(workerId);
}

export function markGone(workerId: string): void {
  liveHere.delete(workerId);
}

/**
 * Only the same identity is asked about. On another host it is an earlier run; on this host a live other pid keeps
 * its lease (an overlapping graceful restart), a dead one or our own pid with another nonce (pid 1 after a
 * container restart) is an earlier run.
 */
export function leaseHolderAlive(lockedBy: string): boolean {
  const match = /#([^#]*):(\d+):([^:#]+)$/.exec(lockedBy);
  if (!match) return true;
  const [, host, pidText] = match;
  if (liveHere.has(lockedBy)) return true;
  if (host !== hostname()) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user has that pid; treat it as alive and let its lease run out.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
