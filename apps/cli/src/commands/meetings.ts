import { existsSync, readFileSync, statSync } from "node:fs";
import { t } from "@xieshui/core";
import { isAppError, listMeetings, recordMeeting, systemActor, type Deps, type MeetingView } from "@xieshui/core/server";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";

/** A meeting file is at most this big (a meeting with 200 tasks is a few tens of KB). */
const MAX_FILE_BYTES = 1024 * 1024;

function printMeeting(io: CliIo, m: MeetingView): void {
  io.out.write(`${m.heldOn}  ${m.title}  (${m.id})  任务 ${m.tasks.length}：未完成 ${m.taskCounts.open}（逾期 ${m.taskCounts.overdue}），已完成 ${m.taskCounts.done}\n`);
  for (const task of m.tasks) {
    const status = task.status === "done" ? t("zh-CN", "task-status-done") : task.overdue ? t("zh-CN", "task-overdue") : t("zh-CN", "task-status-open");
    io.out.write(`  - ${task.unit.name}：${task.title}，期限 ${task.dueOn}，${status}\n`);
  }
}

/**
 * `meetings list [--json]`: meetings, newest first, with their tasks (JSON `[MeetingView]`).
 * `meetings record --file <meeting.json> [--json]`: records a meeting from the same JSON body as
 * `POST /meetings` (clientId makes a rerun record nothing new) -> `{ created, meeting }`. Invalid
 * input exits 1 with `{ error: { code: "invalid_input", message, fields } }` (field paths such as
 * `tasks.0.unit`), in Chinese.
 */
export async function meetingsCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const sub = args.positionals[1];
  const json = args.flags.has("json");
  if (sub === "list") {
    const meetings = await listMeetings(deps, systemActor("cli"), { limit: 200 });
    if (json) printJson(io, meetings);
    else if (meetings.length === 0) io.out.write(`${t("zh-CN", "app-meetings-empty")}\n`);
    else for (const m of meetings) printMeeting(io, m);
    return 0;
  }
  if (sub === "record") {
    const file = opt(args, "file");
    if (!file) throw new UsageError("meetings record needs --file <meeting.json>");
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
    if (statSync(file).size > MAX_FILE_BYTES) throw new UsageError(`${file}: larger than 1 MB`);
    let input: unknown;
    try {
      input = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      throw new UsageError(`${file}: not JSON`);
    }
    try {
      const r = await recordMeeting(deps, systemActor("cli"), input, { locale: "zh-CN" });
      if (json) printJson(io, r);
      else {
        io.out.write(r.created ? "会议已记录 / meeting recorded\n" : "已记录过，未重复记录 / already recorded, nothing new\n");
        printMeeting(io, r.meeting);
      }
      return 0;
    } catch (e) {
      if (!isAppError(e) || e.code !== "invalid_input") throw e;
      const message = t("zh-CN", "error-invalid-input");
      if (json) printJson(io, { error: { code: e.code, message, fields: e.fields ?? {} } });
      io.err.write(`${message}\n${Object.entries(e.fields ?? {}).map(([k, v]) => `  ${k}: ${v}\n`).join("")}`);
      return 1;
    }
  }
  throw new UsageError("meetings list [--json] | meetings record --file <meeting.json> [--json]");
}
