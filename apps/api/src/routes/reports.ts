import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  cstDate,
  describeReportType,
  duePeriod,
  FeedFilingSchema,
  FindDuplicatesSchema,
  PossibleDuplicatesSchema,
  REPORT_TYPES,
  reportTypesForUnit,
  ReviewReportSchema,
  SubmitReportSchema,
  UnitTypeSchema,
} from "@xieshui/core";
import {
  addReportPhoto,
  AppError,
  defaultOversightPeriod,
  authenticate,
  exportReports,
  fileNilReport,
  findPossibleDuplicates,
  getReport,
  listFeedRows,
  listReportPhotos,
  readReportPhoto,
  reportTimeliness,
  listMyReports,
  feedTooLarge,
  MAX_FEED_BYTES,
  MAX_PHOTO_BYTES,
  missingFeeds,
  reviewInbox,
  reviewReport,
  submitReport,
  unitFeedStatus,
  uploadFeed,
  type ReportView,
} from "@xieshui/core/server";
import { actorOf, bearerToken } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { registerUpload } from "../plugins/uploads.ts";
import { bodyValidatedByUseCase } from "../plugins/validation.ts";
import {
  FeedRowsSchema,
  FeedStatusSchema,
  FeedUploadedSchema,
  MissingFeedsSchema,
  PhotoListSchema,
  PhotoStoredSchema,
  ReportBriefSchema,
  ReportListSchema,
  ReportTypesSchema,
  ReportViewSchema,
  TimelinessSchema,
} from "../schemas.ts";
import type { RouteContext } from "./context.ts";

const FILE_TYPES = ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel", "application/octet-stream"];
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"];
// Typed any: the handler sends a Buffer, which Fastify passes through unserialised.
const Binary = z.any().meta({ type: "string", format: "binary" });
const binaryResponse = (description: string, types: string[]) => ({ description, content: Object.fromEntries(types.map((t) => [t, { schema: Binary }])) });

/** The contract's answer to POST /reports (plus the duplicate flag, so the client can say so). */
const brief = (r: ReportView) => ({ id: r.id, status: r.status, timeliness: r.timeliness, possibleDuplicateOf: r.possibleDuplicateOf });

const photoTooLarge = () => new AppError("payload_too_large", { reason: "photo_too_large", messageKey: "photo-too-large", params: { mb: MAX_PHOTO_BYTES / 1024 / 1024 } });

/**
 * Reports: the type registry (public, so forms can be built before sign-in), filing and the
 * idempotent retry, duplicates, "my reports", the tax officer's inbox and review, feed uploads and
 * 本期无, completeness, photos and exports. Use-cases validate and localise; routes only translate.
 */
