import { writeFileSync } from "node:fs";
import { exportReports, missingFeeds, scheduleReminders, type Deps, systemActor } from "@xieshui/core/server";
import { duePeriod } from "@xieshui/core";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";

/**
 * `reports export --type <t> --period <YYYY-MM> --format csv|xlsx --out <file> [--masked] [--json]`: the
 * tax bureau's export, run by the local operator, with whole ID numbers and names (the operator holds
 * the database file anyway); `--masked` writes a file to pass on to coordinators or others.
 * With --json: `{ file, type, period, format, rows, bytes, masked }`.
 * `reports missing [--period <YYYY-MM>] [--json]`: feeds not filed (default: last month).
 * `reports remind [--json]`: queue due feed reminders now (idempotent; for cron when the bot is not running).
 */
export async function reportsCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const sub = args.positionals[1];
  const json = args.flags.has("json");
  if (sub === "export") {
    const out = opt(args, "out");
    if (!out) throw new UsageError("reports export needs --out <file>");
    const masked = args.flags.has("masked");
    const input = {
      type: opt(args, "type"),
      period: opt(args, "period"),
      format: opt(args, "format") ?? (out.endsWith(".xlsx") ? "xlsx" : "csv"),
      ...(masked ? { disclosure: "masked" as const } : {}),
    };
    const result = await exportReports(deps, systemActor("cli"), input);
    writeFileSync(out, result.body);
    const summary = { file: out, type: input.type, period: input.period, format: input.format, rows: result.count, bytes: result.body.length, masked };
    if (json) printJson(io, summary);
    else io.out.write(`wrote ${result.count} rows to ${out}\n`);
    return 0;
  }
  if (sub === "missing") {
    const period = opt(args, "period") ?? duePeriod(deps.clock.now());
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new UsageError("--period must be YYYY-MM");
    const missing = await missingFeeds(deps, systemActor("cli"), period);
    if (json) printJson(io, missing);
    else for (const m of missing) io.out.write(`${m.period} ${m.type.padEnd(30)} ${m.unit.code.padEnd(24)} due ${m.dueDate}${m.overdue ? " OVERDUE" : ""}\n`);
    return 0;
  }
  if (sub === "remind") {
    const queued = await scheduleReminders(deps);
    if (json) printJson(io, { queued });
    else io.out.write(`queued ${queued} reminders\n`);
    return 0;
  }
  throw new UsageError("reports needs a subcommand: export | missing | remind");
}
