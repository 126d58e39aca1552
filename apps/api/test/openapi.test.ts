import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteOptions } from "fastify";
import { createTestApi, type TestApi } from "./helpers.ts";

// Issue 7, point 8 (DESIGN.md: "the OpenAPI document at /docs/json describes the body and
// response of every route"). Walks every route the app registers and fails when one is missing
// from the document, has no success response schema, or takes a body without describing it.

/** Routes that are not part of the API: the docs UI itself and the H5 build's static files. */
const NOT_API = (url: string) => url.startsWith("/docs") || url === "/" || url === "/*";

/** Raw-upload routes: no JSON body; they must instead document their content types as binary. */
const RAW_UPLOADS = new Set(["POST /api/v1/reports/feeds/{type}/{period}", "POST /api/v1/reports/{id}/photos", "POST /api/v1/clearances/import", "POST /api/v1/quiz/questions/import", "POST /api/v1/tips/evidence", "POST /api/v1/targets/import"]);

type Operation = {
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
};

describe("the OpenAPI document", () => {
  let api: TestApi;
  const routes: { method: string; url: string }[] = [];
  let doc: { paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    api = await createTestApi({}, (app) => {
      app.addHook("onRoute", (route: RouteOptions) => {
        for (const method of [route.method].flat()) if (method !== "HEAD") routes.push({ method, url: route.url });
      });
    });
    doc = (await api.app.inject({ method: "GET", url: "/docs/json" })).json();
  });
  afterAll(async () => {
    await api.close();
  });

  const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
  const apiRoutes = () => routes.filter((r) => !NOT_API(r.url));

  it("lists every route the app serves", () => {
    expect(apiRoutes().length).toBeGreaterThan(25);
    const missing = apiRoutes().filter((r) => !doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()]);
    expect(missing).toEqual([]);
  });

  it("describes a success response with a schema for every route", () => {
    const lacking = apiRoutes().filter((r) => {
      const op = doc.paths[openApiPath(r.url)]![r.method.toLowerCase()]!;
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      // 204 has no content by definition; anything else must say what it returns.
      return success.length === 0 || success.some(([status, res]) => status !== "204" && !Object.values(res.content ?? {}).some((c) => c.schema));
    });
    expect(lacking.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it("describes the body of every route that takes one: JSON schemas, or binary content types for uploads", () => {
    const lacking: string[] = [];
    for (const r of apiRoutes().filter((r) => r.method === "POST" || r.method === "PUT" || r.method === "PATCH")) {
      const key = `${r.method} ${openApiPath(r.url)}`;
      const content = doc.paths[openApiPath(r.url)]![r.method.toLowerCase()]!.requestBody?.content ?? {};
      if (RAW_UPLOADS.has(key)) {
        const types = Object.keys(content);
        if (types.length === 0 || types.includes("application/json") || types.some((t) => content[t]!.schema?.format !== "binary")) lacking.push(key);
      } else if (!content["application/json"]?.schema) {
        lacking.push(key);
      }
    }
    expect(lacking).toEqual([]);
  });

  it("documents POST /reports and POST /clearances/check with their fields", () => {
    const reports = doc.paths["/api/v1/reports"]!.post!;
    expect(Object.keys((reports.requestBody!.content!["application/json"]!.schema as { properties: object }).properties)).toEqual(["type", "clientId", "data"]);
    expect(Object.keys(reports.responses!)).toEqual(expect.arrayContaining(["200", "201"]));
    const check = doc.paths["/api/v1/clearances/check"]!.post!;
    expect((check.requestBody!.content!["application/json"]!.schema as { properties: object }).properties).toHaveProperty("kind");
    expect((check.responses!["200"]!.content!["application/json"]!.schema as { properties: object }).properties).toHaveProperty("results");
  });

  it("documents the error body on every API route", () => {
    const lacking = apiRoutes().filter((r) => r.url.startsWith("/api/") && !doc.paths[openApiPath(r.url)]![r.method.toLowerCase()]!.responses?.["4XX"]);
    expect(lacking.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });
});
