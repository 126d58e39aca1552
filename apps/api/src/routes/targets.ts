import type { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { TargetProgressQuerySchema, TaxFigureImportQuerySchema } from "@xieshui/core";
import { AppError, importTaxFigures, targetProgress, TAX_FIGURE_IMPORT_MAX_BYTES } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { registerUpload } from "../plugins/uploads.ts";
import { TargetProgressSchema, TaxFigureImportSummarySchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

/** Upload types of POST /targets/import (as the clearance import): the body streams to the importer, never buffered. */
const UPLOAD_TYPES = ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"];

const tooLarge = () => new AppError("payload_too_large", { reason: "import_too_large", messageKey: "upload-too-large", params: { mb: Math.floor(TAX_FIGURE_IMPORT_MAX_BYTES / 1024 / 1024) } });

/**
 * Targets for the locally retained taxes (tax officers, coordinators, admins): the upload of a
 * targets or actuals file (raw CSV/XLSX body, ?kind=targets|actuals&fileName=&dryRun=1, under a
 * 5 MB cap checked on Content-Length and while streaming) and the progress view of a year.
 */
export const targetRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const security = [{ bearerAuth: [] }];
  const tags = ["targets"];
  const allowed = auth.roles("tax_officer", "coordinator", "admin");

  app.get(
    "/targets/progress",
    { onRequest: allowed, schema: { tags, security, summary: "Progress against the yearly targets for ?year=2026 (&asOf=2026-11): per town and tax, and the district total", querystring: TargetProgressQuerySchema, response: { 200: TargetProgressSchema } } },
    async (request) => targetProgress(deps, actorOf(request), request.query, { locale: localeOf(request) }),
  );

  registerUpload(app, {
    url: "/targets/import",
    contentTypes: UPLOAD_TYPES,
    maxBytes: TAX_FIGURE_IMPORT_MAX_BYTES,
    tooLarge,
    body: "stream",
    onRequest: allowed,
    schema: {
      tags,
      security,
      summary: `Import yearly targets or monthly actuals from the tax bureau: raw CSV/XLSX body (at most ${TAX_FIGURE_IMPORT_MAX_BYTES / 1024 / 1024} MB), ?kind=targets|actuals&fileName=&dryRun=1`,
      querystring: TaxFigureImportQuerySchema,
      response: { 200: TaxFigureImportSummarySchema },
    },
    handler: async (request) => {
      const query = request.query as z.infer<typeof TaxFigureImportQuerySchema>;
      const dryRun = query.dryRun === "1" || query.dryRun === "true";
      return importTaxFigures(deps, actorOf(request), { stream: request.body as AsyncIterable<Buffer>, fileName: query.fileName }, { kind: query.kind, dryRun, locale: localeOf(request) });
    },
  });
};
