import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { seedDemo } from "../seed.ts";
import { DEMO_MEETING_ID } from "./demo.ts";
import { getMeeting, myTasks } from "./meetings.ts";
import { systemActor } from "../identity/actor.ts";

const clock = createFixedClock("2026-12-02T02:00:00Z");
let t: TestDb;
beforeAll(async () => {
  t = createTestDb({ clock });
});
afterAll(async () => {
  await t.close();
});

describe("demo meeting", () => {
  it("seeds the 2026Q3 summary meeting once, with one done, two open and one overdue task in December", async () => {
    await seedDemo(t.deps);
    await seedDemo(t.deps);
    expect(await t.db.prisma.meeting.count()).toBe(1);
    const m = await getMeeting(t.deps, systemActor("test"), DEMO_MEETING_ID);
    expect(m).toMatchObject({ heldOn: "2026-10-15", title: "2026年第三季度协税护税工作总结会", taskCounts: { open: 3, overdue: 1, done: 1 } });
    expect(m.attendees).toHaveLength(6);
    const reporter = (await makeUser(t.deps, { roles: ["reporter"], unit: "dongcun" })).actor;
    expect((await myTasks(t.deps, reporter)).map((x) => [x.title, x.overdue])).toEqual([["核查辖区出租房屋登记情况", true]]);
  });
});
