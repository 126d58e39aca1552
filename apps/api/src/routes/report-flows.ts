import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ResubmitReportSchema } from "@xieshui/core";
import { resubmitReport, startVehicleReport } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import type { RouteContext } from "./context.ts";

const ReportIdParams = z.object({ id: z.string().min(1).max(40) });

/**
 * Report follow-ups (issue 8): the vehicle report opened from a failed check, and the correction
 * of a returned report as a new version. Core checks roles, authority and ownership.
 */
export const reportFlowRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const security = [{ bearerAuth: [] }];
  const tags = ["reports"];

  app.get(
    "/reports/vehicle-draft",
    {
      onRequest: auth.required,
      schema: {
        tags,
        security,
        summary: "The vehicle report of a failed check, as the server knows it: plate, missing years (from the caller's own check), the unit's address, a guessed vehicle type",
        querystring: z.object({ plate: z.string().max(20).optional() }),
        response: {
          200: z.object({
            fromCheck: z.boolean(),
            data: z.object({
              plate: z.string().optional(),
              missingYears: z.array(z.number().int()).optional(),
              place: z.string().optional(),
              vehicleType: z.string().optional(),
            }),
          }),
        },
      },
    },
    async (request) => startVehicleReport(deps, actorOf(request), { plate: request.query.plate ?? "" }, { locale: localeOf(request) }),
  );

  app.post(
    "/reports/:id/versions",
    {
      onRequest: auth.required,
      schema: {
        tags,
        security,
        summary: "Resubmit a returned report as its next version: { clientId, data }; the same clientId again returns the same version (200)",
        params: ReportIdParams,
        body: ResubmitReportSchema,
        response: {
          "2xx": z.object({ id: z.string(), status: z.string(), timeliness: z.string(), version: z.number().int(), possibleDuplicateOf: z.string().nullable() }),
        },
      },
    },
    async (request, reply) => {
      const { created, report } = await resubmitReport(deps, actorOf(request), request.params.id, request.body, { locale: localeOf(request) });
      const body = { id: report.id, status: report.status, timeliness: report.timeliness, version: report.version, possibleDuplicateOf: report.possibleDuplicateOf };
      return reply.status(created ? 201 : 200).send(body);
    },
  );
};
