import type { Readable } from "node:stream";
import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AppError, checkClearance, importClearances, listChecks, unusualCheckers } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import type { RouteContext } from "./context.ts";

/** Upload types accepted by POST /clearances/import; the body is streamed to the importer, never buffered. */
const UPLOAD_TYPES = ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"];

const ImportQuerySchema = z.object({
  fileName: z.string().trim().min(1).max(200).default("upload.csv"),
  dryRun: z.enum(["0", "1", "true", "false"]).optional(),
});

/**
 * Clearance checks (checkers; the hot path: no body schema, so the use-case validates, audits
 * and rate-limits every attempt itself), check oversight (coordinators, tax officers) and the
 * import upload (coordinators, tax officers, admins).
 */
export const clearanceRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, config, auth }) => {
  const security = [{ bearerAuth: [] }];
  app.post(
    "/clearances/check",
    { onRequest: auth.required, schema: { tags: ["clearances"], security, summary: "Check a vehicle's (this year and last) or a property transfer's tax clearance" } },
    async (request) =>
      checkClearance(deps, actorOf(request), request.body, { rateLimitPerHour: config.checkRateLimitPerHour, locale: localeOf(request) }),
  );

  app.get(
    "/clearances/checks",
    {
      onRequest: auth.roles("coordinator", "tax_officer"),
      schema: {
        tags: ["clearances"],
        security,
        querystring: z.object({ user: z.string().max(64).optional(), unit: z.string().max(40).optional(), day: z.iso.date().optional(), limit: z.coerce.number().int().min(1).max(500).optional() }),
      },
    },
    async (request) => ({ checks: await listChecks(deps, actorOf(request), request.query) }),
  );

  app.get(
    "/clearances/unusual",
    {
      onRequest: auth.roles("coordinator", "tax_officer"),
      schema: {
        tags: ["clearances"],
        security,
        querystring: z.object({ days: z.coerce.number().int().min(1).max(366).optional(), factor: z.coerce.number().min(1).max(100).optional(), min: z.coerce.number().int().min(0).optional() }),
      },
    },
    async (request) => {
      const q = request.query;
      return unusualCheckers(deps, actorOf(request), { ...(q.days ? { days: q.days } : {}), ...(q.factor ? { factor: q.factor } : {}), ...(q.min !== undefined ? { minChecks: q.min } : {}) });
    },
  );

  // The upload: raw CSV/XLSX body (Content-Type text/csv or the XLSX type), ?fileName=&dryRun=1.
  app.addContentTypeParser(UPLOAD_TYPES, (_request, payload, done) => done(null, payload));
  app.post(
    "/clearances/import",
    { onRequest: auth.roles("coordinator", "tax_officer", "admin"), schema: { tags: ["clearances"], security, querystring: ImportQuerySchema } },
    async (request) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as { pipe?: unknown }).pipe !== "function") throw new AppError("unsupported_media_type", { reason: "import_upload_type" });
      const dryRun = request.query.dryRun === "1" || request.query.dryRun === "true";
      return importClearances(deps, actorOf(request), { stream: body, fileName: request.query.fileName }, { dryRun, locale: localeOf(request) });
    },
  );
};
