import { isAppError, type Deps } from "@xieshui/core/server";
import { t } from "@xieshui/core";
import { parseArgs, UsageError, type Args, type CliIo, type OptionSpec } from "./io.ts";
import { unitsCommand } from "./commands/units.ts";
import { inviteCommand, invitesCommand } from "./commands/invite.ts";
import { backupCommand } from "./commands/backup.ts";
import { restoreCommand } from "./commands/restore.ts";
import { clearancesCommand } from "./commands/clearances.ts";
import { reportsCommand } from "./commands/reports.ts";
import { knowledgeCommand } from "./commands/knowledge.ts";
import { quizCommand } from "./commands/quiz.ts";
import { tipsCommand } from "./commands/tips.ts";
import type { CliEnv } from "./env.ts";
import { oversightCommand } from "./commands/oversight.ts";
import { meetingsCommand } from "./commands/meetings.ts";
import { entrustedCommand } from "./commands/entrusted.ts";
import { targetsCommand } from "./commands/targets.ts";

type Command = (deps: Deps, args: Args, io: CliIo, env?: Partial<CliEnv>) => Promise<number>;

/**
 * Every CLI command, by its first word, with the options it accepts (`--json` and `--help` always).
 * Commands of later features register here; an option not listed is refused with exit code 2.
 */
export const COMMANDS: Record<string, { run: Command; usage: string; options?: OptionSpec }> = {
  units: {
    run: unitsCommand,
    usage: "units list [--json] | units add --name <name> --type <type> [--parent <town code>] [--code <code>] [--json]",
    options: { name: { type: "string" }, type: { type: "string" }, parent: { type: "string" }, code: { type: "string" } },
  },
  invite: {
    run: inviteCommand,
    usage: "invite --unit <code> --role <role> [--role <role> ...] [--name <name>] [--days <n>] [--json]",
    options: { unit: { type: "string" }, role: { type: "string", multiple: true }, name: { type: "string" }, days: { type: "string" } },
  },
  invites: {
    run: invitesCommand,
    usage: "invites list [--unit <code>] [--status active|used|expired|revoked] [--json] | invites revoke <id> | invites reissue <id> [--json]",
    options: { unit: { type: "string" }, status: { type: "string" } },
  },
  backup: { run: backupCommand, usage: "backup <file> [--force]", options: { force: { type: "boolean" } } },
  restore: { run: restoreCommand, usage: "restore --from <SQLite backup file> [--json]   (into the empty PostgreSQL at DATABASE_URL)", options: { from: { type: "string" } } },
  clearances: { run: clearancesCommand, usage: "clearances import <file> [--dry-run] [--json]", options: { "dry-run": { type: "boolean" } } },
  knowledge: {
    run: knowledgeCommand,
    usage: 'knowledge import <dir> [--json] | knowledge search "<query>" [--audience <a>] [--limit <n>] [--json] | knowledge reindex [--json]',
    options: { audience: { type: "string" }, limit: { type: "string" } },
  },
  quiz: {
    run: quizCommand,
    usage: "quiz import <file> [--dry-run] [--json] | quiz build <definition.json> [--push] [--json] | quiz push <quiz> [--json] | quiz results <quiz> [--json] | quiz export <quiz> --format csv|xlsx --out <file> [--json]",
    options: { "dry-run": { type: "boolean" }, push: { type: "boolean" }, format: { type: "string" }, out: { type: "string" } },
  },
  reports: {
    run: reportsCommand,
    usage: "reports export --type <type> --period <YYYY-MM> --format csv|xlsx --out <file> [--masked] [--json] | reports missing [--period <YYYY-MM>] [--json] | reports remind [--json]",
    options: { type: { type: "string" }, period: { type: "string" }, format: { type: "string" }, out: { type: "string" }, masked: { type: "boolean" } },
  },
  tips: { run: tipsCommand, usage: "tips rotate-key [--json] | tips purge [--json]" },
  targets: {
    run: targetsCommand,
    usage: "targets import <file> --kind targets|actuals [--dry-run] [--json] | targets progress --year <2026> [--as-of <2026-11>] [--json]",
    options: { kind: { type: "string" }, "dry-run": { type: "boolean" }, year: { type: "string" }, "as-of": { type: "string" } },
  },
  oversight: {
    run: oversightCommand,
    usage:
      'oversight units --period <2026-11|2026Q4|2026> [--unit <code>] [--json] | oversight quarterly --quarter <2026Q4> --out <dir> [--json] | oversight evaluation --year <2026> [--out <file.xlsx>] [--json] | oversight weights --year <2026> --set organisation=20,timeliness=20,completeness=20,accuracy=20,training=10,cooperation=10 [--json] | oversight adjust --year <2026> --unit <code> --points <n> --reason "<why>" [--json] | oversight accountability --quarter <2026Q4> [--out <file.xlsx>] [--json]',
    options: { period: { type: "string" }, unit: { type: "string" }, quarter: { type: "string" }, out: { type: "string" }, year: { type: "string" }, set: { type: "string" }, points: { type: "string" }, reason: { type: "string" } },
  },
  meetings: { run: meetingsCommand, usage: "meetings list [--json] | meetings record --file <meeting.json> [--json]", options: { file: { type: "string" } } },
  entrusted: {
    run: entrustedCommand,
    usage:
      'entrusted list [--json] | entrusted register --unit <code> --agreement <no> --scope <text> --from <date> --to <date> [--json] | entrusted agent add --unit <code> --name <name> --certificate <no> [--phone <p>] [--json] | entrusted agent deactivate <id> [--json] | entrusted inspect --unit <code> --date <date> --findings "<text>" [--follow-up "<text>" --by <date>] [--json] | entrusted done <inspection id> --note "<text>" [--json]',
    options: {
      unit: { type: "string" },
      agreement: { type: "string" },
      scope: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      name: { type: "string" },
      certificate: { type: "string" },
      phone: { type: "string" },
      date: { type: "string" },
      findings: { type: "string" },
      "follow-up": { type: "string" },
      by: { type: "string" },
      note: { type: "string" },
    },
  },
};

