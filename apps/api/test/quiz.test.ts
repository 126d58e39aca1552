import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_QUIZ_FILE, seedKnowledge } from "@xieshui/core/server";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { bearer, createTestApi, type TestApi } from "./helpers.ts";

let api: TestApi;
let trainer: string;
let reporter: string;
let unit: string;

beforeAll(async () => {
  api = await createTestApi();
  await seedKnowledge(api.t.deps);
  trainer = (await makeUser(api.t.deps, { roles: ["trainer"], unitType: "tax_bureau" })).token;
  unit = await makeUnit(api.t.deps, { type: "village" });
  reporter = (await makeUser(api.t.deps, { roles: ["reporter"], unit, name: "赵会计" })).token;
}, 120_000);
afterAll(async () => api.close());

const call = (method: "GET" | "POST" | "PUT", url: string, token: string | null, payload?: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({ method, url: `/api/v1${url}`, headers: { ...(token ? bearer(token) : {}), ...headers }, ...(payload !== undefined ? { payload: payload as string } : {}) });

describe("quiz API", () => {
  it("imports the bank from an uploaded CSV (dry run first), trainers only", async () => {
    const csv = readFileSync(SEED_QUIZ_FILE);
    expect((await call("POST", "/quiz/questions/import", reporter, csv, { "content-type": "text/csv" })).statusCode).toBe(403);
    const dry = await call("POST", "/quiz/questions/import?dryRun=1", trainer, csv, { "content-type": "text/csv" });
    expect(dry.json()).toMatchObject({ imported: 150, dryRun: true });
    const res = await call("POST", "/quiz/questions/import", trainer, csv, { "content-type": "text/csv" });
    expect(res.json()).toMatchObject({ imported: 150, updated: 0, rejected: [] });
    const bad = await call("POST", "/quiz/questions/import", trainer, "id,type\nQ1,x\n", { "content-type": "text/csv" });
    expect(bad.statusCode).toBe(400);
  });

  it("edits a question with its revision; a stale revision is 409 and bad fields are named", async () => {
    const q = (await call("GET", "/quiz/questions/Q004", trainer)).json() as { revision: number; options: string[]; question: string };
    const body = { type: "judge", question: `${q.question}（修订）`, options: q.options, answer: "B", explanation: "未经委托不得收税。", articleId: "K001", difficulty: "easy", baseRevision: q.revision };
    expect((await call("PUT", "/quiz/questions/Q004", trainer, body)).json()).toMatchObject({ revision: 2 });
    expect((await call("PUT", "/quiz/questions/Q004", trainer, body)).statusCode).toBe(409);
    const bad = await call("PUT", "/quiz/questions/Q004", trainer, { ...body, answer: "AB", articleId: "K999", baseRevision: 2 });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toContain("answer");
  });

  it("builds, previews, pushes; the reporter answers in the mini-app; the trainer reads results and exports", async () => {
    const noOne = await call("POST", "/quiz/quizzes", trainer, { title: "没人", selection: { difficulties: ["easy"] }, count: 3, opensAt: "2026-11-26 08:00", closesAt: "2026-11-30 18:00", targets: { units: [unit], roles: ["coordinator"] } });
    expect(noOne.statusCode).toBe(201);
    expect(noOne.json().audience.problem).toContain("测验没有推送");
    const refused = await call("POST", `/quiz/quizzes/${noOne.json().id}/push`, trainer, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.targets).toContain("测验没有推送");

    const built = await call("POST", "/quiz/quizzes", trainer, { title: "周测", selection: { questionIds: ["Q001", "Q003"] }, opensAt: "2026-11-26 08:00", closesAt: "2026-11-30 18:00", targets: { units: [unit] } });
    expect(built.json()).toMatchObject({ status: "draft", items: [{ questionId: "Q001" }, { questionId: "Q003" }], audience: { users: 1, withTelegram: 0 } });
    const id = built.json().id as string;
    expect((await call("POST", `/quiz/quizzes/${id}/push`, trainer, {})).json()).toMatchObject({ assigned: 1, alreadyPushed: false });
    expect((await call("POST", `/quiz/quizzes/${id}/push`, trainer, {})).json()).toMatchObject({ assigned: 1, alreadyPushed: true });

    const mine = (await call("GET", "/quiz/mine", reporter)).json().quizzes as { assignmentId: string; title: string }[];
    expect(mine[0]).toMatchObject({ title: "周测", total: 2, answered: 0, finished: false });
    const a = mine[0]!.assignmentId;
    const p = (await call("GET", `/quiz/assignments/${a}`, reporter)).json();
    expect(p.next).toEqual({ position: 1, total: 2, type: "single", question: expect.any(String), options: expect.any(Array) });
    const r1 = await call("POST", `/quiz/assignments/${a}/answers`, reporter, { position: 1, chosen: "C" });
    expect(r1.json().feedback).toMatchObject({ correct: true, articleId: "K001" });
    expect((await call("POST", `/quiz/assignments/${a}/answers`, reporter, { position: 1, chosen: "A" })).statusCode).toBe(409);
    expect((await call("POST", `/quiz/assignments/${a}/answers`, reporter, { position: 2, chosen: 7 })).statusCode).toBe(400);
    expect((await call("POST", `/quiz/assignments/${a}/answers`, trainer, { position: 2, chosen: "A" })).statusCode).toBe(404);
    const r2 = await call("POST", `/quiz/assignments/${a}/answers`, reporter, { position: 2, chosen: "AC" });
    expect(r2.json().progress.result).toMatchObject({ correct: 1, total: 2, score: 50, passed: false });

    const results = (await call("GET", `/quiz/quizzes/${id}/results`, trainer)).json();
    expect(results.units[0]).toMatchObject({ invited: 1, finished: 1, passed: 0, averageScore: 50 });
    expect(results.questions[1]).toMatchObject({ wrongShare: 100, topWrong: "AC" });
    expect((await call("GET", `/quiz/quizzes/${id}/results`, reporter)).statusCode).toBe(403);
    const xlsx = await call("GET", `/quiz/quizzes/${id}/export?format=xlsx`, trainer);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    expect((await call("GET", `/quiz/quizzes/${id}/export?format=doc`, trainer)).statusCode).toBe(400);
    expect((await call("GET", "/quiz/mistakes", reporter)).json().mistakes.map((m: { questionId: string }) => m.questionId)).toEqual(["Q003"]);

    api.clock.set("2026-11-30T10:00:01Z");
    const late = await call("POST", `/quiz/assignments/${a}/answers`, reporter, { position: 1, chosen: "C" });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain("截止");
  });

  it("serves today's practice round and the off-by-default reminder", async () => {
    const round = (await call("GET", "/quiz/practice", reporter)).json();
    expect(round).toMatchObject({ total: 5, answered: 0 });
    expect((await call("GET", "/quiz/practice-reminder", reporter)).json()).toEqual({ enabled: false, hour: 19 });
    expect((await call("PUT", "/quiz/practice-reminder", reporter, { enabled: true, hour: 30 })).statusCode).toBe(400);
    expect((await call("PUT", "/quiz/practice-reminder", reporter, { enabled: true, hour: 8 })).json()).toEqual({ enabled: true, hour: 8 });
    expect((await call("GET", "/quiz/practice", null)).statusCode).toBe(401);
  });
});
