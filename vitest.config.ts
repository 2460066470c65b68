import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "app/**/*.test.tsx", "test/**/*.test.ts"],
    // Several workers on PostgreSQL: these fail intermittently on an open defect (README, "Several workers on
    // PostgreSQL"), so `npm test` leaves them to `npm run test:pg-workers` until it is fixed.
    exclude: process.env.PG_WORKER_TESTS ? [] : ["test/live/postgres-replay.test.ts", "test/live/concurrency.test.ts"],
    globalSetup: ["test/setup/global-setup.ts"],
    setupFiles: ["test/setup/per-file.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: {
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: "test-api-secret",
      SHOPIFY_APP_URL: "https://backorder-keeper.test",
      SCOPES: "read_orders,write_orders",
    },
  },
});
