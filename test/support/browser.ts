import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH overrides. */
export function chromiumPath(): string | null {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return existsSync(path) ? path : null;
}

/**
 * Browser tests skip on a developer machine without Chromium, but in CI a missing browser must fail
 * the run, never silently skip it.
 */
export function shouldSkipBrowserTests(): boolean {
  return chromiumPath() === null && process.env.CI !== "true";
}

/** A headless Chromium with a fresh temporary profile, sized like a phone unless told otherwise. */
export async function launchBrowser(
  opts: { viewport?: { width: number; height: number }; locale?: string; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("Chromium not found at /usr/bin/chromium (set CHROMIUM_PATH); install it with apt-get install -y chromium");
  const profile = mkdtempSync(join(tmpdir(), "xieshui-chromium-"));
  // playwright-core refuses --user-data-dir in launch(): a persistent context takes the profile dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: opts.viewport ?? { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: opts.locale ?? "zh-CN",
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
