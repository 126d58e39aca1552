import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Mini-app unit tests: jsdom plus thin react-dom stand-ins for @tarojs/taro and @tarojs/components,
// so hooks, modules and pages run without Taro's runtime. The real build is covered by the H5 e2e test.
export default defineProject({
  root: here("."),
  define: {
    "process.env.TARO_ENV": JSON.stringify("h5"),
    "process.env.TARO_APP_API_BASE": JSON.stringify(""),
  },
  resolve: {
    alias: {
      "@tarojs/taro": here("./test/stubs/taro.ts"),
      "@tarojs/components": here("./test/stubs/components.tsx"),
    },
  },
  esbuild: { jsx: "automatic" },
  test: {
    name: "miniapp",
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
    environment: "jsdom",
    setupFiles: ["./test/setup.ts"],
  },
});
