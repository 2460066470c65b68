/** A second signal meanwhile changes nothing. */
export function exitOnSignals(shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  let started = false;
  const handler = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`shutdown after ${signal} failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
