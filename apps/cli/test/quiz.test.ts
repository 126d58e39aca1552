import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_QUIZ_FILE, seedKnowledge, seedQuizQuestions } from "@xieshui/core/server";
import { createTestDb, type TestDb } from "../../../test/factories/db.ts";
import { runCaptured } from "./harness.ts";

let t: TestDb;
let dir: string;
beforeAll(async () => {
  t = createTestDb();
  dir = mkdtempSync(join(tmpdir(), "xs-cli-quiz-"));
  await seedKnowledge(t.deps);
}, 120_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCaptured(t.deps, argv);
const HEADER = "id,type,question,option_a,option_b,option_c,option_d,answer,explanation,article_id,difficulty";
function file(name: string, rows: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, [HEADER, ...rows].join("\r\n") + "\r\n");
  return p;
}

describe("quiz import", () => {
  it("dry-runs the 150 seed questions without writing, then imports them, then re-imports them as updates", async () => {
    const dry = await cli("quiz", "import", SEED_QUIZ_FILE, "--dry-run", "--json");
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ imported: 150, updated: 0, rejected: [] });
    expect(await t.db.prisma.quizQuestion.count()).toBe(0);
    const first = await cli("quiz", "import", SEED_QUIZ_FILE, "--json");
    expect(JSON.parse(first.stdout)).toMatchObject({ imported: 150, updated: 0, rejected: [] });
    const again = await cli("quiz", "import", SEED_QUIZ_FILE, "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, updated: 150, unchanged: 150, rejected: [] });
    expect(await t.db.prisma.quizQuestion.count()).toBe(150);
    const q3 = await t.db.prisma.quizQuestion.findUniqueOrThrow({ where: { id: "Q003" } });
    expect(q3).toMatchObject({ type: "multi", answer: "ACD", articleId: "K001", revision: 1 });
    expect(JSON.parse(q3.options)).toHaveLength(4);
    expect(await seedQuizQuestions(t.deps)).toBe(0);
  }, 60_000);

  it("rejects each bad row with its line and reason and imports the rest", async () => {
    const long = "很".repeat(201);
    const p = file("bad.csv", [
      "Q901,single,好题目一？,甲,乙,丙,丁,B,解析。,K001,easy",
      "Q902,single,答案不在选项中？,甲,乙,,,C,解析。,K001,easy",
      "Q903,single,单选两个答案？,甲,乙,丙,丁,AB,解析。,K001,easy",
      "Q904,single,缺少选项？,甲,,,,A,解析。,K001,easy",
      `Q905,single,解析太长？,甲,乙,丙,丁,A,${long},K001,easy`,
      `Q906,single,${"问".repeat(301)},甲,乙,丙,丁,A,解析。,K001,easy`,
      "Q907,single,未知条目？,甲,乙,丙,丁,A,解析。,K999,easy",
      "Q908,multi,多选未排序？,甲,乙,丙,丁,CA,解析。,K002,hard",
      "Q909,judge,判断题？,正确,错误,,,A,解析。,K003,medium",
      "Q901,single,重复编号？,甲,乙,丙,丁,A,解析。,K001,easy",
    ]);
    const { code, stdout } = await cli("quiz", "import", p, "--json");
    expect(code).toBe(0);
    const s = JSON.parse(stdout) as { imported: number; rejected: { line: number; reason: string }[] };
    expect(s.imported).toBe(2);
    expect(s.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 11]);
    const reason = (line: number) => s.rejected.find((r) => r.line === line)!.reason;
    expect(reason(3)).toContain("答案 C 不在选项中");
    expect(reason(4)).toContain("单选题只能有一个答案");
    expect(reason(5)).toContain("缺少选项 B");
    expect(reason(6)).toMatch(/^explanation: /);
    expect(reason(7)).toMatch(/^question: /);
    expect(reason(8)).toContain("知识条目 K999 不存在");
    expect(reason(9)).toContain("按字母顺序");
    expect(reason(11)).toContain("与第 2 行重复");
    expect(await t.db.prisma.quizQuestion.findUnique({ where: { id: "Q902" } })).toBeNull();
    expect((await t.db.prisma.quizQuestion.findUniqueOrThrow({ where: { id: "Q901" } })).question).toBe("好题目一？");
  });

  it("counts a changed question as updated with a new revision", async () => {
    const p = file("edit.csv", ["Q901,single,好题目一（改）？,甲,乙,丙,丁,B,解析。,K001,easy"]);
    expect(JSON.parse((await cli("quiz", "import", p, "--json")).stdout)).toMatchObject({ imported: 0, updated: 1, unchanged: 0, rejected: [] });
    expect((await t.db.prisma.quizQuestion.findUniqueOrThrow({ where: { id: "Q901" } })).revision).toBe(2);
  });

  it("refuses a file with a wrong header or no such file, writing nothing", async () => {
    const p = join(dir, "header.csv");
    writeFileSync(p, "id,question\nQ950,x\n");
    const bad = await cli("quiz", "import", p, "--json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.message).toContain("表头应为");
    expect((await cli("quiz", "import", join(dir, "none.csv"), "--json")).code).toBe(2);
    expect(readFileSync(SEED_QUIZ_FILE, "utf8").startsWith(HEADER)).toBe(true);
  });
});

describe("quiz build, push and results", () => {
  it("builds and pushes a quiz from a definition file, then prints results as JSON", async () => {
    const unit = (await t.db.prisma.unit.create({ data: { code: "cli-village", name: "测试村", type: "village" } })).code;
    const { createInvite, redeemInvite, systemActor } = await import("@xieshui/core/server");
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    await redeemInvite(t.deps, { code }, { kind: "api" });
    const def = join(dir, "quiz.json");
    writeFileSync(def, JSON.stringify({ title: "CLI 测验", selection: { types: ["judge"] }, count: 4, opensAt: "2026-12-01 08:00", closesAt: "2099-12-31 18:00", targets: { units: [unit] } }));
    const built = await cli("quiz", "build", def, "--push", "--json");
    expect(built.code).toBe(0);
    const b = JSON.parse(built.stdout) as { id: string; items: string[]; push: { assigned: number } };
    expect(b.items).toHaveLength(4);
    expect(b.push.assigned).toBe(1);
    const r = JSON.parse((await cli("quiz", "results", b.id, "--json")).stdout) as { units: { invited: number }[]; questions: unknown[] };
    expect(r.units[0]!.invited).toBe(1);
    expect(r.questions).toHaveLength(4);
    writeFileSync(def, JSON.stringify({ title: "x" }));
    const bad = await cli("quiz", "build", def, "--json");
    expect(bad.code).toBe(1);
    expect((await cli("quiz", "results", "nope", "--json")).code).toBe(1);
  });
});
