import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_KNOWLEDGE_DIR } from "@xieshui/core/server";
import { createTestDb, type TestDb } from "../../../test/factories/db.ts";
import { runCaptured } from "./harness.ts";

let t: TestDb;
let dir: string;
beforeAll(() => {
  t = createTestDb();
  dir = mkdtempSync(join(tmpdir(), "xs-cli-kb-"));
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCaptured(t.deps, argv);

describe("knowledge import", () => {
  it("imports the 40 seed articles, then re-imports them as updates without duplicates", async () => {
    const first = await cli("knowledge", "import", SEED_KNOWLEDGE_DIR, "--json");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ imported: 40, updated: 0, unchanged: 0, rejected: [] });
    const again = await cli("knowledge", "import", SEED_KNOWLEDGE_DIR, "--json");
    expect(JSON.parse(again.stdout)).toEqual({ imported: 0, updated: 40, unchanged: 40, rejected: [] });
    expect(await t.db.prisma.knowledgeArticle.count()).toBe(40);
  }, 60_000);

  it("rejects a file with bad front matter by name and reason and imports the others", async () => {
    for (const f of readdirSync(SEED_KNOWLEDGE_DIR).slice(0, 2)) copyFileSync(join(SEED_KNOWLEDGE_DIR, f), join(dir, f));
    const good = readFileSync(join(SEED_KNOWLEDGE_DIR, "003-tax-office-merger-channels.md"), "utf8");
    writeFileSync(join(dir, "041-new.md"), good.replace("id: K003", "id: K041").replace("国地税合并后到哪里办税", "新条目：到哪里办税"));
    writeFileSync(join(dir, "042-bad.md"), good.replace("id: K003", "id: X42"));
    writeFileSync(join(dir, "043-bad.md"), "no front matter at all");
    const { code, stdout } = await cli("knowledge", "import", dir, "--json");
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { imported: number; updated: number; rejected: { file: string; reason: string }[] };
    expect(summary).toMatchObject({ imported: 1, updated: 2 });
    expect(summary.rejected).toEqual([
      { file: "042-bad.md", reason: "id: 条目编号应为 K 加三位以上数字，例如 K041" },
      { file: "043-bad.md", reason: expect.stringContaining("YAML 头") },
    ]);
  }, 30_000);

  it("explains a missing folder as wrong usage", async () => {
    const { code, stdout } = await cli("knowledge", "import", join(dir, "nope"), "--json");
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error.code).toBe("usage");
    expect((await cli("knowledge", "import", "--json")).code).toBe(2);
  });
});

describe("knowledge search", () => {
  it("prints [{ id, title, score }] best first", async () => {
    const { code, stdout } = await cli("knowledge", "search", "没有车船税完税证明能年检吗", "--json");
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as { id: string; title: string; score: number }[];
    expect(results[0]).toEqual({ id: "K021", title: "车辆登记和定期检验时核查车船税", score: expect.any(Number) });
    expect(Object.keys(results[0]!).sort()).toEqual(["id", "score", "title"]);
    for (let i = 1; i < results.length; i++) expect(results[i]!.score).toBeLessThanOrEqual(results[i - 1]!.score);
  }, 30_000);

  it("answers odd queries with an empty list or a clear error, never a crash", async () => {
    expect(JSON.parse((await cli("knowledge", "search", "？？！", "--json")).stdout)).toEqual([]);
    expect(JSON.parse((await cli("knowledge", "search", '" OR * NEAR', "--json")).stdout)).toEqual([]);
    const long = await cli("knowledge", "search", "税".repeat(300), "--json");
    expect(long.code).toBe(1);
    expect(JSON.parse(long.stdout).error.code).toBe("invalid_input");
    expect((await cli("knowledge", "search", "--json")).code).toBe(2);
    expect((await cli("knowledge", "search", "契税", "--audience", "moon", "--json")).code).toBe(2);
  });

  it("works as a real process through npm run -s cli", () => {
    const root = resolve(import.meta.dirname, "../../..");
    const env = { ...process.env, DATABASE_URL: t.url, XIESHUI_DEMO: "0" };
    const run = spawnSync("npm", ["run", "-s", "cli", "--", "knowledge", "search", "車船稅", "--json"], { cwd: root, env, encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as { id: string }[];
    expect(results.slice(0, 3).map((r) => r.id)).toContain("K019");
  }, 130_000);
});
