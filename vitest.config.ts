import { defineConfig } from "vitest/config";

// One runner for the whole monorepo. Projects keep environments apart: the mini-app runs under
// jsdom with Taro stand-ins, everything else under Node. The e2e project builds the H5 app and
// starts real servers, so it runs its files one at a time.
export default defineConfig({
  test: {
    // Tests never assert speed (benchmarks do): generous limits keep a busy 2-core CI machine from
    // failing a correct test because a worker thread or a database took a few seconds to start.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "core", include: ["packages/core/src/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: { name: "api", include: ["apps/api/test/**/*.test.ts", "apps/api/src/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: { name: "bot", include: ["apps/bot/test/**/*.test.ts", "apps/bot/src/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: { name: "cli", include: ["apps/cli/test/**/*.test.ts"], environment: "node" },
      },
      "apps/miniapp/vitest.config.mts",
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/**/*.e2e.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
