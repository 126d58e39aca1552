import type { Deps } from "../deps.ts";

/** The id of the demo district's 2026Q3 summary meeting (fixed, so seeding it again adds nothing). */
export const DEMO_MEETING_ID = "demo-meeting-2026q3";

/**
 * Adds the demo district's 2026Q3 summary meeting (held 2026-10-15) with four tasks for 幸福镇 and
 * its committees: one done, two open, one overdue from 2026-11-16 on. Every date is fixed, so the
 * demo reads the same whenever it is started; a database that has the meeting (or lacks the demo
 * units) is left as it is. Returns whether it was added. No messages are queued: it is history.
 */
export async function seedDemoMeeting(deps: Deps): Promise<boolean> {
  const { prisma } = deps.db;
  if (await prisma.meeting.findUnique({ where: { id: DEMO_MEETING_ID }, select: { id: true } })) return false;
  const codes = ["finance-bureau", "tax-bureau", "xingfu-town", "dongcun", "xicun", "heping"];
  const units = new Map((await prisma.unit.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } })).map((u) => [u.code, u.id]));
  if (units.size !== codes.length) return false;
  const at = (iso: string) => new Date(iso);
  const id = (code: string) => units.get(code)!;
  await prisma.$transaction(async (tx) => {
    await tx.meeting.create({
      data: {
        id: DEMO_MEETING_ID,
        heldOn: "2026-10-15",
        title: "2026年第三季度协税护税工作总结会",
        decisions: "一、各村（社区）按月报送出租房屋登记，做到应登尽登。\n二、第四季度开展车船税政策宣传。\n三、个体工商户名单于11月10日前报送区税务局。",
        createdById: null,
        createdAt: at("2026-10-15T07:00:00Z"),
        attendees: { create: codes.map((code) => ({ unitId: id(code), people: null })) },
      },
    });
    const task = (n: number, code: string, title: string, dueOn: string, done?: { at: string; note: string }) =>
      tx.meetingTask.create({
        data: {
          id: `${DEMO_MEETING_ID}-task-${n}`,
          meetingId: DEMO_MEETING_ID,
          unitId: id(code),
          title,
          dueOn,
          createdAt: at("2026-10-15T07:00:00Z"),
          ...(done ? { status: "done", doneAt: at(done.at), doneNote: done.note } : {}),
        },
      });
    await task(1, "xicun", "报送辖区个体工商户名单", "2026-11-10", { at: "2026-11-08T02:00:00Z", note: "已报送 36 户名单至区税务局" });
    await task(2, "dongcun", "核查辖区出租房屋登记情况", "2026-11-15");
    await task(3, "heping", "开展车船税政策宣传", "2026-12-31");
    await task(4, "xingfu-town", "汇总各村（社区）第四季度协税情况", "2026-12-25");
  });
  return true;
}
