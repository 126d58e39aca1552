import { existsSync, statSync } from "node:fs";
import cliProgress from "cli-progress";
import { importClearances, type Deps, systemActor } from "@xieshui/core/server";
import { printJson, UsageError, type Args, type CliIo } from "../io.ts";

/**
 * `clearances import <file> [--dry-run] [--json]`: loads the tax bureau's CSV/XLSX export.
 * With --json exactly one document `{ imported, updated, rejected: [{ line, reason }], ... }`;
 * otherwise a summary for people, and a progress bar on stderr when it is a terminal.
 * Exit code 1 when the file broke off (truncated) so scripts notice.
 */
export async function clearancesCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const [, sub, file] = args.positionals;
  if (sub !== "import") throw new UsageError("clearances: only `import <file>` is supported");
  if (!file) throw new UsageError("clearances import needs a file");
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
  const json = args.flags.has("json");
  const dryRun = args.flags.has("dry-run");
  const tty = !json && (io.err as { isTTY?: boolean }).isTTY === true;
  const bar = tty ? new cliProgress.SingleBar({ stream: io.err, format: "导入 [{bar}] {percentage}% | {rows} 行", hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  bar?.start(statSync(file).size, 0, { rows: 0 });
  let summary;
  try {
    summary = await importClearances(deps, systemActor("cli"), file, {
      dryRun,
      ...(bar ? { onProgress: (p: { rows: number; bytes: number }) => bar.update(p.bytes, { rows: p.rows }) } : {}),
    });
  } finally {
    bar?.stop();
  }
  if (json) {
    printJson(io, summary);
  } else {
    io.out.write(`${dryRun ? "(dry run) " : ""}imported ${summary.imported}, updated ${summary.updated}, rejected ${summary.rejectedCount}\n`);
    for (const r of summary.rejected.slice(0, 50)) io.out.write(`  line ${r.line}: ${r.reason}\n`);
    if (summary.rejectedCount > 50) {
      io.out.write(`  ... ${summary.rejectedCount - 50} more (--json lists the first ${summary.rejected.length} with reasons)\n`);
    }
    if (summary.failedBatch) io.err.write(`${summary.failedBatch.reason}\n`);
  }
  return summary.complete ? 0 : 1;
}
