import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import {
  ActualRowSchema,
  matchTaxFigureHeader,
  targetRowSchema,
  taxFigureColumnKey,
  TAX_FIGURE_COLUMNS,
  TAX_FIGURE_KINDS,
  type LocalTax,
  type TaxFigureColumn,
  type TaxFigureKind,
} from "../../domain/targets/index.ts";
import { DEFAULT_LOCALE, t, type Locale, type MessageKey, type MessageParams } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError, isAppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import { auditWho, requireRole, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { capBytes, openFeedFile } from "../reports/feed-file.ts";

/** Largest targets/actuals file (a district of 50 towns, 4 taxes and 12 months is some 100 KB). */
export const TAX_FIGURE_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** Data rows per file; more is refused while reading, before anything is written. */
export const TAX_FIGURE_IMPORT_MAX_ROWS = 20_000;
/** Rejected rows listed with line and reason (the first ones); the rest are counted. */
export const TAX_FIGURE_REJECTS_LISTED = 1000;

/** A file to import: a path, or a stream with the name it was uploaded under. */
export type TaxFigureImportSource = string | { stream: Readable | AsyncIterable<Buffer>; fileName: string };

/** What an import needs besides the file. */
export interface ImportTaxFiguresOptions {
  kind: TaxFigureKind;
  /** Validate and count only: no figure is written (the run is still logged in TaxFigureImport). */
  dryRun?: boolean;
  /** Language of the rejection reasons (default zh-CN). */
  locale?: Locale;
  /** Byte cap while reading (default TAX_FIGURE_IMPORT_MAX_BYTES); the API passes its own. */
  maxBytes?: number;
  /** Row cap while reading (default TAX_FIGURE_IMPORT_MAX_ROWS). */
  maxRows?: number;
}

/** A row that was not imported: its line (header = line 1) and why, in words. */
export interface TaxFigureRejectedRow {
  line: number;
  reason: string;
}

/**
 * The answer, shaped like the clearance import's contract: `{ imported, updated, rejected: [{ line, reason }] }`
 * plus the kind, whether it was a dry run, how many rows were rejected in all and the import's log id.
 */
export interface TaxFigureImportSummary {
  kind: TaxFigureKind;
  imported: number;
  updated: number;
  rejected: TaxFigureRejectedRow[];
  rejectedCount: number;
  dryRun: boolean;
  importId: string;
}

interface ValidRow {
  line: number;
  /** year (targets) or YYYY-MM (actuals) */
  period: number | string;
  unitId: string;
  tax: LocalTax;
  amountFen: bigint;
}

/** Towns by unit code and by exact name (a name two towns share is ambiguous). */
async function townIndex(deps: Deps): Promise<{ byCode: Map<string, string>; byName: Map<string, string[]> }> {
  const towns = await deps.db.prisma.unit.findMany({ where: { type: "town" }, select: { id: true, code: true, name: true } });
  const byCode = new Map<string, string>();
  const byName = new Map<string, string[]>();
  for (const u of towns) {
    byCode.set(u.code, u.id);
    byName.set(u.name, [...(byName.get(u.name) ?? []), u.id]);
  }
  return { byCode, byName };
}

const cellText = (v: unknown): string => (v === undefined || v === null ? "" : typeof v === "string" ? v : String(v));

/**
 * Imports a targets or actuals file from the tax bureau (CSV in UTF-8 with or without BOM or
 * GB18030, or XLSX, told apart by content) from a path or a stream. What must stay true:
 * - the same conventions as the clearance import: header = line 1 (Chinese or English names, every
 *   column once, no unknown column, else the whole file is refused before anything is written);
 *   each bad row is rejected with its line and a reason in words (unknown town — only units of type
 *   town, by code or exact name —, unknown tax, bad amount, bad year or month, a key already seen
 *   in this file), the other rows go in;
 * - read as a stream with the caps applied while reading (bytes, rows; the feed reader's column,
 *   cell and XLSX caps), so an oversized file is refused the moment it crosses one;
 * - all valid rows are upserted in ONE transaction with the TaxFigureImport row and the audit entry:
 *   nothing half-written; a re-import of the same file only updates (idempotent);
 * - a dry run writes no figure and no audit entry, only its TaxFigureImport log row (dryRun = true).
 * Roles: tax officers (the data comes from the tax bureau), coordinators, admins; the CLI operator.
 */
export async function importTaxFigures(deps: Deps, actor: Principal | null, source: TaxFigureImportSource, opts: ImportTaxFiguresOptions): Promise<TaxFigureImportSummary> {
  requireRole(actor, "tax_officer", "coordinator", "admin");
  const locale = opts.locale ?? DEFAULT_LOCALE;
  if (!(TAX_FIGURE_KINDS as readonly string[]).includes(opts.kind)) {
    throw new AppError("invalid_input", { messageKey: "targets-kind-invalid", fields: { kind: t(locale, "targets-kind-invalid") }, reason: "kind_invalid" });
  }
  const kind = opts.kind;
  const dryRun = opts.dryRun ?? false;
  const maxBytes = opts.maxBytes ?? TAX_FIGURE_IMPORT_MAX_BYTES;
  const maxRows = opts.maxRows ?? TAX_FIGURE_IMPORT_MAX_ROWS;
  const fileName = (typeof source === "string" ? basename(source) : source.fileName).slice(0, 200);
  const raw: AsyncIterable<Buffer> = typeof source === "string" ? createReadStream(source) : (source.stream as AsyncIterable<Buffer>);
  const L = (key: MessageKey, params?: MessageParams) => t(locale, key, params);
  const tooLarge = () => new AppError("payload_too_large", { messageKey: "targets-import-too-large", params: { mb: Math.floor(maxBytes / 1024 / 1024) }, reason: "import_too_large" });

  const towns = await townIndex(deps);
  const rejected: TaxFigureRejectedRow[] = [];
  let rejectedCount = 0;
  const reject = (line: number, reason: string) => {
    rejectedCount++;
    if (rejected.length < TAX_FIGURE_REJECTS_LISTED) rejected.push({ line, reason });
  };
  const cell = (column: TaxFigureColumn, reason: string) => L("targets-cell", { column: L(taxFigureColumnKey(column)), reason });
  const valid: ValidRow[] = [];
  const seen = new Map<string, number>();
  const columns = TAX_FIGURE_COLUMNS[kind];

  try {
    const file = await openFeedFile(capBytes(raw, maxBytes, tooLarge));
    let header: Extract<ReturnType<typeof matchTaxFigureHeader>, { ok: true }> | null = null;
    let schema: ReturnType<typeof targetRowSchema> | typeof ActualRowSchema | null = null;
    let rows = 0;
    for await (const record of file.records) {
      const cells = record.cells.map(cellText);
      if (!header) {
        const match = matchTaxFigureHeader(kind, cells);
        if (!match.ok) throw new AppError("invalid_input", { messageKey: match.messageKey, params: match.params, fields: { file: L(match.messageKey, match.params) }, reason: "import_header" });
        header = match;
        schema = kind === "targets" ? targetRowSchema(match.unit) : ActualRowSchema;
        continue;
      }
      if (cells.every((c) => c.trim() === "")) continue;
      if (++rows > maxRows) throw new AppError("payload_too_large", { messageKey: "targets-import-too-many-rows", params: { max: maxRows }, fields: { file: L("targets-import-too-many-rows", { max: maxRows }) }, reason: "import_too_many_rows" });
      if (cells.length > header.width) {
        reject(record.line, L("targets-column-count", { found: cells.length, expected: header.width }));
        continue;
      }
      const input = Object.fromEntries(columns.map((c) => [c, cells[header!.positions[c]] ?? ""]));
      const parsed = parseInput(schema!, input, locale);
      if (!parsed.ok) {
        const column = columns.find((c) => parsed.fields[c]) ?? "amount";
        reject(record.line, cell(column, parsed.fields[column] ?? L("targets-amount-invalid")));
        continue;
      }
      const row = parsed.data as { year?: number; month?: string; town: string; tax: LocalTax; amountFen: bigint };
      const named = towns.byName.get(row.town) ?? [];
      const unitId = towns.byCode.get(row.town) ?? (named.length === 1 ? named[0] : undefined);
      if (!unitId) {
        reject(record.line, cell("town", L(named.length > 1 ? "targets-town-ambiguous" : "targets-town-unknown", { town: row.town })));
        continue;
      }
      const period = kind === "targets" ? row.year! : row.month!;
      const key = `${period}|${unitId}|${row.tax}`;
      const first = seen.get(key);
      if (first !== undefined) {
        reject(record.line, L("targets-duplicate", { first, key: L(`targets-duplicate-key-${kind}`) }));
        continue;
      }
      seen.set(key, record.line);
      valid.push({ line: record.line, period, unitId, tax: row.tax, amountFen: row.amountFen });
    }
    if (!header) throw new AppError("invalid_input", { messageKey: "targets-import-empty", fields: { file: L("targets-import-empty") }, reason: "import_empty" });
  } catch (e) {
    // The reader's "empty file" speaks of feeds (本期无); say it for this import.
    if (isAppError(e) && e.reason === "file_empty") throw new AppError("invalid_input", { messageKey: "targets-import-empty", fields: { file: L("targets-import-empty") }, reason: "import_empty" });
    throw e;
  }

  const now = deps.clock.now();
  const who = auditWho(actor!);
  return deps.db.prisma.$transaction(
    async (tx) => {
      const existing = new Set<string>();
      if (valid.length) {
        if (kind === "targets") {
          const years = [...new Set(valid.map((r) => r.period as number))];
          for (const r of await tx.taxTarget.findMany({ where: { year: { in: years } }, select: { year: true, unitId: true, tax: true } })) existing.add(`${r.year}|${r.unitId}|${r.tax}`);
        } else {
          const months = [...new Set(valid.map((r) => r.period as string))];
          for (const r of await tx.taxActual.findMany({ where: { month: { in: months } }, select: { month: true, unitId: true, tax: true } })) existing.add(`${r.month}|${r.unitId}|${r.tax}`);
        }
      }
      const updated = valid.filter((r) => existing.has(`${r.period}|${r.unitId}|${r.tax}`)).length;
      const summary: TaxFigureImportSummary = { kind, imported: valid.length - updated, updated, rejected, rejectedCount, dryRun, importId: "" };
      const log = await tx.taxFigureImport.create({
        data: { kind, fileName, rows: valid.length + rejectedCount, imported: summary.imported, updated, rejected: rejectedCount, dryRun, byUserId: who.userId, at: now },
      });
      summary.importId = log.id;
      if (dryRun) return summary;
      for (const r of valid) {
        if (kind === "targets") {
          const where = { year_unitId_tax: { year: r.period as number, unitId: r.unitId, tax: r.tax } };
          await tx.taxTarget.upsert({ where, create: { year: r.period as number, unitId: r.unitId, tax: r.tax, amountFen: r.amountFen, updatedAt: now, updatedById: who.userId }, update: { amountFen: r.amountFen, updatedAt: now, updatedById: who.userId } });
        } else {
          const where = { month_unitId_tax: { month: r.period as string, unitId: r.unitId, tax: r.tax } };
          await tx.taxActual.upsert({ where, create: { month: r.period as string, unitId: r.unitId, tax: r.tax, amountFen: r.amountFen, batchId: log.id, updatedAt: now }, update: { amountFen: r.amountFen, batchId: log.id, updatedAt: now } });
        }
      }
      await writeAudit(tx, deps.clock, {
        actor,
        action: `targets.import.${kind}`,
        subject: `tax-figure-import:${log.id}`,
        result: "ok",
        detail: { fileName, imported: summary.imported, updated, rejected: rejectedCount },
      });
      return summary;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
