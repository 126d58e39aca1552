import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importClearances, systemActor } from "@xieshui/core/server";
import { makeUser } from "../../../test/factories/identity.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../test/factories/paths.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

// Issue 7 point 3: 300 of 300 pipelined checks passed a limit of 5, because each check counted
// committed audit rows while its burst's rows waited for the group commit.

const LIMIT = 5;
let api: TestApi;
let base: { host: string; port: number };
beforeAll(async () => {
  api = await createTestApi({ checkRateLimitPerHour: LIMIT });
  await importClearances(api.t.deps, systemActor("test"), SAMPLE_CLEARANCES_CSV);
  await api.app.listen({ host: "127.0.0.1", port: 0 });
  const address = api.app.server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  base = { host: "127.0.0.1", port: address.port };
});
afterAll(async () => {
  await api.close();
});

const BODY = JSON.stringify({ kind: "vehicle_vessel", key: "豫HMC8R6" });

/**
 * Writes `n` keep-alive requests into ONE socket in one write (HTTP/1.1 pipelining) and reads the
 * `n` responses back in order: their status codes.
 */
function pipelined(token: string, n: number): Promise<number[]> {
  const request =
    `POST /api/v1/clearances/check HTTP/1.1\r\nHost: ${base.host}:${base.port}\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`;
  return new Promise((resolve, reject) => {
    const socket = connect(base.port, base.host);
    const statuses: number[] = [];
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only ${statuses.length} of ${n} responses arrived`));
    }, 30_000);
    socket.on("error", reject);
    socket.on("connect", () => socket.write(request.repeat(n)));
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString("latin1");
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
        if (!Number.isFinite(length)) return reject(new Error(`response without content-length: ${head}`));
        if (buffer.length < end + 4 + length) return;
        statuses.push(Number(head.slice(9, 12)));
        buffer = buffer.subarray(end + 4 + length);
        if (statuses.length === n) {
          clearTimeout(timer);
          socket.end();
          return resolve(statuses);
        }
      }
    });
  });
}

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

describe("the per-user check limit over HTTP", () => {
  it("answers 5 of 300 checks pipelined on one socket and refuses the other 295 with 429", async () => {
    const { token, actor } = await makeUser(api.t.deps, { roles: ["checker"], unitType: "traffic_police" });
    const statuses = await pipelined(token, 300);
    expect(tally(statuses)).toEqual({ 200: LIMIT, 429: 300 - LIMIT });
    // Pipelined responses come back in request order. On SQLite each check counts and queues its
    // audit row before the next one starts, so the first five were the answered ones; on
    // PostgreSQL each check awaits its queries on a pool, so which five are admitted depends on
    // the round trips (the tally above is the guarantee on both).
    if (api.t.db.dialect === "sqlite") expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(await api.t.db.prisma.auditLog.count({ where: { userId: actor.userId, action: "clearance.check", result: "rate_limited" } })).toBe(300 - LIMIT);
  });

  it("answers 5 of 100 concurrent requests and refuses the rest with 429", async () => {
    const { token } = await makeUser(api.t.deps, { roles: ["checker"], unitType: "traffic_police" });
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        api.app.inject({ method: "POST", url: "/api/v1/clearances/check", headers: { ...bearer(token), "content-type": "application/json" }, payload: BODY }),
      ),
    );
    expect(tally(responses.map((r) => r.statusCode))).toEqual({ 200: LIMIT, 429: 100 - LIMIT });
    const refused = responses.find((r) => r.statusCode === 429)!;
    expect(refused.json().error.code).toBe("rate_limited");
    expect(refused.json().error.message).toContain(String(LIMIT));
  });

  it("keeps one user's burst from eating another user's allowance", async () => {
    const a = await makeUser(api.t.deps, { roles: ["checker"], unitType: "traffic_police" });
    const b = await makeUser(api.t.deps, { roles: ["checker"], unitType: "traffic_police" });
    const [first, second] = await Promise.all([pipelined(a.token, 40), pipelined(b.token, 40)]);
    expect(tally(first)).toEqual({ 200: LIMIT, 429: 40 - LIMIT });
    expect(tally(second)).toEqual({ 200: LIMIT, 429: 40 - LIMIT });
  });
});
