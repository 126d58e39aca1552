import { defineProject } from "vitest/config";

// Placeholder until the mini-app's own test setup lands (Taro stand-ins under jsdom).
export default defineProject({
  test: { name: "miniapp", include: ["apps/miniapp/src/**/*.test.{ts,tsx}", "apps/miniapp/test/**/*.test.{ts,tsx}"], environment: "node", passWithNoTests: true },
});
