import { FIGURES, noClearanceShare, onTimeRate, type Figures } from "../../domain/oversight/figures.ts";
import { t, type MessageKey } from "../../domain/i18n.ts";
import type { QuarterlyPack } from "./pack.ts";
import { rowFigures, type OversightRow } from "./units.ts";
import { targetsHtmlSection } from "../targets/pack-section.ts";
import { accountabilityHtmlSection } from "../escalation/pack-section.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** A figure for people: "—" when unknown. */
export function showFigure(v: number | null): string {
  return v === null ? "—" : String(v);
}

/** A 0..1 share as a percentage ("—" when unknown). */
export function showShare(v: number | null): string {
  return v === null ? "—" : `${Math.round(v * 1000) / 10}%`;
}

/** The unit type in words. */
export function unitTypeWords(pack: QuarterlyPack, type: string): string {
  return t(pack.locale, `unit-type-${type}` as MessageKey);
}

/** Rows in reading order: a town's total, then its members indented, then the other units. */
export function packLines(pack: QuarterlyPack): { row: OversightRow; figures: Figures; member: boolean; town: string | null; label: string }[] {
  return pack.rows.flatMap((r) => {
    const head = { row: r, figures: rowFigures(r), member: false, town: null, label: r.members ? t(pack.locale, "oversight-unit-total", { name: r.unit.name }) : r.unit.name };
    const members = (r.members ?? []).map((m) => ({ row: m, figures: m.figures, member: true, town: r.unit.name, label: m.unit.name }));
    return [head, ...members];
  });
}