function usage(): string {
  return `usage: npm run -s cli -- <command>\n${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join("\n")}\n`;
}

/**
 * Runs one CLI invocation against open deps. Returns the exit code: 0 ok, 1 the operation failed,
 * 2 wrong usage. With --json, errors are a JSON document `{ error: { code, message } }` on stdout.
 */
export async function runCli(deps: Deps, argv: string[], io: CliIo, env?: Partial<CliEnv>): Promise<number> {
  const name = argv.find((a) => !a.startsWith("-"));
  const command = name ? COMMANDS[name] : undefined;
  const json = argv.includes("--json");
  let args: Args;
  try {
    args = parseArgs(argv, command?.options);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (json) io.out.write(`${JSON.stringify({ error: { code: "usage", message: e.message } })}\n`);
    io.err.write(`${e.message}\n${command ? `usage: ${command.usage}\n` : usage()}`);
    return 2;
  }
  if (!command || args.positionals[0] !== name || args.flags.has("help")) {
    if (!command && json) io.out.write(`${JSON.stringify({ error: { code: "usage", message: `unknown command: ${name ?? ""}` } })}\n`);
    io.err.write(usage());
    return command ? 0 : 2;
  }
  try {
    return await command.run(deps, args, io, env);
  } catch (e) {
    if (e instanceof UsageError) {
      if (args.flags.has("json")) io.out.write(`${JSON.stringify({ error: { code: "usage", message: e.message } })}\n`);
      io.err.write(`${e.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    if (isAppError(e)) {
      const message = e.messageKey ? t("zh-CN", e.messageKey, e.params) : e.code;
      if (args.flags.has("json")) io.out.write(`${JSON.stringify({ error: { code: e.code, reason: e.reason, message } })}\n`);
      io.err.write(`${message}${e.reason ? ` (${e.reason})` : ""}\n`);
      return 1;
    }
    throw e;
  }
}
