import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ClearanceCheckSchema } from "@xieshui/core";
import { AppError, checkClearance, importClearances, listChecks, unusualCheckers } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { registerUpload } from "../plugins/uploads.ts";
import { bodyValidatedByUseCase, responseDocumentedOnly } from "../plugins/validation.ts";
import { CheckLogSchema, ClearanceCheckResultSchema, ClearanceImportSummarySchema, UnusualCheckersSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

/** Upload types accepted by POST /clearances/import; the body is streamed to the importer, never buffered. */
const UPLOAD_TYPES = ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"];

const ImportQuerySchema = z.object({
  fileName: z.string().trim().min(1).max(200).default("upload.csv"),
  dryRun: z.enum(["0", "1", "true", "false"]).optional(),
});

/** The AppError for an import over the configured cap (413, naming it). */
export function importTooLarge(maxBytes: number): () => AppError {
  return () => new AppError("payload_too_large", { reason: "import_too_large", messageKey: "upload-too-large", params: { mb: Math.floor(maxBytes / 1024 / 1024) } });
}

/**
 * Clearance checks (checkers; the hot path: the body schema documents the route, and the use-case
 * validates, audits and rate-limits every attempt itself, on its quick path), check oversight
 * (coordinators, tax officers) and the import upload (coordinators, tax officers, admins), whose
 * body streams to the importer under the configured size cap.
 */
export const clearanceRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, config, auth }) => {
  const security = [{ bearerAuth: [] }];
  app.post(
    "/clearances/check",
    {
      onRequest: auth.required,
      ...bodyValidatedByUseCase,
      ...responseDocumentedOnly,
      schema: {
        tags: ["clearances"],
        security,
        summary: "Check a vehicle's (this year and last) or a property transfer's tax clearance",
        body: ClearanceCheckSchema,
        response: { 200: ClearanceCheckResultSchema },
      },
    },
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
        response: { 200: CheckLogSchema },
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
        response: { 200: UnusualCheckersSchema },
      },
    },
    async (request) => {
      const q = request.query;
      return unusualCheckers(deps, actorOf(request), { ...(q.days ? { days: q.days } : {}), ...(q.factor ? { factor: q.factor } : {}), ...(q.min !== undefined ? { minChecks: q.min } : {}) });
    },
  );

  // The upload: raw CSV/XLSX body (Content-Type text/csv or the XLSX type), ?fileName=&dryRun=1.
  registerUpload(app, {
    url: "/clearances/import",
    contentTypes: UPLOAD_TYPES,
    maxBytes: config.clearanceImportMaxBytes,
    tooLarge: importTooLarge(config.clearanceImportMaxBytes),
    body: "stream",
    onRequest: auth.roles("coordinator", "tax_officer", "admin"),
    schema: {
      tags: ["clearances"],
      security,
      summary: `Import the tax bureau's clearance export: raw CSV/XLSX body (at most ${Math.floor(config.clearanceImportMaxBytes / 1024 / 1024)} MB, CLEARANCE_IMPORT_MAX_MB), ?fileName=&dryRun=1`,
      querystring: ImportQuerySchema,
      response: { 200: ClearanceImportSummarySchema },
    },
    handler: async (request) => {
      const query = request.query as z.infer<typeof ImportQuerySchema>;
      const dryRun = query.dryRun === "1" || query.dryRun === "true";
      return importClearances(deps, actorOf(request), { stream: request.body as AsyncIterable<Buffer>, fileName: query.fileName }, { dryRun, locale: localeOf(request) });
    },
  });
};
