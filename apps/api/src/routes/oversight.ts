import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { EvaluationAdjustmentSchema, EvaluationEvidenceQuerySchema, EvaluationQuerySchema, EvaluationWeightsInputSchema, OversightUnitsQuerySchema, QuarterlyPackQuerySchema, QuarterCodeSchema } from "@xieshui/core";
import { addEvaluationAdjustment, annualEvaluation, evaluationEvidence, evaluationWorkbook, oversightUnits, PACK_CONTENT_TYPES, PACK_FORMATS, packFileName, quarterlyPack, renderPack, setEvaluationWeights } from "@xieshui/core/server";
import { bodyValidatedByUseCase } from "../plugins/validation.ts";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { AnnualEvaluationSchema, EvaluationAdjustmentViewSchema, EvaluationEvidenceSchema, EvaluationWeightsSchema, OversightUnitsSchema, QuarterlyPackSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

// Typed any: the handler sends a Buffer, which Fastify passes through unserialised.
const Binary = z.any().meta({ type: "string", format: "binary" });

/**
 * Oversight for the finance bureau (coordinators; admins; tax officers read): per-unit figures for a
 * month, quarter or year, and the quarterly meeting pack, its content as JSON and its files streamed
 * (XLSX, printable HTML, PDF); the annual evaluation, its evidence, weights and adjustments, and its XLSX.
 * Use-cases check roles and periods; routes only translate.
 */
export const oversightRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const security = [{ bearerAuth: [] }];
  const tags = ["oversight"];
  const allowed = auth.roles("coordinator", "admin", "tax_officer");

  app.get(
    "/oversight/units",
    { onRequest: allowed, schema: { tags, security, summary: "Per-unit figures for ?period=2026-11|2026Q4|2026 (&unit=<code>: one unit, a town with its villages)", querystring: OversightUnitsQuerySchema, response: { 200: OversightUnitsSchema } } },
    async (request) => oversightUnits(deps, actorOf(request), request.query, { locale: localeOf(request) }),
  );

  app.get(
    "/oversight/quarterly",
    { onRequest: allowed, schema: { tags, security, summary: "The quarterly meeting pack's content for ?quarter=2026Q4, with the URLs of its files", querystring: QuarterlyPackQuerySchema, response: { 200: QuarterlyPackSchema } } },
    async (request) => {
      const pack = await quarterlyPack(deps, actorOf(request), request.query, { locale: localeOf(request) });
      return { ...pack, files: PACK_FORMATS.map((format) => ({ format, fileName: packFileName(pack.quarter, format), url: `/api/v1/oversight/quarterly/${pack.quarter}/${format}` })) };
    },
  );

  app.get(
    "/oversight/quarterly/:quarter/:format",
    {
      onRequest: allowed,
      schema: {
        tags,
        security,
        summary: "One file of the pack (always in Chinese, as the meeting uses it), as an attachment",
        params: z.object({ quarter: QuarterCodeSchema, format: z.enum(PACK_FORMATS) }),
        response: { 200: { description: "The file", content: Object.fromEntries(PACK_FORMATS.map((f) => [PACK_CONTENT_TYPES[f].split(";")[0]!, { schema: Binary }])) } },
      },
    },
    async (request, reply) => {
      const pack = await quarterlyPack(deps, actorOf(request), { quarter: request.params.quarter }, { locale: "zh-CN" });
      const body = await renderPack(pack, request.params.format);
      return reply
        .type(PACK_CONTENT_TYPES[request.params.format])
        .header("content-disposition", `attachment; filename="${packFileName(pack.quarter, request.params.format)}"`)
        .header("cache-control", "no-store")
        .send(body);
    },
  );

  app.get(
    "/oversight/evaluation",
    { onRequest: allowed, schema: { tags, security, summary: "The annual evaluation of ?year=2026: ranking, points per criterion, adjustments, commendation candidates, rules", querystring: EvaluationQuerySchema, response: { 200: AnnualEvaluationSchema } } },
    async (request) => annualEvaluation(deps, actorOf(request), request.query, { locale: localeOf(request) }),
  );

  app.get(
    "/oversight/evaluation/evidence",
    { onRequest: allowed, schema: { tags, security, summary: "What earned or cost a unit its points in ?year= (&unit=<code>)", querystring: EvaluationEvidenceQuerySchema, response: { 200: EvaluationEvidenceSchema } } },
    async (request) => evaluationEvidence(deps, actorOf(request), request.query, { locale: localeOf(request) }),
  );

  app.put(
    "/oversight/evaluation/weights",
    {
      onRequest: auth.roles("coordinator", "admin"),
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "Points per criterion for a year ({ year, weights }); they must add up to 100", body: EvaluationWeightsInputSchema, response: { 200: EvaluationWeightsSchema } },
    },
    async (request) => {
      const weights = await setEvaluationWeights(deps, actorOf(request), request.body, { locale: localeOf(request) });
      return { year: (request.body as { year: number }).year, weights };
    },
  );

  app.post(
    "/oversight/evaluation/adjustments",
    {
      onRequest: auth.roles("coordinator"),
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "A manual adjustment of a unit's score with its reason ({ year, unit, points, reason }); audited", body: EvaluationAdjustmentSchema, response: { 201: EvaluationAdjustmentViewSchema } },
    },
    async (request, reply) => reply.status(201).send(await addEvaluationAdjustment(deps, actorOf(request), request.body, { locale: localeOf(request) })),
  );

  app.get(
    "/oversight/evaluation/:year/xlsx",
    {
      onRequest: allowed,
      schema: { tags, security, summary: "The annual evaluation as an XLSX attachment (in Chinese)", params: EvaluationQuerySchema, response: { 200: { description: "The workbook", content: { [PACK_CONTENT_TYPES.xlsx]: { schema: Binary } } } } },
    },
    async (request, reply) => {
      const evaluation = await annualEvaluation(deps, actorOf(request), { year: request.params.year }, { locale: "zh-CN" });
      return reply
        .type(PACK_CONTENT_TYPES.xlsx)
        .header("content-disposition", `attachment; filename="evaluation-${evaluation.year}.xlsx"`)
        .header("cache-control", "no-store")
        .send(await evaluationWorkbook(evaluation));
    },
  );
};
