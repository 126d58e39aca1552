import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";

/**
 * Screenshots of every page a browser test touches, in both languages, for a reviewer to look at
 * after a change: test-results/screens/<name>.<locale>.png (git-ignored, rewritten by each run).
 */
export const SCREENS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../test-results/screens");

export type UiLocale = "zh-CN" | "en";

/** Makes the app start in a language (the mini-app keeps the choice in Taro storage: `{ data }` JSON). */
export async function startInLocale(context: BrowserContext, locale: UiLocale): Promise<void> {
  const value = JSON.stringify(JSON.stringify({ data: locale }));
  await context.addInitScript({ content: `if (!localStorage.getItem("xieshui.locale")) localStorage.setItem("xieshui.locale", ${value});` });
}

/**
 * Waits for the page transition to settle, then writes a screenshot of the WHOLE current page.
 * Taro's H5 pages scroll inside their own container, so a "full page" screenshot would stop at
 * the viewport: the viewport is stretched to the page's height for the shot, then restored.
 * Returns its path.
 */
export async function screen(page: Page, name: string, locale: UiLocale): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.waitForTimeout(450);
  const path = join(SCREENS_DIR, `${name}.${locale}.png`);
  const viewport = page.viewportSize() ?? { width: 390, height: 844 };
  const height = await page.evaluate(`(() => {
    const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).display !== "none" && getComputedStyle(e).visibility !== "hidden";
    const heights = [...document.querySelectorAll(".taro_page")].filter(shown).map((p) => p.scrollHeight);
    return Math.max(document.documentElement.scrollHeight, ...heights);
  })()`);
  const full = Math.min(Math.max(Number(height) || viewport.height, viewport.height), 6000);
  if (full > viewport.height) await page.setViewportSize({ width: viewport.width, height: full });
  await page.waitForTimeout(100);
  await page.screenshot({ path });
  if (full > viewport.height) await page.setViewportSize(viewport);
  return path;
}

/** True when the element's top edge is inside the viewport (what a person sees without scrolling). */
export async function isInViewport(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .filter({ visible: true })
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < (globalThis as unknown as { innerHeight: number }).innerHeight && r.bottom > 0;
    });
}
