// Lint rules shared by every workspace. The mini-app may only use the isomorphic core entry:
// no server code, no Prisma and no Node built-ins can reach a WeChat or browser bundle.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/generated/**",
      "data/**",
      ".tmp/**",
      "apps/miniapp/config/**",
      "apps/miniapp/babel.config.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    files: ["apps/miniapp/src/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@xieshui/core/server", "@xieshui/core/server/*"], message: "The mini-app imports only the isomorphic @xieshui/core entry." },
            { group: ["@prisma/*", "better-sqlite3"], message: "No database code in the mini-app." },
            { group: ["node:*"], message: "No Node built-ins in the mini-app." },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/core/src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*", "**/server/*", "**/server", "@xieshui/core/server", "@xieshui/core/server/*", "@prisma/*", "better-sqlite3"], message: "core/domain is isomorphic: no Node or server imports." },
          ],
        },
      ],
    },
  },
);
