import { copyFileSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeEach } from "vitest";

import { unexpectedConsoleErrors } from "../support/console-errors";

// A fresh copy of the migrated base database for this test file.
const tmp = path.resolve(".tmp");
mkdirSync(tmp, { recursive: true });
const dbFile = path.join(tmp, `test-${process.pid}-${Math.random().toString(36).slice(2)}.sqlite`);
copyFileSync(path.join(tmp, "test-base.sqlite"), dbFile);
process.env.DATABASE_URL = `file:${dbFile}`;

// Tests never leave this machine: only loopback addresses may be dialled.
const LOOPBACK = /^(127\.|::1$|localhost$|::ffff:127\.)/;
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string } | number;
  const host =
    typeof options === "object" && options !== null
      ? options.path
        ? "localhost"
        : (options.host ?? "localhost")
      : typeof args[1] === "string"
        ? args[1]
        : "localhost";
  if (!LOOPBACK.test(host)) {
    throw new Error(`Test tried to reach ${host}: outbound network is blocked in tests`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

// An unexpected console.error is a failure, not noise (tests that expect one spy on it).
let consoleErrors: unknown[][] = [];
const originalError = console.error;
console.error = (...args: unknown[]) => {
  consoleErrors.push(args);
  originalError(...args);
};
beforeEach(() => {
  consoleErrors = [];
});
afterEach(() => {
  const failure = unexpectedConsoleErrors(takeConsoleErrors());
  if (failure) throw failure;
});
afterAll(() => {
  console.error = originalError;
});
export function takeConsoleErrors(): unknown[][] {
  const taken = consoleErrors;
  consoleErrors = [];
  return taken;
}
