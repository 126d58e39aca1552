import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

// The server's clock: 2026-11-26 10:00 CST.
let api: TestApi;
let coordinator: string;
let admin: string;
let officer: string;
let east: string;
let west: string;
let eastClerk: string;
let westClerk: string;
beforeAll(async () => {
  api = await createTestApi();
  coordinator = (await makeUser(api.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
  admin = (await makeUser(api.t.deps, { roles: ["admin"], unitType: "finance_bureau" })).token;
  officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
  east = await makeUnit(api.t.deps, { code: "api-east", name: "东村村委会" });
  west = await makeUnit(api.t.deps, { code: "api-west", name: "西村村委会" });
  eastClerk = (await makeUser(api.t.deps, { roles: ["reporter"], unit: east })).token;
  westClerk = (await makeUser(api.t.deps, { roles: ["checker"], unit: west })).token;
});
afterAll(async () => {
  await api.close();
});

const post = (url: string, token: string | undefined, payload: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({ method: "POST", url, payload: payload as Record<string, unknown>, headers: { ...(token ? bearer(token) : {}), ...headers } });
const get = (url: string, token?: string) => api.app.inject({ method: "GET", url, headers: token ? bearer(token) : {} });

const body = (over: Record<string, unknown> = {}) => ({
  clientId: "api-meeting-00001",
  heldOn: "2026-11-20",
  title: "四季度例会",
  decisions: "按月报送出租房屋登记",
  attendees: [{ unit: east, people: "李四" }, { unit: west }],
  tasks: [{ unit: east, title: "核查出租房屋", dueOn: "2026-11-25" }, { unit: west, title: "报送名单", dueOn: "2026-12-10" }],
  ...over,
});

describe("meetings over HTTP", () => {
  let meetingId: string;

  it("POST /meetings records a meeting (201), the same clientId again answers 200 with the same meeting", async () => {
    const first = await post("/api/v1/meetings", coordinator, body());
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ heldOn: "2026-11-20", taskCounts: { open: 2, overdue: 1, done: 0 } });
    meetingId = first.json().id;
    const again = await post("/api/v1/meetings", coordinator, body());
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(meetingId);
    expect(await api.t.db.prisma.meeting.count()).toBe(1);
  });

  it("refuses bad input with 400 and localized messages next to the field, never a 500", async () => {
    const unknown = await post("/api/v1/meetings", coordinator, body({ clientId: "api-meeting-00002", attendees: [{ unit: east }, { unit: "nowhere" }] }), { "accept-language": "en" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toEqual({ "attendees.1.unit": "No such unit: pick one from the unit list" });
    const future = await post("/api/v1/meetings", coordinator, body({ clientId: "api-meeting-00003", heldOn: "2026-11-27" }));
    expect(future.json().error.fields.heldOn).toBe("会议日期不能晚于今天");
    for (const bad of [{}, [], body({ tasks: [{ unit: east }] }), body({ attendees: "all" }), body({ title: 42 })]) {
      const res = await post("/api/v1/meetings", coordinator, bad);
      expect(res.statusCode, JSON.stringify(bad).slice(0, 60)).toBe(400);
    }
    const malformed = await api.app.inject({ method: "POST", url: "/api/v1/meetings", payload: "{", headers: { ...bearer(coordinator), "content-type": "application/json" } });
    expect(malformed.statusCode).toBe(400);
  });

  it("lets coordinators, admins and tax officers read; admins may not record; units may not read", async () => {
    for (const token of [coordinator, admin, officer]) {
      const list = await get("/api/v1/meetings", token);
      expect(list.statusCode).toBe(200);
      expect(list.json().meetings.map((m: { id: string }) => m.id)).toEqual([meetingId]);
      expect((await get(`/api/v1/meetings/${meetingId}`, token)).json().attendees).toHaveLength(2);
    }
    expect((await post("/api/v1/meetings", admin, body({ clientId: "api-meeting-admin1" }))).statusCode).toBe(403);
    expect((await get("/api/v1/meetings", eastClerk)).statusCode).toBe(403);
    expect((await get("/api/v1/meetings")).statusCode).toBe(401);
    expect((await get("/api/v1/meetings/nope", officer)).statusCode).toBe(404);
  });

  it("POST /meetings/:id/tasks adds a task (201) with its checks", async () => {
    const res = await post(`/api/v1/meetings/${meetingId}/tasks`, coordinator, { unit: west, title: "补充任务", dueOn: "2026-12-01", clientId: "api-task-000001" });
    expect(res.statusCode).toBe(201);
    const again = await post(`/api/v1/meetings/${meetingId}/tasks`, coordinator, { unit: west, title: "补充任务", dueOn: "2026-12-01", clientId: "api-task-000001" });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(res.json().id);
    expect(res.json()).toMatchObject({ unit: { code: west, name: "西村村委会" }, status: "open", meeting: { id: meetingId } });
    const early = await post(`/api/v1/meetings/${meetingId}/tasks`, coordinator, { unit: west, title: "x", dueOn: "2026-11-01" });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields.dueOn).toMatch(/不能早于会议日期/);
    expect((await post("/api/v1/meetings/nope/tasks", coordinator, { unit: west, title: "x", dueOn: "2026-12-01" })).statusCode).toBe(404);
    expect((await post(`/api/v1/meetings/${meetingId}/tasks`, westClerk, { unit: west, title: "x", dueOn: "2026-12-01" })).statusCode).toBe(403);
  });

  it("GET /tasks/mine shows each unit only its tasks; POST /tasks/:id/done completes once; another unit gets 404", async () => {
    const mine = await get("/api/v1/tasks/mine", eastClerk);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().tasks.map((x: { title: string; overdue: boolean }) => [x.title, x.overdue])).toEqual([["核查出租房屋", true]]);
    const westTasks = (await get("/api/v1/tasks/mine", westClerk)).json().tasks;
    expect(westTasks.map((x: { title: string }) => x.title)).toEqual(["补充任务", "报送名单"]);
    const id = mine.json().tasks[0].id;
    expect((await post(`/api/v1/tasks/${id}/done`, westClerk, { note: "不是我们的" })).statusCode).toBe(404);
    const empty = await post(`/api/v1/tasks/${id}/done`, eastClerk, { note: " " }, { "accept-language": "en" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields.note).toBe("Enter the note on what was done");
    const done = await post(`/api/v1/tasks/${id}/done`, eastClerk, { note: "已核查" });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: "done", overdue: false, doneNote: "已核查" });
    const again = await post(`/api/v1/tasks/${id}/done`, eastClerk, { note: "已核查" });
    expect(again.json()).toEqual(done.json());
    expect(await api.t.db.prisma.auditLog.count({ where: { action: "meeting.task.done" } })).toBe(1);
    expect((await get("/api/v1/tasks/mine")).statusCode).toBe(401);
  });
});
