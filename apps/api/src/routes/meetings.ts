import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AddMeetingTaskSchema, CompleteTaskSchema, RecordMeetingSchema } from "@xieshui/core";
import { addMeetingTask, completeTask, getMeeting, listMeetings, myTasks, recordMeeting } from "@xieshui/core/server";
import { bodyValidatedByUseCase } from "../plugins/validation.ts";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { MeetingListSchema, MeetingTaskListSchema, MeetingTaskViewSchema, MeetingViewSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

const Id = z.object({ id: z.string().min(1).max(64) });

/**
 * Meetings of the coordination group and their tasks: coordinators record meetings and assign tasks;
 * coordinators, admins and tax officers read them; every signed-in user sees and completes their own
 * unit's tasks. Use-cases check roles and units; routes only translate.
 */
export const meetingRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const security = [{ bearerAuth: [] }];
  const tags = ["meetings"];
  const readers = auth.roles("coordinator", "admin", "tax_officer");

  app.post(
    "/meetings",
    {
      onRequest: auth.roles("coordinator"),
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "Record a meeting with its attendees and tasks (coordinators); the same clientId again returns the first", body: RecordMeetingSchema, response: { 200: MeetingViewSchema, 201: MeetingViewSchema } },
    },
    async (request, reply) => {
      const { created, meeting } = await recordMeeting(deps, actorOf(request), request.body, { locale: localeOf(request) });
      return reply.status(created ? 201 : 200).send(meeting);
    },
  );

  app.get(
    "/meetings",
    { onRequest: readers, schema: { tags, security, summary: "Meetings, newest first, with their tasks' status", querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }), response: { 200: MeetingListSchema } } },
    async (request) => ({ meetings: await listMeetings(deps, actorOf(request), request.query.limit ? { limit: request.query.limit } : {}) }),
  );

  app.get(
    "/meetings/:id",
    { onRequest: readers, schema: { tags, security, summary: "One meeting with its attendees and tasks", params: Id, response: { 200: MeetingViewSchema } } },
    async (request) => getMeeting(deps, actorOf(request), request.params.id),
  );

  app.post(
    "/meetings/:id/tasks",
    {
      onRequest: auth.roles("coordinator"),
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "Assign one more task of a meeting to a unit (coordinators); the same clientId again returns the first", params: Id, body: AddMeetingTaskSchema, response: { 200: MeetingTaskViewSchema, 201: MeetingTaskViewSchema } },
    },
    async (request, reply) => {
      const { created, task } = await addMeetingTask(deps, actorOf(request), request.params.id, request.body, { locale: localeOf(request) });
      return reply.status(created ? 201 : 200).send(task);
    },
  );

  app.get(
    "/tasks/mine",
    { onRequest: auth.required, schema: { tags, security, summary: "The signed-in user's unit's tasks: open ones nearest due first, then recently done", response: { 200: MeetingTaskListSchema } } },
    async (request) => ({ tasks: await myTasks(deps, actorOf(request)) }),
  );

  app.post(
    "/tasks/:id/done",
    {
      onRequest: auth.required,
      ...bodyValidatedByUseCase,
      schema: { tags, security, summary: "Mark one of the unit's tasks done with a note; again answers the same, without a second write", params: Id, body: CompleteTaskSchema, response: { 200: MeetingTaskViewSchema } },
    },
    async (request) => (await completeTask(deps, actorOf(request), request.params.id, request.body, { locale: localeOf(request) })).task,
  );
};
