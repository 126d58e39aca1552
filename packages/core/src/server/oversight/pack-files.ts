import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import { FIGURES, noClearanceShare, onTimeRate } from "../../domain/oversight/figures.ts";
import { t, type MessageKey } from "../../domain/i18n.ts";
import { AppError } from "../errors.ts";
import type { QuarterlyPack } from "./pack.ts";
import { packHtml, packLines, unitTypeWords } from "./pack-html.ts";
import { addTargetsSheet } from "../targets/pack-section.ts";
import { addAccountabilitySheet } from "../escalation/pack-section.ts";

/** The font every cell uses: present on Chinese Windows/WPS, and Excel substitutes gracefully elsewhere. */
const CJK_FONT = "宋体";

function sheetFor(wb: ExcelJS.Workbook, name: string, headers: string[], widths: number[]): ExcelJS.Worksheet {
  const sheet = wb.addWorksheet(name, {
    // A4 landscape, fit to one page wide, header row repeated on every printed page.
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1", margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 } },
    views: [{ state: "frozen", ySplit: 1 }],
  });
  sheet.columns = headers.map((h, i) => ({ header: h, width: widths[i] ?? 12 }));
  const head = sheet.getRow(1);
  head.font = { name: CJK_FONT, bold: true };
  head.alignment = { vertical: "middle", wrapText: true };
  head.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEEF3F9" } };
  sheet.headerFooter.oddFooter = "&P / &N";
  return sheet;
}

const cell = (v: number | null): number | string => (v === null ? "—" : v);
const share = (v: number | null): number | string => (v === null ? "—" : Math.round(v * 1000) / 1000);

/**
 * The pack as an XLSX workbook, one sheet per section (overview, units, comparison, notes), each
 * printable on A4 landscape fitted to the width with its header row repeated; shares are real
 * numbers formatted as percentages; unknown figures read "—".
 */
