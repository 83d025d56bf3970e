import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Tests share one real Redis; each file uses its own queue prefix, so files may run in parallel.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The CLI's facts cache goes to a folder of this run, never the user's ~/.cache.
    env: { BACKEND_REVIEW_CACHE_DIR: join(tmpdir(), `backend-review-test-facts-${process.pid}`) },
  },
});
