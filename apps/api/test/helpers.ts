import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { testTips } from "../../../test/support/tips.ts";
import { createServer, type ApiServer, type ServerConfig } from "../src/server.ts";

export { testTips };

export const START = "2026-11-26T02:00:00Z";

/** A real server over a fresh SQLite file; limits off unless a test turns them on. */
export interface TestApi {
  app: ApiServer;
  t: TestDb;
  clock: ReturnType<typeof createFixedClock>;
  close(): Promise<void>;
}

export async function createTestApi(config: Partial<ServerConfig> = {}, setup?: (app: ApiServer) => void): Promise<TestApi> {
  const clock = createFixedClock(START);
  const t = createTestDb({ clock });
  const app = createServer({ deps: t.deps, config: { checkRateLimitPerHour: 0, logLevel: "silent", authAttemptsPerMinute: 0, tips: testTips(t.deps, t.dir), ...config } });
  setup?.(app);
  await app.ready();
  return {
    app,
    t,
    clock,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

