import { afterEach, describe, expect, it } from "vitest";
import { createDb, createDeps, createFixedClock, type Db } from "@xieshui/core/server";
import { createServer, type ApiServer, type ServerConfig } from "../src/server.ts";
import { createTestDb, type TestDb } from "../../../test/factories/db.ts";
import { START, testTips } from "./helpers.ts";

// Issue 12 point 3: the code-guessing budget (invites, link codes, Telegram logins) holds across API
// processes. Two servers over one database, each with its own connections (as two processes behind
// a load balancer have), on SQLite and on PostgreSQL (npm run test:pg).
let t: TestDb;
let second: Db;
const apps: ApiServer[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await second?.close();
  await t?.close();
});

async function twoServers(config: Partial<ServerConfig>): Promise<[ApiServer, ApiServer]> {
  const clock = createFixedClock(START);
  t = createTestDb({ clock });
  second = createDb(t.url);
  const make = (deps: ReturnType<typeof createDeps>) => {
    const app = createServer({ deps, config: { checkRateLimitPerHour: 0, logLevel: "silent", tips: testTips(deps, t.dir), ...config } });
    apps.push(app);
    return app;
  };
  const pair: [ApiServer, ApiServer] = [make(t.deps), make(createDeps(second, { clock }))];
  await Promise.all(pair.map((a) => a.ready()));
  return pair;
}

const redeem = (app: ApiServer, headers: Record<string, string> = {}, remoteAddress = "127.0.0.1") =>
  app.inject({ method: "POST", url: "/api/v1/auth/redeem", remoteAddress, headers, payload: { code: "K7M2QX9PRT" } });

describe("the code-guessing limit across API processes", () => {
  it("is one budget per address however the attempts are spread over two servers", async () => {
    const [a, b] = await twoServers({ authAttemptsPerMinute: 4 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await redeem(i % 2 ? b : a, {}, "10.1.1.1")).statusCode);
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
    const limited = await redeem(a, { "accept-language": "en" }, "10.1.1.1");
    expect(limited.json()).toEqual({ error: { code: "rate_limited", message: "Too many requests; please try again later", reason: "too_many_attempts" } });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
    // Another address has its own budget on both servers.
    expect((await redeem(b, {}, "10.1.1.2")).statusCode).toBe(404);
  });

  it("holds when 40 attempts arrive at once over both servers: exactly the budget gets through", async () => {
    const [a, b] = await twoServers({ authAttemptsPerMinute: 10 });
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => redeem(i % 2 ? b : a, {}, "10.2.2.2")));
    const codes = res.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 404)).toHaveLength(10);
    expect(codes.filter((c) => c === 429)).toHaveLength(30);
  });

  it("counts the X-Forwarded-For client only when TRUST_PROXY trusts the peer", async () => {
    const [a, b] = await twoServers({ authAttemptsPerMinute: 2, trustProxy: "127.0.0.1" });
    const via = (app: ApiServer, client: string) => redeem(app, { "x-forwarded-for": client });
    expect([(await via(a, "203.0.113.7")).statusCode, (await via(b, "203.0.113.7")).statusCode, (await via(a, "203.0.113.7")).statusCode]).toEqual([404, 404, 429]);
    // Another client behind the same proxy (the load balancer) keeps its own budget.
    expect((await via(b, "198.51.100.9")).statusCode).toBe(404);
  });

  it("ignores X-Forwarded-For without TRUST_PROXY: the peer's address is the client, a fresh header buys nothing", async () => {
    const [a, b] = await twoServers({ authAttemptsPerMinute: 2 });
    const via = (app: ApiServer, client: string) => redeem(app, { "x-forwarded-for": client });
    expect([(await via(a, "203.0.113.1")).statusCode, (await via(b, "203.0.113.2")).statusCode, (await via(a, "203.0.113.3")).statusCode]).toEqual([404, 404, 429]);
  });

  it("opens a fresh budget in the next minute", async () => {
    const [a] = await twoServers({ authAttemptsPerMinute: 1 });
    expect((await redeem(a)).statusCode).toBe(404);
    expect((await redeem(a)).statusCode).toBe(429);
    (t.deps.clock as ReturnType<typeof createFixedClock>).advance(60_000);
    expect((await redeem(a)).statusCode).toBe(404);
  });
});
