/**
 * The per-file setup's rule (test/setup/per-file.ts): a test that wrote to console.error without expecting it
 * fails. A test that expects one spies on console.error (`vi.spyOn(console, "error")`), which keeps it from here.
 */
export function unexpectedConsoleErrors(errors: readonly unknown[][]): Error | null {
  if (errors.length === 0) return null;
  const first = errors[0]!.map((arg) => (arg instanceof Error ? (arg.stack ?? arg.message) : String(arg))).join(" ");
  return new Error(`unexpected console.error (${errors.length}): ${first}`);
}
