import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REDACT_PATHS, createInvite, systemActor } from "@xieshui/core/server";
import { makeUnit } from "../../../test/factories/identity.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

describe("API basics", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({}, (app) => {
      app.get("/api/v1/test-boom", async () => {
        throw new Error("secret internal detail");
      });
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it("answers GET /healthz with status ok", async () => {
    const res = await api.app.inject({ method: "GET", url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("answers an unknown API route with a JSON 404 in the contract's error shape", async () => {
    const res = await api.app.inject({ method: "GET", url: "/api/v1/no-such-thing" });
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    expect(res.json().error).toMatchObject({ code: "not_found", message: "找不到要访问的内容" });
  });

  it("answers an unknown POST route outside /api with a JSON 404 too", async () => {
    const res = await api.app.inject({ method: "POST", url: "/nowhere", payload: {} });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("not_found");
  });

  it("rejects malformed JSON with 400 malformed_json, never 500", async () => {
    const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", headers: { "content-type": "application/json" }, payload: '{"code": "ABC' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: "malformed_json", message: "请求内容不是有效的 JSON" });
  });

  it("rejects JSON with a __proto__ key as malformed instead of polluting objects", async () => {
    const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", headers: { "content-type": "application/json" }, payload: '{"code":"K7M2QX9PRT","__proto__":{"admin":true}}' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("malformed_json");
  });

  it("rejects a text/plain body with 415", async () => {
    const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", headers: { "content-type": "text/plain" }, payload: "K7M2QX9PRT" });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe("unsupported_media_type");
  });

  it("rejects a JSON body over 1 MB with 413", async () => {
    const payload = JSON.stringify({ code: "K7M2QX9PRT", name: "x".repeat(1024 * 1024) });
    const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", headers: { "content-type": "application/json" }, payload });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
  });

  it("treats a missing body as invalid input with the missing field named", async () => {
    const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("invalid_input");
    expect(res.json().error.fields).toBeTruthy();
  });

  it("hides a bug behind a 500 internal error without stack or detail", async () => {
    const res = await api.app.inject({ method: "GET", url: "/api/v1/test-boom" });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: "internal", message: "系统出现问题，请稍后再试；数据没有丢失" } });
    expect(res.body).not.toContain("secret internal detail");
    expect(res.body).not.toContain("at ");
  });

  it("localises error messages in English when the client asks for it", async () => {
    const res = await api.app.inject({ method: "GET", url: "/api/v1/nothing", headers: { "accept-language": "en-US,en;q=0.9" } });
    expect(res.json().error.message).toBe("Not found");
  });

  it("marks API responses as not cacheable", async () => {
    const res = await api.app.inject({ method: "GET", url: "/api/v1/me" });
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("publishes an OpenAPI document generated from the route schemas", async () => {
    const res = await api.app.inject({ method: "GET", url: "/docs/json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths["/api/v1/auth/redeem"].post.requestBody.content["application/json"].schema.properties).toHaveProperty("code");
    expect(doc.paths).toHaveProperty("/api/v1/admin/invites");
    const ui = await api.app.inject({ method: "GET", url: "/docs/" });
    expect(ui.statusCode).toBe(200);
  });

  it("explains how to build the H5 app when there is no build", async () => {
    const res = await api.app.inject({ method: "GET", url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.body).toContain("npm run build:h5");
  });
});

describe("serving the H5 build", () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "xieshui-h5-"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>协税通 H5</title><div id=app></div>");
    mkdirSync(join(dir, "js"));
    writeFileSync(join(dir, "js", "app.js"), "console.log('h5')");
    api = await createTestApi({ h5Dir: dir });
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves index.html at /", async () => {
    const res = await api.app.inject({ method: "GET", url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("协税通 H5");
  });

  it("serves the build's static files", async () => {
    const res = await api.app.inject({ method: "GET", url: "/js/app.js" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("console.log");
  });

  it("falls back to index.html for client-side routes", async () => {
    const res = await api.app.inject({ method: "GET", url: "/pages/report/index?type=rental" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("协税通 H5");
  });

  it("answers a missing asset with 404 rather than the app page", async () => {
    const res = await api.app.inject({ method: "GET", url: "/js/missing.js" });
    expect(res.statusCode).toBe(404);
  });

  it("keeps unknown /api paths as JSON 404 even with the SPA fallback", async () => {
    const res = await api.app.inject({ method: "GET", url: "/api/v1/nothing-here" });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("not_found");
  });

  it("still serves the API and health check", async () => {
    expect((await api.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
  });
});

describe("logging", () => {
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.close();
  });

  it("never writes tokens, invite codes or bodies to the log", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = pino({ level: "trace", redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, sink);
    api = await createTestApi({ logger });
    const unit = await makeUnit(api.t.deps);
    const { code } = await createInvite(api.t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    const redeem = await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code, name: "日志测试" } });
    const { token } = redeem.json();
    await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(token) });
    await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code } });
    const log = lines.join("");
    expect(log.length).toBeGreaterThan(0);
    expect(log).toContain("/api/v1/me");
    expect(log).not.toContain(token);
    expect(log).not.toContain(code);
    expect(log).not.toContain("日志测试");
  });
});
