import { existsSync } from "node:fs";
import type { Deps } from "@xieshui/core/server";
import { printJson, UsageError, type Args, type CliIo } from "../io.ts";

/** `backup <file>`: an online, consistent copy of the SQLite database (safe while the API runs). */
export async function backupCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const file = args.positionals[1];
  if (!file) throw new UsageError("backup needs a target file");
  if (deps.db.dialect === "postgresql") {
    // PostgreSQL has its own consistent online backup; a second, weaker one here would mislead.
    throw new UsageError("backup copies a SQLite database; on PostgreSQL use pg_dump (pg_dump -Fc -f xieshui.dump \"$DATABASE_URL\")");
  }
  if (existsSync(file) && !args.flags.has("force")) throw new UsageError(`${file} exists; add --force to overwrite`);
  const started = Date.now();
  await deps.db.sqlite.backup(file);
  const result = { file, ms: Date.now() - started };
  if (args.flags.has("json")) printJson(io, result);
  else io.out.write(`backed up to ${file} in ${result.ms} ms\n`);
  return 0;
}
