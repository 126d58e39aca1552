import { seedDemo } from "@xieshui/core/server";
import { createServer, type ServerConfig } from "../../apps/api/src/server.ts";
import { createTestDb, type TestDb } from "../factories/db.ts";
import { launchBrowser } from "./browser.ts";
import { ensureH5Build } from "./h5.ts";

/** The real H5 build served by the real API over a fresh SQLite database (demo units seeded), and a Chromium. */
export interface H5App {
  testDb: TestDb;
  server: ReturnType<typeof createServer>;
  baseUrl: string;
  browser: Awaited<ReturnType<typeof launchBrowser>>;
  close(): Promise<void>;
}

/** Starts everything a browser test needs; call `close()` in afterAll. */
export async function startH5App(config: Partial<ServerConfig> = {}): Promise<H5App> {
  const h5Dir = ensureH5Build();
  const testDb = createTestDb();
  await seedDemo(testDb.deps);
  const server = createServer({ deps: testDb.deps, config: { h5Dir, checkRateLimitPerHour: 120, logLevel: "silent", ...config } });
  await server.listen({ port: 0, host: "127.0.0.1" });
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("server has no TCP address");
  const browser = await launchBrowser();
  return {
    testDb,
    server,
    baseUrl: `http://127.0.0.1:${address.port}`,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await testDb.close();
    },
  };
}
