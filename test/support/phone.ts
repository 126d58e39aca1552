import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { createInvite, systemActor, type Deps } from "@xieshui/core/server";
import type { Role } from "@xieshui/core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Where browser tests put the screenshot of every page they touch (git-ignored), one per locale. */
export const SCREENS_DIR = join(root, "test-results/screens");

/**
 * A person on a 390×844 phone: taps are counted (a click on a control, or the tap that focuses a
 * field before typing), so a test can say how many taps a job takes.
 */
export interface Phone {
  page: Page;
  taps: number;
  /** A visible element by CSS selector (Taro keeps the previous page in the DOM, hidden). */
  el(selector: string): Locator;
  /** Visible text, exact. */
  text(value: string): Locator;
  tap(selector: string): Promise<void>;
  /** Focuses a field (one tap) and types into it. `selector` is the field's id, e.g. `#f-address`. */
  type(selector: string, value: string): Promise<void>;
  /**
   * Writes `test-results/screens/<name>.<locale>.png` after the page has settled: the whole page
   * (the phone's viewport is stretched to the page's height for the shot, then restored).
   */
  shot(name: string): Promise<string>;
  /** The UI language the app stored (defaults to zh-CN). */
  locale(): Promise<string>;
  /** Switches the UI language as the profile page does, and reloads. */
  setLocale(locale: "zh-CN" | "en"): Promise<void>;
  /** True when the element's box is fully inside the viewport. */
  inView(selector: string): Promise<boolean>;
}

export function phone(page: Page): Phone {
  const el = (selector: string) => page.locator(selector).filter({ visible: true });
  const p: Phone = {
    page,
    taps: 0,
    el,
    text: (value) => page.getByText(value, { exact: true }).filter({ visible: true }),
    async tap(selector) {
      p.taps++;
      await el(selector).first().click();
    },
    async type(selector, value) {
      p.taps++;
      const input = el(`${selector} input, ${selector} textarea`).first();
      await input.fill(value);
    },
    async shot(name) {
      mkdirSync(SCREENS_DIR, { recursive: true });
      await page.waitForTimeout(450); // page transitions slide for ~300 ms
      const path = join(SCREENS_DIR, `${name}.${await p.locale()}.png`);
      // Taro's H5 pages scroll inside the page element, so a "full page" screenshot would only show
      // the viewport: measure the visible page and stretch the viewport for the shot.
      const size = page.viewportSize() ?? { width: 390, height: 844 };
      const height = (await page.evaluate(`Math.max(...Array.from(document.querySelectorAll('.taro_page')).filter((e) => e.getClientRects().length && getComputedStyle(e).display !== 'none').map((e) => e.scrollHeight), 0)`)) as number;
      const tall = Math.min(Math.max(size.height, Math.ceil(height)), 6000);
      if (tall > size.height) await page.setViewportSize({ width: size.width, height: tall });
      await page.screenshot({ path });
      if (tall > size.height) await page.setViewportSize(size);
      return path;
    },
    async locale() {
      const raw = (await page.evaluate("localStorage.getItem('xieshui.locale')")) as string | null;
      if (!raw) return "zh-CN";
      try {
        return (JSON.parse(raw) as { data?: string }).data ?? "zh-CN";
      } catch {
        return "zh-CN";
      }
    },
    async setLocale(locale) {
      // Taro's H5 storage keeps { data } JSON in localStorage.
      await page.evaluate(`localStorage.setItem('xieshui.locale', ${JSON.stringify(JSON.stringify({ data: locale }))})`);
      await page.reload();
    },
    async inView(selector) {
      const box = await el(selector).first().boundingBox();
      if (!box) return false;
      const size = page.viewportSize() ?? { width: 390, height: 844 };
      return box.y >= -1 && box.y + Math.min(box.height, 120) <= size.height + 1;
    },
  };
  return p;
}

/** An invite for a demo unit, redeemed by the test through the login page. */
export async function inviteFor(deps: Deps, unit: string, roles: Role[], name?: string): Promise<string> {
  return (await createInvite(deps, systemActor("test"), { unit, roles, ...(name ? { name } : {}) })).code;
}

/** Signs in through the home page's login button; resolves when the home page greets the user. */
export async function signIn(p: Phone, baseUrl: string, code: string): Promise<void> {
  await p.page.goto(`${baseUrl}/`);
  await p.page.evaluate("localStorage.removeItem('xieshui.token'); localStorage.removeItem('xieshui.user')");
  await p.page.goto(`${baseUrl}/`);
  await p.tap("#go-login");
  await p.el("#login-code input").waitFor();
  await p.type("#login-code", code);
  await p.tap("#login-submit");
  await p.el("#home-greeting").waitFor({ timeout: 15_000 });
}
