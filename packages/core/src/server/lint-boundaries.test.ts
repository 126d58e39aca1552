import { resolve } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The layering of CONVENTIONS.md is enforced by eslint.config.js; this proves the rule bites at
// every depth, so a new sub-folder of core/domain cannot reach server code by a longer path.
const root = resolve(import.meta.dirname, "../../../..");
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

// The first lint loads typescript-eslint (seconds on a busy machine): a generous timeout.
describe("import boundaries", { timeout: 60_000 }, () => {
  it.each([
    ["packages/core/src/domain/probe.ts", 'import { x } from "../server/db.ts";\nexport const y = x;\n'],
    ["packages/core/src/domain/reports/probe.ts", 'import { x } from "../../server/db.ts";\nexport const y = x;\n'],
    ["packages/core/src/domain/reports/deep/probe.ts", 'import { x } from "../../../server/reports/index.ts";\nexport const y = x;\n'],
    ["packages/core/src/domain/probe.ts", 'import { x } from "@xieshui/core/server";\nexport const y = x;\n'],
    ["packages/core/src/domain/probe.ts", 'import { readFileSync } from "node:fs";\nexport const y = readFileSync;\n'],
    ["apps/miniapp/src/probe.ts", 'import { x } from "@xieshui/core/server";\nexport const y = x;\n'],
    ["apps/miniapp/src/probe.ts", 'import { PrismaClient } from "@prisma/client";\nexport const y = PrismaClient;\n'],
  ])("refuses a server import in %s", async (file, source) => {
    expect(await restricted(file, source)).toHaveLength(1);
  });

  it("allows core/domain to import its own modules", async () => {
    expect(await restricted("packages/core/src/domain/reports/probe.ts", 'import { cstDate } from "../time.ts";\nexport const y = cstDate;\n')).toEqual([]);
  });
});
