import { existsSync, statSync } from "node:fs";
import { formatWanYuan, LOCAL_TAXES, localTaxLabelKey, t, TAX_FIGURE_KINDS, type TaxFigureKind } from "@xieshui/core";
import { importTaxFigures, isAppError, systemActor, targetProgress, type Deps, type TargetProgressLine } from "@xieshui/core/server";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);
const status = (l: TargetProgressLine) => t("zh-CN", `targets-status-${l.status}`);
const figures = (l: TargetProgressLine) => `${formatWanYuan(l.actualFen)}${l.targetFen === null ? "" : ` / ${formatWanYuan(l.targetFen)}`} 万元  ${pct(l.share)}  ${status(l)}`;

/**
 * `targets import <file> --kind targets|actuals [--dry-run] [--json]`: a CSV/XLSX of yearly targets
 * or monthly actuals from the tax bureau; JSON `{ kind, imported, updated, rejected: [{ line, reason }], ... }`.
 * `targets progress --year 2026 [--as-of 2026-11] [--json]`: each town's progress per tax and the
 * district's total. A bad --kind, --year or --as-of is a wrong command line (exit 2).
 */
export async function targetsCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const sub = args.positionals[1];
  const json = args.flags.has("json");
  if (sub === "import") {
    const file = args.positionals[2];
    if (!file) throw new UsageError("targets import needs a file");
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
    const kind = opt(args, "kind");
    if (!kind || !(TAX_FIGURE_KINDS as readonly string[]).includes(kind)) throw new UsageError("targets import needs --kind targets|actuals");
    const dryRun = args.flags.has("dry-run");
    const summary = await importTaxFigures(deps, systemActor("cli"), file, { kind: kind as TaxFigureKind, dryRun });
    if (json) printJson(io, summary);
    else {
      const params = { imported: summary.imported, updated: summary.updated, rejected: summary.rejectedCount };
      io.out.write(`${t("zh-CN", dryRun ? "targets-import-dry-done" : "targets-import-done", params)}\n`);
      for (const r of summary.rejected) io.out.write(`  ${t("zh-CN", "targets-import-rejected-line", { line: r.line, reason: r.reason })}\n`);
    }
    return 0;
  }
  if (sub === "progress") {
    const year = opt(args, "year");
    if (!year) throw new UsageError("targets progress needs --year <2026>");
    const asOf = opt(args, "as-of");
    let progress;
    try {
      progress = await targetProgress(deps, systemActor("cli"), { year, ...(asOf ? { asOf } : {}) });
    } catch (e) {
      if (isAppError(e) && e.code === "invalid_input") {
        const [field, message] = Object.entries(e.fields ?? {})[0] ?? ["year", ""];
        throw new UsageError(`--${field === "asOf" ? "as-of" : field}: ${message}`);
      }
      throw e;
    }
    if (json) {
      printJson(io, progress);
      return 0;
    }
    io.out.write(`${progress.year} ${progress.through ? t("zh-CN", "targets-through", { month: progress.through, share: pct(progress.yearShare) }) : t("zh-CN", "targets-no-data-yet")}\n`);
    if (progress.noTargets) io.out.write(`${t("zh-CN", "targets-none")}\n`);
    LOCAL_TAXES.forEach((tax, i) => {
      io.out.write(`${t("zh-CN", localTaxLabelKey(tax))}  ${t("zh-CN", "targets-district")}  ${figures(progress.district[i]!)}\n`);
      for (const town of progress.towns) io.out.write(`  ${town.unit.name} (${town.unit.code})  ${figures(town.taxes[i]!)}\n`);
    });
    return 0;
  }
  throw new UsageError("targets: `import <file> --kind targets|actuals` or `progress --year <2026>`");
}
