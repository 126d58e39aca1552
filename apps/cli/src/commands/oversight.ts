import { FIGURES, t } from "@xieshui/core";
import { writeFileSync } from "node:fs";
import { addEvaluationAdjustment, annualEvaluation, evaluationWorkbook, isAppError, oversightUnits, quarterlyPack, setEvaluationWeights, systemActor, writePackFiles, type Deps, type OversightRow } from "@xieshui/core/server";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";
import { accountabilityCommand } from "./accountability.ts";

/** A bad or not-yet-started period is a wrong command line (exit 2), said in Chinese and English. */
async function asUsage<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (isAppError(e) && e.code === "invalid_input") {
      const field = Object.keys(e.fields ?? {})[0] ?? "period";
      const zh = e.messageKey ? t("zh-CN", e.messageKey, e.params) : (e.fields?.[field] ?? "");
      const en = e.messageKey ? t("en", e.messageKey, e.params) : "";
      throw new UsageError(`--${field}: ${zh}${en ? ` / ${en}` : ""}`);
    }
    throw e;
  }
}

function printRows(io: CliIo, rows: OversightRow[], indent = ""): void {
  for (const r of rows) {
    const f = r.total ?? r.figures;
    const cells = FIGURES.map((s) => `${t("zh-CN", s.labelKey)} ${f[s.key] ?? "—"}`).join("  ");
    io.out.write(`${indent}${r.unit.name} (${r.unit.code})  ${cells}\n`);
    if (r.members) printRows(io, r.members, `${indent}  `);
  }
}

/**
 * `oversight units --period <2026-11|2026Q4|2026> [--unit <code>] [--json]`: every unit's figures
 * (JSON: `{ period, rows: [{ unit, figures, total?, members? }], district, notes }`).
 * `oversight quarterly --quarter 2026Q4 --out <dir> [--json]`: writes the meeting pack's XLSX, HTML
 * and PDF into <dir>; JSON `{ "files": [xlsx, html, pdf] }` (DESIGN.md's contract). A quarter that
 * has not started, or a malformed one, exits 2.
 * `oversight evaluation --year 2026 [--out <file.xlsx>] [--json]`: the annual ranking (and its XLSX).
 * `oversight weights --year 2026 --set organisation=20,timeliness=20,... [--json]`: points per criterion (sum 100).
 * `oversight adjust --year 2026 --unit <code> --points <n> --reason "<why>" [--json]`: an audited adjustment.
 * `oversight accountability --quarter 2026Q4 [--out <file.xlsx>] [--json]`: the accountability list (accountability.ts).
 */
export async function oversightCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const sub = args.positionals[1];
  const json = args.flags.has("json");
  if (sub === "units") {
    const period = opt(args, "period");
    if (!period) throw new UsageError("oversight units needs --period <2026-11|2026Q4|2026>");
    const unit = opt(args, "unit");
    const result = await asUsage(oversightUnits(deps, systemActor("cli"), { period, ...(unit ? { unit } : {}) }));
    if (json) printJson(io, result);
    else {
      printRows(io, result.rows);
      for (const n of result.notes) io.err.write(`${n}\n`);
    }
    return 0;
  }
  if (sub === "quarterly") {
    const quarter = opt(args, "quarter");
    const out = opt(args, "out");
    if (!quarter) throw new UsageError("oversight quarterly needs --quarter <2026Q4>");
    if (!out) throw new UsageError("oversight quarterly needs --out <dir>");
    const pack = await asUsage(quarterlyPack(deps, systemActor("cli"), { quarter }));
    const files = await writePackFiles(pack, out);
    if (json) printJson(io, { files });
    else for (const f of files) io.out.write(`${f}\n`);
    return 0;
  }
  if (sub === "evaluation") {
    const year = Number(opt(args, "year"));
    if (!opt(args, "year")) throw new UsageError("oversight evaluation needs --year <2026>");
    const evaluation = await asUsage(annualEvaluation(deps, systemActor("cli"), { year }));
    const out = opt(args, "out");
    if (out) writeFileSync(out, await evaluationWorkbook(evaluation));
    if (json) printJson(io, out ? { ...evaluation, file: out } : evaluation);
    else for (const r of evaluation.rows) io.out.write(`${String(r.rank).padStart(3)}  ${String(r.total).padStart(5)} / ${r.max}  ${r.unit.name} (${r.unit.code})\n`);
    return 0;
  }
  if (sub === "weights") {
    const year = Number(opt(args, "year"));
    const set = opt(args, "set");
    if (!opt(args, "year") || !set) throw new UsageError("oversight weights needs --year <2026> --set organisation=20,timeliness=20,...");
    const weights: Record<string, number> = {};
    for (const part of set.split(",")) {
      const [k, v] = part.split("=");
      if (!k || v === undefined || !/^-?\d+(\.\d+)?$/.test(v.trim())) throw new UsageError(`--set: 无法识别 “${part}” / cannot read “${part}” (criterion=points)`);
      weights[k.trim()] = Number(v);
    }
    const saved = await asUsage(setEvaluationWeights(deps, systemActor("cli"), { year, weights }));
    if (json) printJson(io, { year, weights: saved });
    else io.out.write(`${year}: ${JSON.stringify(saved)}\n`);
    return 0;
  }
  if (sub === "adjust") {
    const points = Number(opt(args, "points"));
    const input = { year: Number(opt(args, "year")), unit: opt(args, "unit"), points, reason: opt(args, "reason") };
    const adjustment = await asUsage(addEvaluationAdjustment(deps, systemActor("cli"), input));
    if (json) printJson(io, adjustment);
    else io.out.write(`${adjustment.unit.name}: ${adjustment.points > 0 ? "+" : ""}${adjustment.points} (${adjustment.reason})\n`);
    return 0;
  }
  if (sub === "accountability") return accountabilityCommand(deps, args, io, asUsage);
  throw new UsageError("oversight needs a subcommand: units | quarterly | evaluation | weights | adjust | accountability");
}
