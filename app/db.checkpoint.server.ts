import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

/**
 * WAL checkpoints in a process of their own (docs/decisions/0010-webhook-intake-path.md).
 *
 * SQLite's automatic checkpoint runs inside whichever commit crosses 1000 WAL pages: it copies about 4 MB back
 * into the database file and fsyncs it, and libSQL's binding is synchronous, so the event loop (and every
 * webhook acknowledgement waiting on it) stalled for tens of milliseconds every few hundred deliveries. Here
 * a small child process with its own connection runs a PASSIVE checkpoint every `intervalMs`; PASSIVE never
 * waits for readers or writers, it copies what it can. A process rather than a worker thread: SQLite's
 * locking between processes is its most exercised path, and the adapter's libSQL build panics when a worker
 * thread that loaded it is torn down. The app's connection turns its automatic checkpoint off only once the
 * child runs, and back on when it stops, so the WAL never grows without bound. The child exits when the app
 * does (its IPC channel closes).
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
  /** The child is checkpointing: the app's connection may stop its own automatic checkpoints. */
  onStarted(): void;
  /** The child is gone: the app's connection must checkpoint again by itself. */
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
