import { existsSync, statSync } from "node:fs";
import { importQuizFile, type Deps, systemActor } from "@xieshui/core/server";
import { printJson, UsageError, type Args, type CliIo } from "../io.ts";

/**
 * `quiz import <file> [--dry-run] [--json]` -> { imported, updated, unchanged, rejected: [{ line, reason }], dryRun }
 * (header = line 1; idempotent by question id).
 */
export async function quizCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const [, sub, ...rest] = args.positionals;
  const json = args.flags.has("json");
  if (sub === "import") {
    const file = rest[0];
    if (!file) throw new UsageError("quiz import needs a file");
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
    const dryRun = args.flags.has("dry-run");
    const summary = await importQuizFile(deps, systemActor("cli"), file, { dryRun });
    if (json) printJson(io, summary);
    else {
      io.out.write(`${dryRun ? "(dry run) " : ""}imported ${summary.imported}, updated ${summary.updated} (${summary.unchanged} unchanged), rejected ${summary.rejected.length}\n`);
      for (const r of summary.rejected) io.out.write(`  line ${r.line}: ${r.reason}\n`);
    }
    return 0;
  }
  throw new UsageError("quiz: import <file> [--dry-run]");
}
