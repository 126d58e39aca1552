import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AddAgentSchema, CompleteFollowUpSchema, RecordInspectionSchema, RegisterCollectorSchema } from "@xieshui/core";
import { addAgent, completeFollowUp, deactivateAgent, listCollectors, listInspections, recordInspection, registerCollector } from "@xieshui/core/server";
import { bodyValidatedByUseCase } from "../plugins/validation.ts";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { EntrustedAgentSchema, EntrustedCollectorSchema, EntrustedInspectionSchema, NoBodySchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

const IdParams = z.object({ id: z.string().min(1).max(64) });

/**
 * Entrusted collection (委托代征): the registry of collector units and their agents, inspections and
 * follow-ups. Tax officers and admins change it; coordinators read; a collector unit's own users read
 * their unit. Agents' names and phones travel only in bodies, never in URLs. Use-cases check roles.
 */
export const entrustedRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const security = [{ bearerAuth: [] }];
  const tags = ["entrusted"];
  const registrars = auth.roles("tax_officer", "admin");

  app.get(
    "/entrusted/collectors",
    { onRequest: auth.required, schema: { tags, security, summary: "Collector units with agreement validity, agents, last inspection and open follow-ups (a collector's users: their own)", response: { 200: z.object({ collectors: z.array(EntrustedCollectorSchema) }) } } },
    async (request) => ({ collectors: await listCollectors(deps, actorOf(request)) }),
  );

  app.post(
    "/entrusted/collectors",
    {
      onRequest: registrars,
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "Register or update a collector unit's agreement (upsert by unit)", body: RegisterCollectorSchema, response: { 200: EntrustedCollectorSchema, 201: EntrustedCollectorSchema } },
    },
    async (request, reply) => {
      const { created, collector } = await registerCollector(deps, actorOf(request), request.body, { locale: localeOf(request) });
      return reply.status(created ? 201 : 200).send(collector);
    },
  );

  app.post(
    "/entrusted/agents",
    { onRequest: registrars, ...bodyValidatedByUseCase, schema: { tags, security, summary: "Add an agent to a collector unit (certificate numbers are unique: 409)", body: AddAgentSchema, response: { 201: EntrustedAgentSchema } } },
    async (request, reply) => reply.status(201).send(await addAgent(deps, actorOf(request), request.body, { locale: localeOf(request) })),
  );

  app.post(
    "/entrusted/agents/:id/deactivate",
    { onRequest: registrars, schema: { tags, security, summary: "Deactivate an agent (again: no change)", params: IdParams, body: NoBodySchema, response: { 200: EntrustedAgentSchema } } },
    async (request) => deactivateAgent(deps, actorOf(request), request.params.id),
  );

  app.get(
    "/entrusted/inspections",
    {
      onRequest: auth.required,
      schema: {
        tags,
        security,
        summary: "Inspections, newest first: ?unit=<code>&overdue=true",
        querystring: z.object({ unit: z.string().max(64).optional(), overdue: z.enum(["true", "false", "1", "0"]).optional() }),
        response: { 200: z.object({ inspections: z.array(EntrustedInspectionSchema) }) },
      },
    },
    async (request) => ({ inspections: await listInspections(deps, actorOf(request), request.query, { locale: localeOf(request) }) }),
  );

  app.post(
    "/entrusted/inspections",
    {
      onRequest: auth.roles("tax_officer"),
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "Record an inspection (findings; a follow-up with its due date); the same inspection again returns the first", body: RecordInspectionSchema, response: { 200: EntrustedInspectionSchema, 201: EntrustedInspectionSchema } },
    },
    async (request, reply) => {
      const { created, inspection } = await recordInspection(deps, actorOf(request), request.body, { locale: localeOf(request) });
      return reply.status(created ? 201 : 200).send(inspection);
    },
  );

  app.post(
    "/entrusted/inspections/:id/done",
    { onRequest: registrars, ...bodyValidatedByUseCase, schema: { tags, security, summary: "Mark an inspection's follow-up as put right, with a note (again: unchanged)", params: IdParams, body: CompleteFollowUpSchema, response: { 200: EntrustedInspectionSchema } } },
    async (request) => completeFollowUp(deps, actorOf(request), request.params.id, request.body, { locale: localeOf(request) }),
  );
};