export const reportRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const security = [{ bearerAuth: [] }];
  const tags = ["reports"];
  app.get(
    "/report-types",
    { schema: { tags, summary: "Report types with field specs, labels and a JSON Schema per type", querystring: z.object({ unitType: UnitTypeSchema.optional() }), response: { 200: ReportTypesSchema } } },
    async (request) => {
      // Signed-in reporters get their own unit's types unless they ask for a unit type.
      const actor = request.query.unitType ? null : await authenticate(deps, bearerToken(request));
      const unitType = request.query.unitType ?? actor?.unit.type;
      const types = unitType ? reportTypesForUnit(unitType) : REPORT_TYPES;
      return { types: types.map((t) => describeReportType(t)) };
    },
  );

  app.post(
    "/reports",
    {
      onRequest: auth.required,
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "File a report; the same clientId again returns the first", body: SubmitReportSchema, response: { 200: ReportBriefSchema, 201: ReportBriefSchema } },
    },
    async (request, reply) => {
      const { created, report } = await submitReport(deps, actorOf(request), request.body, { locale: localeOf(request) });
      return reply.status(created ? 201 : 200).send(brief(report));
    },
  );

  app.get(
    "/reports/mine",
    { onRequest: auth.required, schema: { tags, security, querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).optional(), cursor: z.string().max(40).optional() }), response: { 200: ReportListSchema } } },
    async (request) => ({ reports: await listMyReports(deps, actorOf(request), request.query) }),
  );

  // A POST body, not a query string: the key fields hold ID numbers, and URLs end up in logs and proxies.
  app.post(
    "/reports/duplicates",
    {
      onRequest: auth.required,
      schema: {
        tags,
        security,
        summary: "Earlier reports of the same fact ({ type, data: the draft's key fields }); only for reporters whose unit files the type",
        body: FindDuplicatesSchema,
        response: { 200: PossibleDuplicatesSchema },
      },
    },
    async (request) => ({ duplicates: await findPossibleDuplicates(deps, actorOf(request), request.body, { locale: localeOf(request) }) }),
  );

  app.get("/reports/inbox", { onRequest: auth.roles("tax_officer"), schema: { tags, security, summary: "?type=&unit=&status=&period=&limit=&cursor=", response: { 200: ReportListSchema } } }, async (request) => ({
    reports: await reviewInbox(deps, actorOf(request), request.query, { locale: localeOf(request) }),
  }));

  app.get(
    "/reports/missing",
    { onRequest: auth.roles("tax_officer", "coordinator", "admin"), schema: { tags, security, querystring: z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }), response: { 200: MissingFeedsSchema } } },
    async (request) => ({ missing: await missingFeeds(deps, actorOf(request), request.query.period) }),
  );

  app.get(
    "/reports/timeliness",
    {
      onRequest: auth.roles("tax_officer", "coordinator", "admin"),
      schema: { tags, security, summary: "Per-unit on time / late / overdue for a period (default: the current month if it has reports, else the period due now)", querystring: z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() }), response: { 200: TimelinessSchema } },
    },
    async (request) => {
      const period = request.query.period ?? (await defaultOversightPeriod(deps, actorOf(request)));
      return { period, units: await reportTimeliness(deps, actorOf(request), period) };
    },
  );

  app.get(
    "/reports/export",
    {
      onRequest: auth.roles("tax_officer", "coordinator", "admin"),
      schema: {
        tags,
        security,
        summary: "?type=&period=YYYY-MM&format=csv|xlsx",
        response: { 200: binaryResponse("The export file (attachment)", ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]) },
      },
    },
    async (request, reply) => {
      const out = await exportReports(deps, actorOf(request), request.query, { locale: localeOf(request) });
      return reply.type(out.contentType).header("content-disposition", `attachment; filename="${out.fileName}"`).send(out.body);
    },
  );

  app.get(
    "/reports/feeds/status",
    {
      onRequest: auth.roles("reporter"),
      schema: {
        tags,
        security,
        summary: "The unit's periodic feeds for a period (default: the one due this month): filed by anyone of the unit, or missing",
        querystring: z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() }),
        response: { 200: FeedStatusSchema },
      },
    },
    async (request) => {
      const period = request.query.period ?? duePeriod(deps.clock.now());
      return { period, today: cstDate(deps.clock.now()), feeds: await unitFeedStatus(deps, actorOf(request), period) };
    },
  );

  app.post(
    "/reports/feeds/nil",
    {
      onRequest: auth.required,
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "本期无: { type, period, clientId? }", body: FeedFilingSchema, response: { 200: ReportBriefSchema, 201: ReportBriefSchema } },
    },
    async (request, reply) => {
      const { created, report } = await fileNilReport(deps, actorOf(request), request.body, { locale: localeOf(request) });
      return reply.status(created ? 201 : 200).send(brief(report));
    },
  );

  // The feed file streams into the reader worker; nothing holds it whole here.
  const FeedUploadParams = z.object({ type: z.string().max(60), period: z.string().max(20) });
  const FeedUploadQuery = z.object({ fileName: z.string().max(200).optional(), clientId: z.string().max(64).optional() });
  registerUpload(app, {
    url: "/reports/feeds/:type/:period",
    contentTypes: FILE_TYPES,
    maxBytes: MAX_FEED_BYTES,
    tooLarge: feedTooLarge,
    body: "stream",
    onRequest: auth.required,
    schema: {
      tags,
      security,
      summary: `Upload one period of a feed: raw CSV/XLSX body (at most ${MAX_FEED_BYTES / 1024 / 1024} MB), ?fileName=&clientId=`,
      params: FeedUploadParams,
      querystring: FeedUploadQuery,
      response: { 200: FeedUploadedSchema, 201: FeedUploadedSchema },
    },
    handler: async (request, reply) => {
      const params = request.params as z.infer<typeof FeedUploadParams>;
      const query = request.query as z.infer<typeof FeedUploadQuery>;
      const r = await uploadFeed(deps, actorOf(request), { type: params.type, period: params.period, stream: request.body as AsyncIterable<Buffer>, ...query }, { locale: localeOf(request) });
      return reply.status(r.created ? 201 : 200).send({ ...brief(r.report), period: r.report.period, rows: r.rows, format: r.format, encoding: r.encoding, flagged: r.flagged });
    },
  });

  app.get("/reports/:id", { onRequest: auth.required, schema: { tags, security, params: z.object({ id: z.string().max(40) }), response: { 200: ReportViewSchema } } }, async (request) =>
    getReport(deps, actorOf(request), request.params.id),
  );

  app.post(
    "/reports/:id/review",
    {
      onRequest: auth.roles("tax_officer"),
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "{ decision: accept|return, comment? }", params: z.object({ id: z.string().max(40) }), body: ReviewReportSchema, response: { 200: ReportViewSchema } },
    },
    async (request) => reviewReport(deps, actorOf(request), request.params.id, request.body, { locale: localeOf(request) }),
  );

  const PhotoParams = z.object({ id: z.string().max(40) });
  registerUpload(app, {
    url: "/reports/:id/photos",
    contentTypes: IMAGE_TYPES,
    maxBytes: MAX_PHOTO_BYTES,
    tooLarge: photoTooLarge,
    body: "buffer",
    onRequest: auth.required,
    schema: {
      tags,
      security,
      summary: `One photo per request: raw JPEG/PNG/WebP body (at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB); stored re-encoded, without metadata`,
      params: PhotoParams,
      response: { 200: PhotoStoredSchema, 201: PhotoStoredSchema },
    },
    handler: async (request, reply) => {
      const { id } = request.params as z.infer<typeof PhotoParams>;
      const photo = await addReportPhoto(deps, actorOf(request), id, request.body as Buffer);
      return reply.status(photo.created ? 201 : 200).send(photo);
    },
  });

  app.get("/reports/:id/photos", { onRequest: auth.required, schema: { tags, security, params: z.object({ id: z.string().max(40) }), response: { 200: PhotoListSchema } } }, async (request) => ({
    photos: await listReportPhotos(deps, actorOf(request), request.params.id),
  }));

  app.get(
    "/reports/:id/photos/:photoId",
    {
      onRequest: auth.required,
      schema: { tags, security, params: z.object({ id: z.string().max(40), photoId: z.string().max(40) }), response: { 200: binaryResponse("The photo (re-encoded)", IMAGE_TYPES) } },
    },
    async (request, reply) => {
      const photo = await readReportPhoto(deps, actorOf(request), request.params.id, request.params.photoId);
      return reply.type(photo.mime).header("cache-control", "private, max-age=86400").send(photo.bytes);
    },
  );

  app.get(
    "/reports/:id/rows",
    {
      onRequest: auth.required,
      schema: {
        tags,
        security,
        summary: "The rows of a feed filing, paged",
        params: z.object({ id: z.string().max(40) }),
        querystring: z.object({ offset: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(500).optional() }),
        response: { 200: FeedRowsSchema },
      },
    },
    async (request) => listFeedRows(deps, actorOf(request), request.params.id, request.query),
  );
};
