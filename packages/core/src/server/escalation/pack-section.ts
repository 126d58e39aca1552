import type ExcelJS from "exceljs";
import { t, type MessageKey } from "../../domain/i18n.ts";
import type { QuarterlyPack } from "../oversight/pack.ts";
import { ACCOUNTABILITY_COLUMNS, ACCOUNTABILITY_WIDTHS, accountabilityCells } from "./accountability.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** At most this many lines of the accountability list are printed in the pack; the full list is its own download. */
export const PACK_ACCOUNTABILITY_LINES = 50;

/**
 * The pack's 责任追究 sheet: the quarter's accountability list (unit, duty, due, days late, state,
 * reminders sent), most days late first, as the meeting discusses it; one line when nothing was late.
 */
export function addAccountabilitySheet(wb: ExcelJS.Workbook, pack: QuarterlyPack, sheetFor: (wb: ExcelJS.Workbook, name: string, headers: string[], widths: number[]) => ExcelJS.Worksheet): void {
  const list = pack.accountability;
  if (!list) return;
  const L = (key: MessageKey, params?: Record<string, string | number>) => t(pack.locale, key, params);
  const s = sheetFor(wb, L("accountability-pack-section"), ACCOUNTABILITY_COLUMNS.map((k) => L(k)), ACCOUNTABILITY_WIDTHS);
  if (list.empty) s.addRow([L("accountability-empty", { quarter: list.quarter })]);
  for (const item of list.items) s.addRow(accountabilityCells(item, pack.locale)).alignment = { vertical: "top", wrapText: true };
  s.addRow([]);
  s.addRow([list.rule]);
}

/** The printable 责任追究 section: the first PACK_ACCOUNTABILITY_LINES lines, and how many more the download holds. */
export function accountabilityHtmlSection(pack: QuarterlyPack): string {
  const list = pack.accountability;
  if (!list) return "";
  const L = (key: MessageKey, params?: Record<string, string | number>) => esc(t(pack.locale, key, params));
  const head = (["accountability-unit", "accountability-duty", "accountability-due", "accountability-days-late", "accountability-state", "accountability-reminders"] as const).map((k) => `<th>${L(k)}</th>`).join("");
  const shown = list.items.slice(0, PACK_ACCOUNTABILITY_LINES);
  const rows = shown
    .map((i) => {
      const unit = i.unit.town ? `${esc(i.unit.name)}<br><span class="muted">${esc(i.unit.town)}</span>` : esc(i.unit.name);
      const state = i.done ? L("accountability-done", { on: i.doneOn! }) : `<b>${L("accountability-open")}</b>`;
      const reminders = i.reminders.length ? i.reminders.map((r) => esc(r.text)).join("<br>") : L("accountability-no-reminders");
      return `<tr><td>${unit}</td><td>${esc(i.duty.kindLabel)}：${esc(i.duty.text)}</td><td>${esc(i.dueOn)}</td><td class="n">${i.daysLate}</td><td>${state}</td><td>${reminders}</td></tr>`;
    })
    .join("");
  const more = list.items.length > shown.length ? `<p class="muted">${L("accountability-pack-more", { count: list.items.length - shown.length })}</p>` : "";
  const body = list.empty ? `<p class="muted">${L("accountability-empty", { quarter: list.quarter })}</p>` : `<table class="units"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>${more}`;
  return `<section class="break accountability"><h2>${L("accountability-pack-section")}</h2>${body}<p class="muted">${esc(list.rule)}</p></section>`;
}
