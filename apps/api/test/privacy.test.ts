import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "@xieshui/core/server";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { makeRentalData } from "../../../test/factories/reports.ts";
import { FEEDS_WITH_UNITS, PERSONAL, PERSONAL_VALUES, personalEventData, personalFeedCsv } from "../../../test/factories/personal.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

let seq = 0;
const clientId = () => `privacy-${Date.now().toString(36)}-${++seq}`;

function logSink() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: "trace", destination: sink }) };
}

describe("POST /api/v1/reports/duplicates", () => {
  it("answers reporters whose unit files the type, from a body, and nobody else", async () => {
    api = await createTestApi();
    const a = api;
    const village = (await makeUser(a.t.deps, { roles: ["reporter"], unitType: "village" })).token;
    const community = (await makeUser(a.t.deps, { roles: ["reporter"], unitType: "community" })).token;
    const police = (await makeUser(a.t.deps, { roles: ["reporter"], unitType: "traffic_police" })).token;
    const officer = (await makeUser(a.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    const filed = await a.app.inject({ method: "POST", url: "/api/v1/reports", payload: { type: "rental", clientId: clientId(), data: makeRentalData() }, headers: bearer(village) });
    expect(filed.statusCode).toBe(201);

    const ask = (token: string | null, payload: unknown) =>
      a.app.inject({ method: "POST", url: "/api/v1/reports/duplicates", payload: payload as object, headers: token ? bearer(token) : {} });
    const key = { type: "rental", data: { address: "幸福镇东村3组12号", landlordIdNo: makeRentalData().landlordIdNo, leaseStart: "2026-11-01" } };

    const hit = await ask(community, key);
    expect(hit.statusCode).toBe(200);
    expect(hit.json().duplicates).toHaveLength(1);
    expect(hit.json().duplicates[0]).toMatchObject({ summary: null, message: expect.stringContaining("已于 2026-11-26 报送过相同的内容") });

    // A unit that does not file rentals learns nothing about who is a landlord where.
    const police403 = await ask(police, key);
    expect(police403.statusCode).toBe(403);
    expect(police403.json().error.code).toBe("forbidden");
    expect((await ask(officer, key)).statusCode).toBe(403);
    expect((await ask(null, key)).statusCode).toBe(401);

    // Bad bodies: 400 with the field named, never a 500.
    const noType = await ask(community, { data: key.data });
    expect(noType.statusCode).toBe(400);
    expect(Object.keys(noType.json().error.fields)).toContain("type");
    expect((await ask(community, { type: "rental", data: "landlordIdNo=1" })).statusCode).toBe(400);
    expect((await ask(community, { ...key, extra: 1 })).statusCode).toBe(400);
    expect((await ask(community, { type: "nonsense", data: {} })).statusCode).toBe(400);

    // The old query-string lookup is gone.
    const q = new URLSearchParams({ type: "rental", landlordIdNo: makeRentalData().landlordIdNo as string });
    expect((await a.app.inject({ method: "GET", url: `/api/v1/reports/duplicates?${q}`, headers: bearer(community) })).statusCode).toBe(404);
  });
});

describe("personal data in API logs", () => {
  it("writes no ID number, credit code, name or query-string token to any log line, for every report type, good and bad", { timeout: 60_000 }, async () => {
    const { lines, logger } = logSink();
    api = await createTestApi({ logger });
    const a = api;
    const tokens: string[] = [];

    for (const { type, unitType, data } of personalEventData()) {
      const token = (await makeUser(a.t.deps, { roles: ["reporter"], unitType })).token;
      tokens.push(token);
      const post = (payload: unknown, headers: Record<string, string> = {}) =>
        a.app.inject({ method: "POST", url: "/api/v1/reports", payload: payload as string, headers: { ...bearer(token), ...headers } });
      const ok = await post({ type, clientId: clientId(), data });
      expect(ok.statusCode).toBe(201);
      // Bad input of every sort, each carrying the personal values.
      const badIds = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, /IdNo|Uscc/.test(k) ? PERSONAL.badIdNo : v]));
      expect((await post({ type, clientId: clientId(), data: badIds })).statusCode).toBe(400);
      expect((await post({ type, clientId: clientId(), data: { ...data, extra: PERSONAL.landlordIdNo } })).statusCode).toBe(400);
      expect((await post(`{"type":"${type}","data":${JSON.stringify(data)}`, { "content-type": "application/json" })).statusCode).toBe(400);
      const wrongType = await post(JSON.stringify({ type, data }), { "content-type": "text/plain" });
      expect(wrongType.statusCode).toBeGreaterThanOrEqual(400);
      expect(wrongType.statusCode).toBeLessThan(500);
      const dup = await a.app.inject({ method: "POST", url: "/api/v1/reports/duplicates", payload: { type, data }, headers: bearer(token) });
      expect(dup.statusCode).toBe(200);
      // A lookup or a token in a query string (an old client, a pasted link) is not logged either.
      const query = new URLSearchParams({ token, landlordIdNo: PERSONAL.landlordIdNo, name: PERSONAL.landlordName });
      await a.app.inject({ method: "GET", url: `/api/v1/reports/mine?${query}`, headers: bearer(token) });
      await a.app.inject({ method: "GET", url: `/api/v1/reports/duplicates?${query}`, headers: bearer(token) });
      await a.app.inject({ method: "GET", url: `/api/v1/no-such-route?${query}` });
    }

    for (const { feed, unitType } of FEEDS_WITH_UNITS) {
      const token = (await makeUser(a.t.deps, { roles: ["reporter"], unitType })).token;
      tokens.push(token);
      const upload = (csv: string) =>
        a.app.inject({
          method: "POST",
          url: `/api/v1/reports/feeds/${feed.code}/2026-10?fileName=${encodeURIComponent(`${PERSONAL.feedName}.csv`)}`,
          payload: csv,
          headers: { ...bearer(token), "content-type": "text/csv" },
        });
      const bad = await upload(personalFeedCsv(feed, { badRow: true }));
      expect(bad.statusCode, feed.code).toBe(400);
      const ok = await upload(personalFeedCsv(feed));
      expect(ok.statusCode, `${feed.code}: ${ok.body}`).toBe(201);
      await a.app.inject({ method: "GET", url: `/api/v1/reports/${ok.json().id}/rows`, headers: bearer(token) });
    }

    const officer = (await makeUser(a.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    tokens.push(officer);
    const inbox = await a.app.inject({ method: "GET", url: "/api/v1/reports/inbox", headers: bearer(officer) });
    expect(inbox.json().reports.length).toBe(personalEventData().length + FEEDS_WITH_UNITS.length);
    for (const type of ["rental", "feed_property_transfers"]) {
      const exp = await a.app.inject({ method: "GET", url: `/api/v1/reports/export?type=${type}&period=${type === "rental" ? "2026-11" : "2026-10"}&format=csv`, headers: bearer(officer) });
      expect(exp.statusCode).toBe(200);
    }

    const log = lines.join("");
    expect(lines.length).toBeGreaterThan(50);
    expect(log).toContain("/api/v1/reports/mine");
    const hits = [...PERSONAL_VALUES, ...tokens].filter((v) => log.includes(v));
    expect(hits).toEqual([]);
  });

  it("logs requests at debug (the health check at trace), so a terminal at info shows none", async () => {
    const { lines, logger } = logSink();
    api = await createTestApi({ logger });
    await api.app.inject({ method: "GET", url: "/healthz" });
    await api.app.inject({ method: "GET", url: "/api/v1/report-types" });
    await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code: "NOPE" } });
    const entries = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    const health = entries.filter((e) => e.msg.includes("/healthz"));
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((e) => e.level <= 10)).toBe(true);
    const perRequest = entries.filter((e) => /request|\/api\/v1\//.test(e.msg));
    expect(perRequest.length).toBeGreaterThan(0);
    expect(perRequest.filter((e) => e.level >= 30)).toEqual([]);
    expect(entries.some((e) => e.level === 20 && e.msg.startsWith("GET /api/v1/report-types 200"))).toBe(true);
  });
});

