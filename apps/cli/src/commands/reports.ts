import { writeFileSync } from "node:fs";
import { exportReports, type Deps } from "@xieshui/core/server";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";

/**
 * `reports export --type <t> --period <YYYY-MM> --format csv|xlsx --out <file> [--json]`: the tax
 * bureau's export, run by the local operator. With --json: `{ file, type, period, format, rows, bytes }`.
 */
export async function reportsCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const sub = args.positionals[1];
  if (sub !== "export") throw new UsageError("reports needs a subcommand: export");
  const out = opt(args, "out");
  if (!out) throw new UsageError("reports export needs --out <file>");
  const input = { type: opt(args, "type"), period: opt(args, "period"), format: opt(args, "format") ?? (out.endsWith(".xlsx") ? "xlsx" : "csv") };
  const result = await exportReports(deps, null, input);
  writeFileSync(out, result.body);
  const summary = { file: out, type: input.type, period: input.period, format: input.format, rows: result.count, bytes: result.body.length };
  if (args.flags.has("json")) printJson(io, summary);
  else io.out.write(`wrote ${result.count} rows to ${out}\n`);
  return 0;
}
