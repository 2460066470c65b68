import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

/**
 * WAL checkpoints in a child process: docs/decisions/0010-webhook-intake-path.md. PASSIVE never waits for readers
 * or writers. The app's connection turns its automatic checkpoint off only while the child runs, so the WAL never
 * grows without bound; the child exits when the app does (its IPC channel closes).
 */
const SOURCE = `
const { createClient } = require(process.env.CHECKPOINT_LIBSQL_CLIENT);
const client = createClient({ url: process.env.CHECKPOINT_DATABASE_URL });
const intervalMs = Number(process.env.CHECKPOINT_INTERVAL_MS);
let busy = false;
setInterval(async () => {
  if (busy) return;
  busy = true;
  try {
    await client.execute("PRAGMA wal_checkpoint(PASSIVE)");
  } catch (error) {
    process.send({ failed: String(error) });
  } finally {
    busy = false;
  }
}, intervalMs);
process.on("disconnect", () => process.exit(0));
process.send({ started: true });
`;

export interface Checkpointer {
  /** Ends the child; its last checkpoint, if one is running, is simply cut short (the WAL keeps the data). */
  stop(): void;
}

export interface CheckpointerEvents {
  onStarted(): void;
  onStopped(reason: string): void;
  onFailure(message: string): void;
}

export function startCheckpointer(url: string, intervalMs: number, events: CheckpointerEvents): Checkpointer {
  // The adapter's own copy of libSQL, the one the app's connection runs on.
  const adapter = createRequire(import.meta.url).resolve("@prisma/adapter-libsql");
  const client = createRequire(adapter).resolve("@libsql/client");
  const child: ChildProcess = spawn(process.execPath, ["-e", SOURCE], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: {
      NODE_ENV: process.env.NODE_ENV ?? "production",
      PATH: process.env.PATH,
      CHECKPOINT_LIBSQL_CLIENT: client,
      CHECKPOINT_DATABASE_URL: url,
      CHECKPOINT_INTERVAL_MS: String(intervalMs),
    },
  });
  // Never the reason the app's process stays alive.
  child.unref();
  child.channel?.unref();
  let stopped = false;
  const stop = (reason: string) => {
    if (stopped) return;
    stopped = true;
    events.onStopped(reason);
  };
  child.on("message", (message: { started?: boolean; failed?: string }) => {
    if (message.started) events.onStarted();
    if (message.failed) events.onFailure(message.failed);
  });
  child.on("error", (error) => stop(error.message));
  child.on("exit", (code, signal) => stop(signal ? `stopped by ${signal}` : `exited with code ${code}`));
  return {
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    },
  };
}
