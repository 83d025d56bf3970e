import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Tests share one real Redis; each file uses its own queue prefix, so files may run in parallel.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
