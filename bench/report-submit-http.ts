// POST /api/v1/reports over a real socket on 127.0.0.1, 4 connections, 8 s: `npx tsx bench/report-submit-http.ts`.
import autocannon from "autocannon";
import { createTestDb } from "../test/factories/db.ts";
import { makeUser } from "../test/factories/identity.ts";
import { makeRentalData } from "../test/factories/reports.ts";
import { createServer } from "../apps/api/src/server.ts";

const t = createTestDb();
const app = createServer({ deps: t.deps, config: { checkRateLimitPerHour: 0, logLevel: "silent", authAttemptsPerMinute: 0 } });
const address = await app.listen({ host: "127.0.0.1", port: 0 });
const { token } = await makeUser(t.deps, { roles: ["reporter"], unitType: "village" });
let i = 0;
const result = await autocannon({
  url: `${address}/api/v1/reports`,
  connections: 4,
  duration: 8,
  requests: [{ method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ type: "rental", clientId: `ac-${process.pid}-${++i}`, data: makeRentalData({ address: `东村 ${i} 号` }) }) }) }],
});
console.log(JSON.stringify({ requests: result.requests.total, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors }));
console.log("reports stored:", await t.db.prisma.report.count());
await app.close();
await t.close();
