import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { OversightUnitsQuerySchema, QuarterlyPackQuerySchema, QuarterCodeSchema } from "@xieshui/core";
import { oversightUnits, PACK_CONTENT_TYPES, PACK_FORMATS, packFileName, quarterlyPack, renderPack } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { OversightUnitsSchema, QuarterlyPackSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

// Typed any: the handler sends a Buffer, which Fastify passes through unserialised.
const Binary = z.any().meta({ type: "string", format: "binary" });

/**
 * Oversight for the finance bureau (coordinators; admins; tax officers read): per-unit figures for a
 * month, quarter or year, and the quarterly meeting pack, its content as JSON and its files streamed
 * (XLSX, printable HTML, PDF). Use-cases check roles and periods; routes only translate.
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
};
