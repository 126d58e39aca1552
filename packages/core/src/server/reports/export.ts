import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { t } from "../../domain/i18n.ts";
import { formatCst } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { PeriodSchema } from "../../domain/reports/feeds.ts";
import { getReportType, reportFields } from "../../domain/reports/registry.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import { writeAudit } from "../audit.ts";
import { isSystemActor, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { disclosedData, localeOf, type ReportOptions } from "./common.ts";
import type { Disclosure } from "../../domain/reports/masking.ts";
import { reportWhere } from "./inbox.ts";

/** What `exportReports` needs: one type, one period (YYYY-MM), csv or xlsx. */
export const ExportReportsSchema = z.strictObject({
  type: z.string().min(1).max(60),
  period: PeriodSchema,
  format: z.enum(["csv", "xlsx"]),
  /** `masked` asks for masked ID numbers and names even when the caller may see them whole */
  disclosure: z.enum(["full", "masked"]).optional(),
});

/** An export ready to send or write: the bytes, a file name and the MIME type. */
export interface ReportExport {
  fileName: string;
  contentType: string;
  body: Buffer;
  /** data rows written (facts, or feed rows + nil filings) */
  count: number;
}

/** Cells starting with = + - @ are formulas to Excel: prefix them so an export cannot run anything. */
function safeCell(v: unknown): string | number {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return v;
  const s = Array.isArray(v) ? v.join(",") : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/**
 * What an export discloses: whole values for the tax officer (the bureau acts on them) and for the
 * local operator (the CLI runs next to the database file; `--masked` asks for a shareable file);
 * masked ID numbers and names for coordinators and admins, whose oversight needs counts, not people.
 */
export function exportDisclosure(actor: Principal, requested?: Disclosure): Disclosure {
  if (requested === "masked") return "masked";
  if (isSystemActor(actor)) return "full";
  return actor.roles.includes("tax_officer") ? "full" : "masked";
}

/**
 * Exports the reports of one type and period for the tax bureau, with Chinese column headers.
 * Single facts: one row per report filed in that CST month. Feeds: one row per data row of every
 * unit's latest filing for that period (a later upload corrects an earlier one), plus a row per 本期无 filing. CSV is UTF-8 with a BOM so Excel opens it.
 * Tax officers, coordinators and admins; or the local operator (CLI). ID numbers and names are
 * whole or masked as `exportDisclosure` decides; the audit row records which.
 */
export async function exportReports(deps: Deps, actor: Principal, input: unknown, opts?: ReportOptions): Promise<ReportExport> {
  requireRole(actor, "tax_officer", "coordinator", "admin");
  const locale = localeOf(opts);
  const parsed = parseInput(ExportReportsSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const { type: code, period, format } = parsed.data;
  const disclosure = exportDisclosure(actor, parsed.data.disclosure);
  const type = getReportType(code);
  if (!type) throw new AppError("invalid_input", { reason: "unknown_type", fields: { type: t(locale, "report-type-unknown") } });

  let reports = await deps.db.prisma.report.findMany({
    where: await reportWhere(deps, { type: code, period }),
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  if (type.kind === "feed") {
    // A later filing for the same unit and period is a correction: export only the latest one that was not returned.
    const latest = new Map<string, (typeof reports)[number]>();
    for (const r of reports) if (r.status !== "returned") latest.set(r.unitId, r);
    reports = [...latest.values()];
  }
  const [units, users] = await Promise.all([
    deps.db.prisma.unit.findMany({ where: { id: { in: [...new Set(reports.map((r) => r.unitId))] } } }),
    deps.db.prisma.user.findMany({ where: { id: { in: [...new Set(reports.map((r) => r.userId))] } }, select: { id: true, name: true } }),
  ]);
  const unitById = new Map(units.map((u) => [u.id, u]));
  const userById = new Map(users.map((u) => [u.id, u.name]));
  const fields = reportFields(type);
  const meta = ["报告编号", "单位代码", "单位名称", "报送人", "报送时间", "状态", "时效"];
  const headers = [...meta, ...(type.kind === "feed" ? ["期间", "行号", "标记"] : ["疑似重复"]), ...fields.map((f) => t("zh-CN", f.labelKey)), "审核意见"];
  const rows: (string | number)[][] = [];
  for (const r of reports) {
    const unit = unitById.get(r.unitId);
    const head = [r.id, unit?.code ?? "", unit?.name ?? "", userById.get(r.userId) ?? "", formatCst(r.createdAt), t("zh-CN", `report-status-${r.status}` as never), t("zh-CN", `report-timeliness-${r.timeliness}` as never)];
    if (type.kind === "event") {
      const data = disclosedData(type, JSON.parse(r.data) as Record<string, unknown>, "", disclosure).data;
      rows.push([...head, r.duplicateOfId ?? "", ...fields.map((f) => safeCell(f.options ? (f.options.find((o) => o.value === data[f.name]) ? t("zh-CN", f.options.find((o) => o.value === data[f.name])!.labelKey) : data[f.name]) : data[f.name])), r.reviewComment ?? ""].map(safeCell));
    } else if (r.nil) {
      rows.push([...head, r.period ?? "", "", t("zh-CN", "report-nil"), ...fields.map(() => ""), r.reviewComment ?? ""].map(safeCell));
    } else {
      const feedRows = await deps.db.prisma.feedRow.findMany({ where: { reportId: r.id }, orderBy: { line: "asc" } });
      for (const fr of feedRows) {
        const data = disclosedData(type, JSON.parse(fr.data) as Record<string, unknown>, "", disclosure).data;
        rows.push([...head, r.period ?? "", fr.line, fr.flag ? t("zh-CN", fr.flag as never) : "", ...fields.map((f) => safeCell(data[f.name])), r.reviewComment ?? ""].map(safeCell));
      }
    }
  }

  let body: Buffer;
  if (format === "csv") {
    body = Buffer.from(stringify([headers, ...rows], { bom: true, record_delimiter: "windows" }), "utf8");
  } else {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet(period);
    sheet.addRow(headers).font = { bold: true };
    for (const row of rows) sheet.addRow(row);
    sheet.views = [{ state: "frozen", ySplit: 1 }];
    body = Buffer.from(await wb.xlsx.writeBuffer());
  }
  await writeAudit(deps.db.prisma, deps.clock, {
    actor,
    action: "report.export",
    subject: `${code}:${period}`,
    result: "ok",
    detail: { format, rows: rows.length, disclosure },
  });
  return {
    fileName: `${code}-${period}.${format}`,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    body,
    count: rows.length,
  };
}
