import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// `npm run worker`'s entry, built beside Remix's server build: app code bundled, packages left to node_modules
// (as in the server build), so a fresh clone runs it after `npm ci && npm run build` without tsx.
export default defineConfig({
  plugins: [tsconfigPaths()],
  build: {
    ssr: "app/entry.worker.ts",
    outDir: "build/worker",
    emptyOutDir: true,
    target: "node22",
    rollupOptions: { output: { entryFileNames: "index.js" } },
  },
}) satisfies UserConfig;
