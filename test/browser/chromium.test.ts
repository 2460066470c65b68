import { expect, it } from "vitest";

import { launchChromium } from "./support";

it("GIVEN no Chromium THEN the browser tests fail with what to install, never skip", async () => {
  await expect(launchChromium("/nonexistent/chromium")).rejects.toThrow(
    "Chromium is missing at /nonexistent/chromium: install it with `apt-get update && apt-get install -y chromium`",
  );
});
