import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

import { chromium, type Browser } from "playwright-core";

// Only Node and playwright-core here: `npm run screenshots` launches the same browser outside the test run.
export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = path.resolve("test/artifacts");

/** Debian's Chromium, never a downloaded browser; a missing one fails the run with what to do. */
export async function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is missing at ${executablePath}: install it with \`apt-get update && apt-get install -y chromium\``,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