describe("who sees whole ID numbers", () => {
  it("shows them whole to the tax officer and the reporter who filed, masked to coordinators, admins and colleagues", async () => {
    api = await createTestApi();
    const a = api;
    const unit = await makeUnit(a.t.deps, { type: "village" });
    const author = (await makeUser(a.t.deps, { roles: ["reporter"], unit })).token;
    const colleague = (await makeUser(a.t.deps, { roles: ["reporter"], unit })).token;
    const officer = (await makeUser(a.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    const coordinator = (await makeUser(a.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
    const admin = (await makeUser(a.t.deps, { roles: ["admin", "coordinator"], unitType: "tax_bureau" })).token;
    const [rental] = personalEventData();
    const filed = await a.app.inject({ method: "POST", url: "/api/v1/reports", payload: { type: "rental", clientId: clientId(), data: rental!.data }, headers: bearer(author) });
    const id = filed.json().id as string;
    const view = async (token: string) => (await a.app.inject({ method: "GET", url: `/api/v1/reports/${id}`, headers: bearer(token) })).json();

    const full = { landlordIdNo: PERSONAL.landlordIdNo, landlordName: PERSONAL.landlordName, tenantIdNo: PERSONAL.tenantIdNo, tenantName: PERSONAL.tenantName };
    const masked = { landlordIdNo: "1101**********" + PERSONAL.landlordIdNo.slice(-4), landlordName: "欧**辉", tenantIdNo: "3101**********" + PERSONAL.tenantIdNo.slice(-4), tenantName: "司**菊" };
    expect((await view(officer)).data).toMatchObject(full);
    expect((await view(author)).data).toMatchObject(full);
    for (const token of [colleague, coordinator, admin]) {
      const v = await view(token);
      expect(v.data).toMatchObject(masked);
      expect(v.summary).not.toContain(PERSONAL.tenantName);
      expect(JSON.stringify(v)).not.toContain(PERSONAL.landlordIdNo);
    }
    const inbox = await a.app.inject({ method: "GET", url: "/api/v1/reports/inbox", headers: bearer(officer) });
    expect(inbox.json().reports[0].data).toMatchObject(full);
    const mine = await a.app.inject({ method: "GET", url: "/api/v1/reports/mine", headers: bearer(author) });
    expect(mine.json().reports[0].data).toMatchObject(full);

    // A colleague's duplicate hint shows their unit's summary, masked.
    const hint = await a.app.inject({ method: "POST", url: "/api/v1/reports/duplicates", payload: { type: "rental", data: rental!.data }, headers: bearer(colleague) });
    expect(hint.json().duplicates[0].summary).toContain("司**菊");
    expect(JSON.stringify(hint.json())).not.toContain(PERSONAL.tenantName);

    // Exports: whole for the tax officer, masked for coordinators and admins.
    const exportCsv = async (token: string) => (await a.app.inject({ method: "GET", url: "/api/v1/reports/export?type=rental&period=2026-11&format=csv", headers: bearer(token) })).body;
    expect(await exportCsv(officer)).toContain(PERSONAL.landlordIdNo);
    for (const token of [coordinator, admin]) {
      const csv = await exportCsv(token);
      expect(csv).toContain(masked.landlordIdNo);
      expect(csv).not.toContain(PERSONAL.landlordIdNo);
      expect(csv).not.toContain(PERSONAL.landlordName);
    }
  });

  it("masks feed rows for coordinators and whole for the tax officer", async () => {
    api = await createTestApi();
    const a = api;
    const { feed, unitType } = FEEDS_WITH_UNITS.find((f) => f.feed.code === "feed_property_transfers")!;
    const uploader = (await makeUser(a.t.deps, { roles: ["reporter"], unitType })).token;
    const officer = (await makeUser(a.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    const coordinator = (await makeUser(a.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
    const up = await a.app.inject({ method: "POST", url: `/api/v1/reports/feeds/${feed.code}/2026-10`, payload: personalFeedCsv(feed), headers: { ...bearer(uploader), "content-type": "text/csv" } });
    expect(up.statusCode).toBe(201);
    const rows = async (token: string) => (await a.app.inject({ method: "GET", url: `/api/v1/reports/${up.json().id}/rows`, headers: bearer(token) })).json().rows[0].data;
    expect(await rows(officer)).toMatchObject({ transferorIdNo: PERSONAL.feedIdNo, transferee: PERSONAL.feedName });
    expect(await rows(coordinator)).toMatchObject({ transferorIdNo: `${PERSONAL.feedIdNo.slice(0, 4)}**********${PERSONAL.feedIdNo.slice(-4)}`, transferee: "上**飞" });
    const xlsx = await a.app.inject({ method: "GET", url: `/api/v1/reports/export?type=${feed.code}&period=2026-10&format=csv`, headers: bearer(coordinator) });
    expect(xlsx.body).not.toContain(PERSONAL.feedIdNo);
    expect(xlsx.body).not.toContain(PERSONAL.feedName);
  });
});
