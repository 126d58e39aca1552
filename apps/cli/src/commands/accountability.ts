import { t } from "@xieshui/core";
import { writeFileSync } from "node:fs";
import { accountabilityList, accountabilityWorkbook, systemActor, type Deps } from "@xieshui/core/server";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";

/**
 * `oversight accountability --quarter 2026Q4 [--out <file.xlsx>] [--json]`: the quarter's
 * accountability list (责任追究), most days late first; JSON `{ quarter, from, to, asOf, empty, items,
 * rule }` plus `file` with --out. `asUsage` turns a bad or unstarted quarter into exit 2.
 */
export async function accountabilityCommand(deps: Deps, args: Args, io: CliIo, asUsage: <T>(work: Promise<T>) => Promise<T>): Promise<number> {
  const quarter = opt(args, "quarter");
  if (!quarter) throw new UsageError("oversight accountability needs --quarter <2026Q4>");
  const list = await asUsage(accountabilityList(deps, systemActor("cli"), { quarter }));
  const out = opt(args, "out");
  if (out) writeFileSync(out, await accountabilityWorkbook(list));
  const { locale: _locale, ...doc } = list;
  if (args.flags.has("json")) {
    printJson(io, out ? { ...doc, file: out } : doc);
    return 0;
  }
  const L = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) => t("zh-CN", key, params);
  if (list.empty) io.out.write(`${L("accountability-empty", { quarter: list.quarter })}\n`);
  for (const i of list.items) {
    const state = i.done ? L("accountability-done", { on: i.doneOn! }) : L("accountability-open");
    const reminders = i.reminders.map((r) => r.text).join("；") || L("accountability-no-reminders");
    io.out.write(`${L("accountability-days", { days: i.daysLate }).padStart(9)}  ${i.unit.name} (${i.unit.code})  ${i.duty.text}  ${L("accountability-due")} ${i.dueOn}  ${state}  ${reminders}\n`);
  }
  if (out) io.err.write(`${out}\n`);
  return 0;
}
