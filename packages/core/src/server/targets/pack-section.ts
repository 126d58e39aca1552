import type ExcelJS from "exceljs";
import { formatWanYuan, LOCAL_TAXES, localTaxLabelKey, type LocalTax } from "../../domain/targets/index.ts";
import { t, type Locale, type MessageKey } from "../../domain/i18n.ts";
import type { QuarterlyPack } from "../oversight/pack.ts";
import type { QuarterTargetProgress, TargetProgressLine } from "./progress.ts";

// The quarterly pack's section 地方留成税收目标完成情况: a sheet of the workbook and a section of the
// printable page, from QuarterlyPack.targets. Kept here so the pack's files only call in.

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);
/** fen (decimal string) as 万元, a number with two decimals for a spreadsheet cell. */
const wan = (fen: string | null | undefined) => (fen === null || fen === undefined ? "—" : Number(formatWanYuan(fen).replace(/,/g, "")));

/** The one line that stands for the whole section when there is nothing to compare, or null. */
export function targetsEmptyLine(progress: QuarterTargetProgress | undefined, locale: Locale): string | null {
  if (!progress || progress.empty) return t(locale, "targets-no-towns");
  if (progress.noTargets) return t(locale, "targets-none");
  return null;
}

/** The "actuals up to 2026-11 (share of year 91.7%)" line, or "no actuals yet". */
export function targetsThroughLine(progress: QuarterTargetProgress, locale: Locale): string {
  return progress.through ? t(locale, "targets-through", { month: progress.through, share: pct(progress.yearShare) }) : t(locale, "targets-no-data-yet");
}

/** Per tax: the district total, then each town. */
function linesByTax(progress: QuarterTargetProgress, tax: LocalTax): { name: string; line: TargetProgressLine; district: boolean }[] {
  const i = LOCAL_TAXES.indexOf(tax);
  return [
    { name: "", line: progress.district[i]!, district: true },
    ...progress.towns.map((town) => ({ name: town.unit.name, line: town.taxes[i]!, district: false })),
  ];
}

/**
 * Adds the section's sheet: per tax the district total (bold) and each town, with the target, the
 * quarter's and the year's actuals in 万元, the two shares as percentages and the status in words;
 * a district without targets gets one line saying so.
 */
export function addTargetsSheet(wb: ExcelJS.Workbook, pack: QuarterlyPack, sheetFor: (wb: ExcelJS.Workbook, name: string, headers: string[], widths: number[]) => ExcelJS.Worksheet): void {
  const L = (key: MessageKey, params?: Record<string, string | number>) => t(pack.locale, key, params);
  const unit = `(${L("targets-wan-yuan")})`;
  const sheet = sheetFor(
    wb,
    L("targets-pack-section"),
    [L("targets-tax"), L("targets-town"), `${L("targets-target")}${unit}`, `${L("targets-quarter-actual")}${unit}`, `${L("targets-actual")}${unit}`, L("targets-share"), L("targets-year-share"), L("targets-status")],
    [16, 24, 16, 16, 16, 12, 12, 12],
  );
  const progress = pack.targets;
  const empty = targetsEmptyLine(progress, pack.locale);
  if (empty || !progress) {
    sheet.addRow([empty]);
    return;
  }
  for (const tax of LOCAL_TAXES) {
    for (const { name, line, district } of linesByTax(progress, tax)) {
      const row = sheet.addRow([L(localTaxLabelKey(tax)), district ? L("targets-district") : name, wan(line.targetFen), wan(line.quarterFen), wan(line.actualFen), line.share ?? "—", progress.yearShare, L(`targets-status-${line.status}` as MessageKey)]);
      if (district) row.font = { bold: true };
      if (line.status === "behind") row.getCell(8).font = { color: { argb: "FFC62828" }, bold: true };
    }
  }
  for (const c of [3, 4, 5]) sheet.getColumn(c).numFmt = "#,##0.00";
  for (const c of [6, 7]) sheet.getColumn(c).numFmt = "0.0%";
  sheet.addRow([]);
  sheet.addRow([targetsThroughLine(progress, pack.locale)]);
  sheet.addRow([L("targets-rule")]);
}

/** One tax's bars: the share of target per town (red when behind), a mark at the share of the year. */
function taxChart(progress: QuarterTargetProgress, tax: LocalTax, locale: Locale): string {
  const lines = linesByTax(progress, tax);
  const rowH = 22;
  const labelW = 150;
  const barW = 380;
  const h = lines.length * rowH + 8;
  const mark = labelW + Math.min(progress.yearShare, 1) * barW;
  const bars = lines
    .map(({ name, line, district }, i) => {
      const y = i * rowH + 4;
      const share = line.share ?? 0;
      const colour = line.status === "behind" ? "#c62828" : line.status === "ahead" ? "#2e7d32" : "#1f5fa8";
      const label = district ? t(locale, "targets-district") : name;
      const words = (line.targetFen === null
        ? `${formatWanYuan(line.actualFen)} · ${t(locale, "targets-status-no_target")}`
        : `${formatWanYuan(line.actualFen)} / ${formatWanYuan(line.targetFen)} · ${pct(line.share)} · ${t(locale, `targets-status-${line.status}` as MessageKey)}`)
        + (line.quarterFen === undefined ? "" : ` · ${t(locale, "targets-quarter-actual")} ${formatWanYuan(line.quarterFen)}`);
      return `<text x="${labelW - 8}" y="${y + 13}" text-anchor="end" font-size="12"${district ? ' font-weight="bold"' : ""}>${esc(label)}</text>`
        + `<rect x="${labelW}" y="${y}" width="${barW}" height="14" fill="#eef1f5"/>`
        + (line.targetFen === null ? "" : `<rect x="${labelW}" y="${y}" width="${Math.max(Math.min(share, 1) * barW, 1)}" height="14" fill="${colour}"/>`)
        + `<text x="${labelW + barW + 8}" y="${y + 13}" font-size="11">${esc(words)}</text>`;
    })
    .join("");
  const w = labelW + barW + 380;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(t(locale, localTaxLabelKey(tax)))}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${bars}<line x1="${mark}" x2="${mark}" y1="0" y2="${h}" stroke="#333" stroke-width="1.5" stroke-dasharray="4 3"/></svg>`;
}

/**
 * The printable section: per tax a bar per town and the district (share of target, red when behind,
 * the dashed line at the share of the year), amounts in 万元; one line when there is nothing to show.
 */
export function targetsHtmlSection(pack: QuarterlyPack): string {
  const L = (key: MessageKey, params?: Record<string, string | number>) => esc(t(pack.locale, key, params));
  const progress = pack.targets;
  const empty = targetsEmptyLine(progress, pack.locale);
  const body = empty || !progress
    ? `<p class="muted">${esc(empty ?? "")}</p>`
    : `<p class="sub">${esc(targetsThroughLine(progress, pack.locale))}（${L("targets-wan-yuan")}）</p>`
      + LOCAL_TAXES.map((tax) => `<h3>${L(localTaxLabelKey(tax))}</h3><div class="chart">${taxChart(progress, tax, pack.locale)}</div>`).join("")
      + `<p class="muted">${L("targets-rule")}</p>`;
  return `<section class="break targets"><h2>${L("targets-pack-section")}</h2>${body}</section>`;
}