export async function packWorkbook(pack: QuarterlyPack): Promise<Buffer> {
  const L = (key: MessageKey, params?: Record<string, string | number>) => t(pack.locale, key, params);
  const wb = new ExcelJS.Workbook();
  wb.creator = "协税通";
  wb.title = L("oversight-pack-title", { quarter: pack.quarter });

  const overview = sheetFor(wb, L("oversight-pack-summary"), [L("oversight-pack-figure"), `${L("oversight-pack-value")} ${pack.quarter}`, `${L("oversight-pack-previous")} ${pack.previousQuarter}`], [26, 18, 18]);
  if (pack.empty) overview.addRow([L("oversight-pack-empty")]);
  else for (const l of pack.overview) overview.addRow([l.label, cell(l.value), cell(l.previous)]);

  const headers = [L("oversight-pack-unit"), L("oversight-pack-unit-type"), L("oversight-pack-town"), ...FIGURES.map((s) => L(s.labelKey)), L("oversight-on-time-rate"), L("oversight-share-no-clearance")];
  const units = sheetFor(wb, L("oversight-pack-units"), headers, [30, 14, 16, ...FIGURES.map(() => 10), 10, 10]);
  if (pack.empty) units.addRow([L("oversight-pack-empty")]);
  for (const l of packLines(pack)) {
    const row = units.addRow([l.label, unitTypeWords(pack, l.row.unit.type), l.town ?? "", ...FIGURES.map((s) => cell(l.figures[s.key])), share(onTimeRate(l.figures)), share(noClearanceShare(l.figures))]);
    if (!l.member && l.row.members) row.font = { name: CJK_FONT, bold: true };
  }
  const rateCol = headers.length - 1;
  for (const c of [rateCol, rateCol + 1]) units.getColumn(c).numFmt = "0.0%";

  const compare = sheetFor(wb, L("oversight-pack-compare"), [L("oversight-pack-compare"), L("oversight-pack-unit"), `${L("oversight-on-time-rate")} ${pack.previousQuarter}`, `${L("oversight-on-time-rate")} ${pack.quarter}`], [16, 30, 18, 18]);
  for (const c of pack.improved) compare.addRow([L("oversight-pack-improved"), c.unit.name, c.before, c.after]);
  for (const c of pack.behind) compare.addRow([L("oversight-pack-behind"), c.unit.name, c.before, c.after]);
  if (pack.improved.length === 0) compare.addRow([L("oversight-pack-improved"), L("oversight-pack-none-improved")]);
  if (pack.behind.length === 0) compare.addRow([L("oversight-pack-behind"), L("oversight-pack-none-behind")]);
  for (const c of [3, 4]) compare.getColumn(c).numFmt = "0.0%";

  addTargetsSheet(wb, pack, sheetFor);
  addAccountabilitySheet(wb, pack, sheetFor);

  const notes = sheetFor(wb, L("oversight-pack-notes"), [L("oversight-pack-notes")], [120]);
  notes.addRow([L("oversight-pack-subtitle", { from: pack.from, to: pack.to, previous: pack.previousQuarter, at: pack.generatedAt })]);
  for (const n of [...(pack.empty ? [L("oversight-pack-empty")] : pack.noActivity ? [L("oversight-pack-no-activity")] : []), ...pack.notes]) notes.addRow([n]).alignment = { wrapText: true };

  for (const sheet of wb.worksheets) {
    sheet.eachRow((row, n) => {
      if (n > 1) row.eachCell((c) => (c.font = { ...(c.font ?? {}), name: CJK_FONT }));
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Debian's Chromium (the one CI installs); CHROMIUM_PATH overrides. Null when there is none. */
export function chromiumExecutable(env: Record<string, string | undefined> = process.env): string | null {
  const path = env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return existsSync(path) ? path : null;
}

/**
 * Prints the pack's HTML to a PDF with headless Chromium (A4 landscape, backgrounds printed, SVG as
 * vectors). The page is loaded with JavaScript disabled and no network: it is self-contained.
 * Without a Chromium -> 503 upstream_unavailable with a message saying so.
 */
export async function packPdf(html: string, opts: { chromiumPath?: string | null } = {}): Promise<Buffer> {
  const executablePath = opts.chromiumPath === undefined ? chromiumExecutable() : opts.chromiumPath;
  if (!executablePath) throw new AppError("upstream_unavailable", { reason: "no_chromium", messageKey: "oversight-pack-no-browser" });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    return Buffer.from(await page.pdf({ format: "A4", landscape: true, printBackground: true, preferCSSPageSize: true }));
  } finally {
    await browser.close();
  }
}

/** The pack's file formats, in the order they are written. */
export const PACK_FORMATS = ["xlsx", "html", "pdf"] as const;
/** One of PACK_FORMATS. */
export type PackFormat = (typeof PACK_FORMATS)[number];

/** Content types of the pack's files. */
export const PACK_CONTENT_TYPES: Record<PackFormat, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  html: "text/html; charset=utf-8",
  pdf: "application/pdf",
};

/** The file name of one format of a quarter's pack: ASCII, so every file system and header takes it. */
export function packFileName(quarter: string, format: PackFormat): string {
  return `oversight-pack-${quarter}.${format}`;
}

/** Renders one format of the pack. */
export async function renderPack(pack: QuarterlyPack, format: PackFormat, opts: { chromiumPath?: string | null } = {}): Promise<Buffer> {
  if (format === "xlsx") return packWorkbook(pack);
  const html = packHtml(pack);
  return format === "html" ? Buffer.from(html, "utf8") : packPdf(html, opts);
}

/**
 * Writes the XLSX, the HTML and the PDF of a pack into `dir` (created if missing) and returns their
 * absolute paths in that order. Each file is written whole after it is rendered, so a failure (no
 * Chromium) leaves the earlier files complete and no partial one.
 */
export async function writePackFiles(pack: QuarterlyPack, dir: string, opts: { chromiumPath?: string | null } = {}): Promise<string[]> {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  for (const format of PACK_FORMATS) {
    const body = await renderPack(pack, format, opts);
    const file = join(out, packFileName(pack.quarter, format));
    writeFileSync(file, body);
    files.push(file);
  }
  return files;
}