/** Horizontal bars of the on-time rate, one per unit with duties (inline SVG, prints as vectors). */
function rateChart(pack: QuarterlyPack): string {
  const lines = packLines(pack).filter((l) => onTimeRate(l.figures) !== null);
  if (lines.length === 0) return "";
  const rowH = 22;
  const labelW = 260;
  const barW = 420;
  const h = lines.length * rowH + 10;
  const bars = lines
    .map((l, i) => {
      const rate = onTimeRate(l.figures)!;
      const y = i * rowH + 5;
      const prev = pack.previous[l.row.unit.code];
      const before = prev ? onTimeRate(prev) : null;
      const marker = before === null ? "" : `<line x1="${labelW + before * barW}" x2="${labelW + before * barW}" y1="${y - 2}" y2="${y + 16}" stroke="#333" stroke-width="2"/>`;
      return `<text x="${labelW - 8}" y="${y + 13}" text-anchor="end" font-size="12">${esc(l.member ? `· ${l.label}` : l.label)}</text>`
        + `<rect x="${labelW}" y="${y}" width="${barW}" height="14" fill="#eef1f5"/>`
        + `<rect x="${labelW}" y="${y}" width="${Math.max(rate * barW, 1)}" height="14" fill="${rate >= 0.8 ? "#2e7d32" : rate >= 0.5 ? "#f9a825" : "#c62828"}"/>`
        + marker
        + `<text x="${labelW + barW + 8}" y="${y + 13}" font-size="12">${showShare(rate)}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(t(pack.locale, "oversight-pack-chart-title"))}" width="${labelW + barW + 70}" height="${h}" viewBox="0 0 ${labelW + barW + 70} ${h}">${bars}</svg>`;
}

/** Paired bars: this quarter against the previous one, for the district's countable figures. */
function overviewChart(pack: QuarterlyPack): string {
  const lines = pack.overview.filter((l) => l.value !== null);
  const max = Math.max(1, ...lines.flatMap((l) => [l.value ?? 0, l.previous ?? 0]));
  const colW = 64;
  const h = 170;
  const base = 130;
  const w = lines.length * colW + 20;
  const cols = lines
    .map((l, i) => {
      const x = 10 + i * colW;
      const now = ((l.value ?? 0) / max) * 110;
      const before = ((l.previous ?? 0) / max) * 110;
      return `<rect x="${x + 8}" y="${base - before}" width="18" height="${before}" fill="#9fb3c8"/>`
        + `<rect x="${x + 28}" y="${base - now}" width="18" height="${now}" fill="#1f5fa8"/>`
        + `<text x="${x + 37}" y="${base - now - 3}" font-size="10" text-anchor="middle">${l.value}</text>`
        + `<text x="${x + 32}" y="${base + 14}" font-size="10" text-anchor="middle">${esc(l.label.slice(0, 6))}</text>`
        + (l.label.length > 6 ? `<text x="${x + 32}" y="${base + 26}" font-size="10" text-anchor="middle">${esc(l.label.slice(6, 12))}</text>` : "");
    })
    .join("");
  const legend = `<rect x="10" y="${h - 12}" width="10" height="10" fill="#9fb3c8"/><text x="24" y="${h - 3}" font-size="11">${esc(t(pack.locale, "oversight-pack-previous"))} ${esc(pack.previousQuarter)}</text>`
    + `<rect x="160" y="${h - 12}" width="10" height="10" fill="#1f5fa8"/><text x="174" y="${h - 3}" font-size="11">${esc(t(pack.locale, "oversight-pack-value"))} ${esc(pack.quarter)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${cols}${legend}</svg>`;
}

function changeList(pack: QuarterlyPack, kind: "improved" | "behind"): string {
  const list = pack[kind];
  if (list.length === 0) return `<p class="muted">${esc(t(pack.locale, kind === "improved" ? "oversight-pack-none-improved" : "oversight-pack-none-behind"))}</p>`;
  return `<ul>${list.map((c) => `<li><strong>${esc(c.unit.name)}</strong>：${esc(t(pack.locale, "oversight-pack-change", { before: showShare(c.before), after: showShare(c.after) }))}</li>`).join("")}</ul>`;
}

/**
 * The printable page of the quarterly pack: one self-contained HTML document (inline CSS, inline SVG
 * charts, no scripts, no outside resources), A4 landscape when printed, in the pack's language.
 * Every text from the database is escaped.
 */
export function packHtml(pack: QuarterlyPack): string {
  const L = (key: MessageKey, params?: Record<string, string | number>) => esc(t(pack.locale, key, params));
  const head = FIGURES.map((s) => `<th>${L(s.labelKey)}</th>`).join("");
  const body = packLines(pack)
    .map((l) => `<tr class="${l.member ? "member" : "top"}"><td>${esc(l.member ? `\u3000${l.label}` : l.label)}</td><td>${esc(unitTypeWords(pack, l.row.unit.type))}</td>${FIGURES.map((s) => `<td class="n">${showFigure(l.figures[s.key])}</td>`).join("")}<td class="n">${showShare(onTimeRate(l.figures))}</td><td class="n">${showShare(noClearanceShare(l.figures))}</td></tr>`)
    .join("");
  const overview = pack.overview.map((l) => `<tr><td>${esc(l.label)}</td><td class="n">${showFigure(l.value)}</td><td class="n">${showFigure(l.previous)}</td></tr>`).join("");
  const content = pack.empty
    ? `<div class="empty">${L("oversight-pack-empty")}</div>`
    : `${pack.noActivity ? `<div class="empty">${L("oversight-pack-no-activity")}</div>` : ""}
<section><h2>${L("oversight-pack-summary")}</h2>
<div class="row"><table class="overview"><thead><tr><th>${L("oversight-pack-figure")}</th><th>${L("oversight-pack-value")}</th><th>${L("oversight-pack-previous")}</th></tr></thead><tbody>${overview}</tbody></table>
<div class="chart">${overviewChart(pack)}</div></div></section>
<section><h2>${L("oversight-pack-compare")}</h2>
<div class="row"><div><h3>${L("oversight-pack-improved")}</h3>${changeList(pack, "improved")}</div><div><h3>${L("oversight-pack-behind")}</h3>${changeList(pack, "behind")}</div></div></section>
<section class="break"><h2>${L("oversight-pack-chart-title")}</h2>${rateChart(pack) || `<p class="muted">${L("oversight-pack-no-activity")}</p>`}</section>
<section class="break"><h2>${L("oversight-pack-units")}</h2>
<table class="units"><thead><tr><th>${L("oversight-pack-unit")}</th><th>${L("oversight-pack-unit-type")}</th>${head}<th>${L("oversight-on-time-rate")}</th><th>${L("oversight-share-no-clearance")}</th></tr></thead><tbody>${body}</tbody></table></section>`;
  return `<!doctype html>
<html lang="${pack.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${L("oversight-pack-title", { quarter: pack.quarter })}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 1100px; padding: 16px; font-size: 13px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; border-bottom: 2px solid #1f5fa8; padding-bottom: 3px; margin: 18px 0 8px; } h3 { font-size: 14px; margin: 6px 0; }
.sub, .muted { color: #555; } .row { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; } .row > div { flex: 1; min-width: 260px; }
table { border-collapse: collapse; } th, td { border: 1px solid #c9d1db; padding: 3px 6px; } th { background: #eef3f9; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } tr.member td { color: #333; } tr.top td:first-child { font-weight: 600; }
table.units { width: 100%; font-size: 11px; } table.units th { font-size: 10px; } thead { display: table-header-group; } tr { break-inside: avoid; }
.empty { border: 2px dashed #c62828; padding: 16px; margin: 16px 0; font-size: 15px; }
.notes li { margin: 3px 0; } .chart svg { max-width: 100%; height: auto; }
@media print { .break { break-before: page; } body { padding: 0; max-width: none; } }
</style></head>
<body>
<h1>${L("oversight-pack-title", { quarter: pack.quarter })}</h1>
<p class="sub">${L("oversight-pack-subtitle", { from: pack.from, to: pack.to, previous: pack.previousQuarter, at: pack.generatedAt })}</p>
${content}
${targetsHtmlSection(pack)}
${accountabilityHtmlSection(pack)}
<section><h2>${L("oversight-pack-notes")}</h2><ul class="notes">${pack.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul></section>
</body></html>
`;
}
