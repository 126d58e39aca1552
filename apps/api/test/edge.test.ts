import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteOptions } from "fastify";
import { constructionPermitsFeed } from "@xieshui/core";
import { makeUser } from "../../../test/factories/identity.ts";
import { makeConstructionCsv, makeRentalData } from "../../../test/factories/reports.ts";
import { makeJpeg } from "../../../test/factories/images.ts";
import { reviewBombXlsx, wideRowsXlsx } from "../../../test/factories/xlsx.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

// Issue 7 at the HTTP edge: non-JSON bodies on JSON routes (point 2), upload size caps while
// streaming and hostile feed files (point 1), upload races (point 6), security headers (point 8)
// and per-IP limits behind a proxy (point 10).

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const MB = 1024 * 1024;

/** A request body that counts what the server pulled from it; `total` bytes of `byte`, in 64 KB chunks. */
function countingBody(total: number, byte = 0x41): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const chunk = Buffer.alloc(64 * 1024, byte);
  const stream = new Readable({
    read() {
      if (pulled >= total) return this.push(null);
      const n = Math.min(chunk.length, total - pulled);
      pulled += n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
  return { stream, pulled: () => pulled };
}

describe("the HTTP edge", { timeout: 60_000 }, () => {
  let api: TestApi;
  let reporter: string;
  let bureau: string;
  let checker: string;
  let coordinator: string;
  const routes: { method: string; url: string }[] = [];

  beforeAll(async () => {
    api = await createTestApi({ clearanceImportMaxBytes: 2 * MB }, (app) => {
      app.addHook("onRoute", (route: RouteOptions) => {
        for (const method of [route.method].flat()) routes.push({ method, url: route.url });
      });
    });
    reporter = (await makeUser(api.t.deps, { roles: ["reporter"], unitType: "village" })).token;
    bureau = (await makeUser(api.t.deps, { roles: ["reporter"], unitType: "construction_bureau" })).token;
    checker = (await makeUser(api.t.deps, { roles: ["checker"], unitType: "traffic_police" })).token;
    coordinator = (await makeUser(api.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
  });
  afterAll(async () => {
    await api.close();
  });

  describe("non-JSON bodies on JSON routes", () => {
    it("answers POST /reports with 1 MB of text/csv with a small 415, not a field per byte", async () => {
      const res = await api.app.inject({ method: "POST", url: "/api/v1/reports", headers: { ...bearer(reporter), "content-type": "text/csv" }, payload: Buffer.alloc(MB, 0x61) });
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe("unsupported_media_type");
      expect(res.body.length).toBeLessThan(1024);
    });

    it("answers POST /clearances/check with text/csv with 415, never listing request internals", async () => {
      const res = await api.app.inject({ method: "POST", url: "/api/v1/clearances/check", headers: { ...bearer(checker), "content-type": "text/csv" }, payload: "kind,key\nvehicle_vessel,豫A12345\n" });
      expect(res.statusCode).toBe(415);
      for (const internal of ["_events", "socket", "rawHeaders", "_readableState"]) expect(res.body).not.toContain(internal);
    });

    it("answers 415 on every JSON route to every upload type and to text/plain", async () => {
      const uploads = new Set(["/api/v1/reports/feeds/:type/:period", "/api/v1/reports/:id/photos", "/api/v1/clearances/import", "/api/v1/tips/evidence", "/api/v1/targets/import"]);
      const jsonPosts = routes.filter((r) => r.method === "POST" && r.url.startsWith("/api/") && !uploads.has(r.url));
      expect(jsonPosts.length).toBeGreaterThan(10);
      const wrong: string[] = [];
      for (const r of jsonPosts) {
        for (const type of ["text/csv", "application/octet-stream", "image/jpeg", XLSX, "text/plain"]) {
          const url = r.url.replace(/:[a-zA-Z]+/g, "x1");
          const res = await api.app.inject({ method: "POST", url, headers: { ...bearer(coordinator), "content-type": type }, payload: Buffer.from("a,b\n1,2\n") });
          if (res.statusCode !== 415 && res.statusCode !== 401 && res.statusCode !== 403) wrong.push(`${r.url} ${type} → ${res.statusCode}`);
          if (res.statusCode === 415 && res.body.length > 1024) wrong.push(`${r.url} ${type}: ${res.body.length} bytes`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it("answers 400 to a JSON body carrying U+0000 anywhere, on every database, and keeps a literal backslash-u text", async () => {
      const staff = (await makeUser(api.t.deps, { roles: ["tip_handler"], unitType: "tax_bureau" })).token;
      for (const payload of ['{"ids":["a\\u0000b"]}', '{"ids":["x"],"reason":"ok\\u0000"}', '{"ids\\u0000":["x"]}']) {
        const res = await api.app.inject({ method: "POST", url: "/api/v1/tip-inbox/spam", headers: { ...bearer(staff), "content-type": "application/json" }, payload });
        expect([res.statusCode, res.json().error.code], payload).toEqual([400, "invalid_input"]);
      }
      // An escaped backslash followed by "u0000" is six ordinary characters, not a NUL.
      const literal = await api.app.inject({ method: "POST", url: "/api/v1/tip-inbox/spam", headers: { ...bearer(staff), "content-type": "application/json" }, payload: '{"ids":["x"],"reason":"\\\\u0000"}' });
      expect(literal.statusCode).not.toBe(500);
      expect(literal.json().error?.reason).not.toBe("body_has_nul");
    });

    it("answers 415 to a JSON body on an upload route", async () => {
      const res = await api.app.inject({ method: "POST", url: "/api/v1/clearances/import", headers: bearer(coordinator), payload: { rows: [] } });
      expect(res.statusCode).toBe(415);
    });

    it("caps validation errors at 20 fields and keeps the answer small", async () => {
      const data = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`field${i}`, i]));
      const res = await api.app.inject({ method: "POST", url: "/api/v1/reports", headers: bearer(reporter), payload: { type: "rental", clientId: "draft-many-fields", data, ...Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`extra${i}`, 1])) } });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().error.fields).length).toBeLessThanOrEqual(20);
      expect(res.body.length).toBeLessThan(8 * 1024);
    });
  });

  describe("upload caps", () => {
    const upload = (path: string, body: Readable | Buffer, type = "text/csv", headers: Record<string, string> = {}) =>
      api.app.inject({ method: "POST", url: `/api/v1/${path}`, headers: { ...bearer(bureau), "content-type": type, ...headers }, payload: body });

    it("refuses a feed declaring more than 50 MB with 413 before reading its body", async () => {
      const body = countingBody(60 * MB);
      const res = await upload("reports/feeds/feed_construction_permits/2026-10", body.stream, "text/csv", { "content-length": String(60 * MB) });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.message).toContain("50 MB");
      expect(res.headers.connection).toBe("close");
      expect(body.pulled()).toBeLessThan(MB);
    });

    it("answers an over-cap upload over a real socket while the client is still sending, then closes", async () => {
      await api.app.listen({ port: 0, host: "127.0.0.1" });
      const { port } = api.app.server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/v1/reports/feeds/feed_construction_permits/2026-10", headers: { ...bearer(bureau), "content-type": "text/csv" } });
        req.on("response", (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        // Chunked, no Content-Length: a header, then 51 MB of blank lines in ~64 KB writes.
        const chunk = Buffer.from(`${" ".repeat(900)}\n`.repeat(72));
        req.write(`${constructionPermitsFeed.columns.map((c) => c.header).join(",")}\n`);
        let sent = 0;
        const pump = () => {
          while (sent < 51 * MB) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          req.end();
        };
        req.on("error", () => {});
        pump();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe("payload_too_large");
    });

    it("refuses a clearance import over its configured cap with 413, declared or not, and names the cap", async () => {
      const declared = countingBody(3 * MB);
      const first = await api.app.inject({
        method: "POST",
        url: "/api/v1/clearances/import?fileName=big.csv&dryRun=1",
        headers: { ...bearer(coordinator), "content-type": "text/csv", "content-length": String(3 * MB) },
        payload: declared.stream,
      });
      expect(first.statusCode).toBe(413);
      expect(declared.pulled()).toBeLessThan(MB);
      // No Content-Length (chunked): counted while it streams into the importer, refused at the cap.
      const chunked = countingBody(64 * MB, 0x0a);
      const second = await api.app.inject({ method: "POST", url: "/api/v1/clearances/import?fileName=big.csv&dryRun=1", headers: { ...bearer(coordinator), "content-type": "text/csv" }, payload: chunked.stream });
      expect(second.statusCode).toBe(413);
      expect(second.json().error.message).toBe("上传的文件太大（不能超过 2 MB）");
      expect(chunked.pulled()).toBeLessThan(4 * MB);
    });

    it("has a 200 MB clearance import cap by default", async () => {
      const plain = await createTestApi();
      try {
        const coord = (await makeUser(plain.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
        const body = countingBody(201 * MB);
        const res = await plain.app.inject({
          method: "POST",
          url: "/api/v1/clearances/import?fileName=big.csv",
          headers: { ...bearer(coord), "content-type": "text/csv", "content-length": String(201 * MB), "accept-language": "en" },
          payload: body.stream,
        });
        expect(res.statusCode).toBe(413);
        expect(res.json().error.message).toBe("The file is too large (at most 200 MB)");
        expect(body.pulled()).toBeLessThan(MB);
      } finally {
        await plain.close();
      }
    });

    it("refuses the review's 1,000 × 16,384-cell XLSX with a 400 and keeps serving", async () => {
      const res = await upload("reports/feeds/feed_construction_permits/2026-10", await reviewBombXlsx(), XLSX);
      expect(res.statusCode).toBe(400);
      expect((await api.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
      const wide = await upload("reports/feeds/feed_construction_permits/2026-10", await wideRowsXlsx(constructionPermitsFeed.columns.map((c) => c.header)), XLSX, { "accept-language": "en" });
      expect(wide.statusCode).toBe(400);
      expect(wide.json().error.message).toBe("A file may have at most 64 columns; line 2 has 16384. Nothing was saved");
    });

    it("still takes a valid feed as a stream", async () => {
      const res = await upload("reports/feeds/feed_construction_permits/2026-09", Readable.from([Buffer.from(makeConstructionCsv())]));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ rows: 2, format: "csv" });
    });
  });

  describe("upload races", () => {
    it("answers two concurrent uploads of the same photo without a 500, storing it once", async () => {
      const own = (await makeUser(api.t.deps, { roles: ["reporter"], unitType: "village" })).token;
      const filed = await api.app.inject({ method: "POST", url: "/api/v1/reports", headers: bearer(own), payload: { type: "rental", clientId: "draft-photo-race", data: makeRentalData() } });
      const { id } = filed.json();
      const photo = await makeJpeg();
      const post = () => api.app.inject({ method: "POST", url: `/api/v1/reports/${id}/photos`, headers: { ...bearer(own), "content-type": "image/jpeg" }, payload: photo });
      const answers = await Promise.all([post(), post(), post()]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 201]);
      expect(await api.t.db.prisma.reportPhoto.count({ where: { reportId: id } })).toBe(1);
    });
  });

  describe("security headers", () => {
    it("sends CSP, nosniff, frame and referrer policies on JSON, error and page responses", async () => {
      const responses = await Promise.all([
        api.app.inject({ method: "GET", url: "/healthz" }),
        api.app.inject({ method: "GET", url: "/api/v1/me" }),
        api.app.inject({ method: "GET", url: "/api/v1/no-such-route" }),
        api.app.inject({ method: "POST", url: "/api/v1/reports", headers: { ...bearer(reporter), "content-type": "text/csv" }, payload: "x" }),
        api.app.inject({ method: "GET", url: "/" }),
      ]);
      for (const res of responses) {
        expect(res.headers["x-content-type-options"]).toBe("nosniff");
        expect(res.headers["referrer-policy"]).toBe("no-referrer");
        const csp = String(res.headers["content-security-policy"]);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).toContain("frame-ancestors 'self' https://web.telegram.org");
        expect(csp).not.toContain("unsafe-eval");
        expect(csp).not.toContain("upgrade-insecure-requests");
      }
    });
  });
});

describe("per-IP limits behind a proxy", () => {
  const redeem = (api: TestApi, forwardedFor: string) =>
    api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": forwardedFor }, payload: { code: "ZZZZZZZZZZ" } });

  it("counts each client behind a trusted proxy on its own", async () => {
    const api = await createTestApi({ authAttemptsPerMinute: 3, trustProxy: "127.0.0.1" });
    try {
      for (let i = 0; i < 3; i++) expect((await redeem(api, "203.0.113.7")).statusCode).not.toBe(429);
      const limited = await redeem(api, "203.0.113.7");
      expect(limited.statusCode).toBe(429);
      expect(limited.headers["retry-after"]).toBeDefined();
      expect(limited.json().error).toMatchObject({ code: "rate_limited", reason: "too_many_attempts" });
      // Another client behind the same proxy still has its own budget.
      expect((await redeem(api, "198.51.100.9")).statusCode).not.toBe(429);
    } finally {
      await api.close();
    }
  });

  it("ignores X-Forwarded-For from an untrusted peer, so a client cannot pick a fresh address", async () => {
    const api = await createTestApi({ authAttemptsPerMinute: 3 });
    try {
      for (let i = 0; i < 3; i++) expect((await redeem(api, `203.0.113.${i}`)).statusCode).not.toBe(429);
      expect((await redeem(api, "198.51.100.9")).statusCode).toBe(429);
    } finally {
      await api.close();
    }
  });

  it("shares one budget across the code-guessing routes", async () => {
    const api = await createTestApi({ authAttemptsPerMinute: 2 });
    try {
      expect((await redeem(api, "x")).statusCode).not.toBe(429);
      expect((await api.app.inject({ method: "POST", url: "/api/v1/auth/link", payload: { code: "ZZZZZZZZ" } })).statusCode).not.toBe(429);
      expect((await api.app.inject({ method: "POST", url: "/api/v1/auth/link", payload: { code: "ZZZZZZZZ" } })).statusCode).toBe(429);
    } finally {
      await api.close();
    }
  });
});
