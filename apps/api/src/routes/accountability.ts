import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { QuarterlyPackQuerySchema } from "@xieshui/core";
import { accountabilityFileName, accountabilityList, accountabilityWorkbook, PACK_CONTENT_TYPES } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { AccountabilityListSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

// Typed any: the handler sends a Buffer, which Fastify passes through unserialised.
const Binary = z.any().meta({ type: "string", format: "binary" });

const AccountabilityQuerySchema = QuarterlyPackQuerySchema.extend({ format: z.enum(["json", "xlsx"]).optional() });

/**
 * The quarterly accountability list (责任追究) for the finance bureau: JSON for the screens, or
 * `&format=xlsx` for the workbook (always in Chinese, as the meeting uses it). Coordinators, admins
 * and tax officers; the use-case checks roles and the quarter.
 */
export const accountabilityRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  app.get(
    "/oversight/accountability",
    {
      onRequest: auth.roles("coordinator", "admin", "tax_officer"),
      schema: {
        tags: ["oversight"],
        security: [{ bearerAuth: [] }],
        summary: "The accountability list of ?quarter=2026Q4: every duty overdue during the quarter, its unit, days late and the reminders sent (&format=xlsx: the workbook as an attachment)",
        querystring: AccountabilityQuerySchema,
        response: {
          200: {
            description: "The list (JSON), or its workbook with format=xlsx",
            content: { "application/json": { schema: AccountabilityListSchema }, [PACK_CONTENT_TYPES.xlsx]: { schema: Binary } },
          },
        },
      },
    },
    async (request, reply) => {
      const xlsx = request.query.format === "xlsx";
      const list = await accountabilityList(deps, actorOf(request), { quarter: request.query.quarter }, { locale: xlsx ? "zh-CN" : localeOf(request) });
      const name = accountabilityFileName(list.quarter);
      if (!xlsx) return reply.type("application/json; charset=utf-8").send({ ...list, file: { fileName: name.utf8, url: `/api/v1/oversight/accountability?quarter=${list.quarter}&format=xlsx` } });
      return reply
        .type(PACK_CONTENT_TYPES.xlsx)
        .header("content-disposition", `attachment; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`)
        .header("cache-control", "no-store")
        .send(await accountabilityWorkbook(list));
    },
  );
};
