import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { z } from "zod";
import type { RouteOptions } from "fastify";
import { describeReportType, REPORT_TYPES, ROLES } from "@xieshui/core";
import { createInvite, systemActor } from "@xieshui/core/server";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { makeRentalData } from "../../../test/factories/reports.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

// Issue 7: a fuzz test per JSON route. Bodies come from each route's own zod schema (through
// z.toJSONSchema, so they are mostly valid or nearly valid), from mutations of those, and from
// hostile generic JSON. Every answer must be below 500 and small.

const RUNS = 1_000;
const MAX_RESPONSE_BYTES = 16 * 1024;

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
};

const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "\u202e\u200b\ufeff",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "${7*7}{{7*7}}",
  "../../../../etc/passwd",
  "=HYPERLINK(\"x\")",
  "豫Ａ１２３４５",
  "🚗".repeat(300),
  "x".repeat(70_000),
  "410106198001010010",
];

/** Hostile values of any JSON type. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.array(fc.constantFrom(...HOSTILE_STRINGS), { maxLength: 50 }),
  fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 60 }),
);

/** A fast-check arbitrary for values of a JSON Schema (the subset z.toJSONSchema writes). */
function fromSchema(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  if (!schema || Object.keys(schema).length === 0) return fc.jsonValue({ maxDepth: 2 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map(fromSchema));
  if (schema.allOf?.[0]) return fromSchema(schema.allOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 300) });
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({ min: schema.exclusiveMinimum ?? schema.minimum ?? -1e6, max: schema.maximum ?? 1e9, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(fromSchema(schema.items), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 20) });
    case "object": {
      const props = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromSchema(v)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Schema-derived bodies, the same with one property replaced by something hostile, and hostile JSON. */
function bodies(schemaArb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const mutated = fc.tuple(schemaArb, fc.string({ maxLength: 12 }), hostile).map(([body, key, value]) => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) return value;
    const keys = Object.keys(body);
    const target = keys.length && key.length % 2 === 0 ? keys[key.length % keys.length]! : key;
    return { ...body, [target]: value };
  });
  return fc.oneof({ arbitrary: schemaArb, weight: 5 }, { arbitrary: mutated, weight: 3 }, { arbitrary: hostile, weight: 2 });
}

/** POST /reports: a real report type and data from that type's JSON Schema, so bodies go deep. */
const reportBodies = fc.oneof(
  ...REPORT_TYPES.map((t) =>
    fc.record({
      type: fc.constant(t.code),
      clientId: fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/),
      data: fromSchema(describeReportType(t).jsonSchema as JsonSchema),
    }),
  ),
  fc.constant({ type: "rental", clientId: "fuzz-valid-rental", data: makeRentalData() }),
);

describe("fuzzing every JSON route", { timeout: 240_000 }, () => {
  let api: TestApi;
  let token: string;
  let logoutToken: string;
  let reportId: string;
  let inviteId: string;
  const jsonRoutes: { url: string; body: z.ZodType }[] = [];

  beforeAll(async () => {
    api = await createTestApi({}, (app) => {
      app.addHook("onRoute", (route: RouteOptions) => {
        const body = (route.schema as { body?: unknown } | undefined)?.body;
        const consumes = (route.schema as { consumes?: string[] } | undefined)?.consumes;
        if (route.method === "POST" && body instanceof z.ZodType && !consumes) jsonRoutes.push({ url: route.url, body });
      });
    });
    // One user holding every role, so each route goes past its role check into its use-case.
    const unit = await makeUnit(api.t.deps, { type: "village" });
    token = (await makeUser(api.t.deps, { roles: [...ROLES], unit })).token;
    logoutToken = (await makeUser(api.t.deps, { roles: ["reporter"], unit })).token;
    const filed = await api.app.inject({ method: "POST", url: "/api/v1/reports", headers: bearer(token), payload: { type: "rental", clientId: "fuzz-report-1", data: makeRentalData() } });
    reportId = filed.json().id;
    inviteId = (await createInvite(api.t.deps, systemActor("test"), { unit, roles: ["reporter"] })).invite.id;
  });
  afterAll(async () => {
    await api.close();
  });

  it("finds every JSON route", () => {
    expect(jsonRoutes.map((r) => r.url).sort()).toEqual(
      expect.arrayContaining(["/api/v1/auth/redeem", "/api/v1/reports", "/api/v1/clearances/check", "/api/v1/reports/feeds/nil", "/api/v1/reports/:id/review", "/api/v1/admin/invites"]),
    );
  });

  it(`answers ${RUNS} generated bodies per JSON route below 500 and under 16 KB`, async () => {
    const failures: string[] = [];
    for (const route of jsonRoutes) {
      const url = route.url.replace(":id", route.url.startsWith("/api/v1/admin") ? inviteId : reportId);
      const auth = route.url === "/api/v1/auth/logout" ? bearer(logoutToken) : bearer(token);
      const schemaArb = route.url === "/api/v1/reports" ? reportBodies : fromSchema(z.toJSONSchema(route.body, { io: "input", unrepresentable: "any" }) as JsonSchema);
      await fc.assert(
        fc.asyncProperty(bodies(schemaArb), async (body) => {
          const res = await api.app.inject({ method: "POST", url, headers: { ...auth, "content-type": "application/json" }, payload: JSON.stringify(body) ?? "null" });
          if (res.statusCode >= 500 || res.rawPayload.length >= MAX_RESPONSE_BYTES) {
            failures.push(`${route.url} ${res.statusCode} ${res.rawPayload.length}B ← ${JSON.stringify(body).slice(0, 300)}`);
            return false;
          }
          return true;
        }),
        { numRuns: RUNS, endOnFailure: true },
      ).catch(() => {});
    }
    expect(failures).toEqual([]);
  });
});
