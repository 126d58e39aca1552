import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createQuiz, exportQuizResults, importQuizFile, pushQuiz, quizResults, type Deps, systemActor } from "@xieshui/core/server";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";

/**
 * `quiz import <file> [--dry-run] [--json]` -> { imported, updated, unchanged, rejected: [{ line, reason }], dryRun }
 * (header = line 1; idempotent by question id);
 * `quiz build <definition.json> [--push] [--json]` builds a draft (and pushes it) -> { id, items, audience, push? };
 * `quiz push <quiz> [--json]`; `quiz results <quiz> [--json]` -> { users, units, questions };
 * `quiz export <quiz> --format csv|xlsx --out <file> [--json]` -> { file }.
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
  if (sub === "build") {
    const file = rest[0];
    if (!file || !existsSync(file)) throw new UsageError("quiz build needs a definition file (JSON: title, selection, count, passMark, opensAt, closesAt, targets)");
    let input: unknown;
    try {
      input = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      throw new UsageError(`${file}: not JSON`);
    }
    const quiz = await createQuiz(deps, systemActor("cli"), input);
    const push = args.flags.has("push") ? await pushQuiz(deps, systemActor("cli"), quiz.id) : undefined;
    if (json) printJson(io, { id: quiz.id, title: quiz.title, items: quiz.items.map((i) => i.questionId), audience: quiz.audience, ...(push ? { push } : {}) });
    else io.out.write(`quiz ${quiz.id}: ${quiz.items.length} questions, ${quiz.audience.users} users${quiz.audience.problem ? ` (${quiz.audience.problem})` : ""}${push ? `; pushed to ${push.assigned}` : ""}\n`);
    return 0;
  }
  if (sub === "push") {
    if (!rest[0]) throw new UsageError("quiz push needs a quiz id");
    const push = await pushQuiz(deps, systemActor("cli"), rest[0]);
    if (json) printJson(io, push);
    else io.out.write(`assigned ${push.assigned}, Telegram ${push.botQueued}${push.alreadyPushed ? " (already pushed)" : ""}\n`);
    return 0;
  }
  if (sub === "results") {
    if (!rest[0]) throw new UsageError("quiz results needs a quiz id");
    const r = await quizResults(deps, systemActor("cli"), rest[0]);
    if (json) printJson(io, r);
    else for (const u of r.units) io.out.write(`${u.unitName}: invited ${u.invited}, started ${u.started}, finished ${u.finished}, passed ${u.passed}, average ${u.averageScore ?? "-"}\n`);
    return 0;
  }
  if (sub === "export") {
    const out = opt(args, "out");
    if (!rest[0] || !out) throw new UsageError("quiz export <quiz> --format csv|xlsx --out <file>");
    const file = await exportQuizResults(deps, systemActor("cli"), rest[0], { format: opt(args, "format") });
    writeFileSync(out, file.body);
    if (json) printJson(io, { file: out });
    else io.out.write(`${out}\n`);
    return 0;
  }
  throw new UsageError("quiz: import <file> [--dry-run] | build <definition.json> [--push] | push <quiz> | results <quiz> | export <quiz> --format csv|xlsx --out <file>");
}
