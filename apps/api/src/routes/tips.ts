import { z } from "zod";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  AssignTipSchema,
  ChangeTipStatusSchema,
  CloseSpamSchema,
  FileTipSchema,
  REWARD_BANDS,
  TIP_ATTACHMENT_MAX_BYTES,
  TIP_CATEGORIES,
  TIP_STATUSES,
  TipMessageSchema,
  TipReplySchema,
  TipRewardSchema,
  TipStatusQuerySchema,
} from "@xieshui/core";
import {
  addTipEvidence,
  AppError,
  assignTip,
  changeTipStatus,
  closeSpamTips,
  fileTip,
  getTip,
  listTips,
  markTipReward,
  messageTipster,
  readTipAttachment,
  replyToTip,
  tipStatus,
  type TipContext,
} from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { registerUpload } from "../plugins/uploads.ts";
import { bodyValidatedByUseCase } from "../plugins/validation.ts";
import type { RouteContext } from "./context.ts";

/** The anonymous routes live under this prefix: the request log writes nothing about them (plugins/request-log.ts). */
export const ANONYMOUS_TIP_PREFIX = "/api/v1/tips";

const StatusViewSchema = z.object({
  status: z.enum(TIP_STATUSES),
  category: z.enum(TIP_CATEGORIES),
  filedOn: z.string(),
  messages: z.array(z.object({ from: z.enum(["handler", "tipster"]), text: z.string(), on: z.string() })),
  attachments: z.number().int(),
  reward: z.enum(REWARD_BANDS).nullable(),
});

const ListItemSchema = z.object({
  id: z.string(),
  category: z.enum(TIP_CATEGORIES),
  status: z.enum(TIP_STATUSES),
  filedOn: z.string(),
  acknowledgeBy: z.string(),
  concludeBy: z.string(),
  acknowledgeOverdue: z.boolean(),
  concludeOverdue: z.boolean(),
  unit: z.object({ code: z.string(), name: z.string() }).nullable(),
  realName: z.boolean(),
  attachments: z.number().int(),
  preview: z.string(),
  reward: z.enum(REWARD_BANDS).nullable(),
});

const DetailSchema = ListItemSchema.extend({
  facts: z.object({ subject: z.string().optional(), location: z.string().optional(), when: z.string().optional(), description: z.string(), contact: z.string().optional() }),
  messages: z.array(z.object({ from: z.enum(["handler", "tipster"]), text: z.string(), on: z.string() })).nullable(),
  history: z.array(z.object({ status: z.enum(TIP_STATUSES), reason: z.string(), on: z.string(), by: z.string() })).nullable(),
  attachmentIds: z.array(z.string()),
});

const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp", "application/octet-stream"];
const Binary = z.any().meta({ type: "string", format: "binary" });
const IdParams = z.object({ id: z.string().min(1).max(64) });

const tooLarge = () =>
  new AppError("payload_too_large", { reason: "attachment_too_large", messageKey: "tip-attachment-too-large", params: { mb: TIP_ATTACHMENT_MAX_BYTES / 1024 / 1024 } });

/** The in-memory limiters' key: the client address (Fastify's `request.ip`, TRUST_PROXY aware). Hashed there, never stored. */
const clientOf = (request: FastifyRequest) => request.ip;

/**
 * Tips. The tipster's routes (`/tips…`) take no token and read no cookie: they never call the auth
 * hooks, so a signed-in staff member files exactly like a citizen and nothing is linked to the
 * session; the receipt travels in bodies or a header, never in a URL. The handlers' routes
 * (`/tip-inbox…`) need a session; the use-cases check roles.
 */
export function tipRoutes(tips: TipContext): FastifyPluginAsyncZod<RouteContext> {
  return async (app, { deps, auth }) => {
    const tags = ["tips"];
    const security = [{ bearerAuth: [] }];
    app.post(
      "/tips",
      {
        ...bodyValidatedByUseCase,
        schema: { tags, summary: "File an anonymous tip (no auth, no cookies) → the receipt, 16 digits", body: FileTipSchema, response: { 201: z.object({ receipt: z.string() }) } },
      },
      async (request, reply) => reply.status(201).send(await fileTip(deps, tips, request.body, { locale: localeOf(request), client: clientOf(request) })),
    );
    app.post(
      "/tips/status",
      { ...bodyValidatedByUseCase, schema: { tags, summary: "Status and messages of a tip by its receipt; every unknown receipt is the same 404", body: TipStatusQuerySchema, response: { 200: StatusViewSchema } } },
      async (request) => tipStatus(deps, tips, request.body, { locale: localeOf(request), client: clientOf(request) }),
    );
    app.post(
      "/tips/reply",
      { ...bodyValidatedByUseCase, schema: { tags, summary: "The tipster answers the handlers", body: TipReplySchema, response: { 200: StatusViewSchema } } },
      async (request) => replyToTip(deps, tips, request.body, { locale: localeOf(request), client: clientOf(request) }),
    );
    registerUpload(app, {
      url: "/tips/evidence",
      contentTypes: IMAGE_TYPES,
      maxBytes: TIP_ATTACHMENT_MAX_BYTES,
      tooLarge,
      body: "buffer",
      onRequest: async () => {},
      schema: {
        tags,
        summary: `Add a photo or screenshot to a tip (raw JPEG/PNG/WebP body, at most ${TIP_ATTACHMENT_MAX_BYTES / 1024 / 1024} MB; the receipt in the X-Tip-Receipt header)`,
        headers: z.object({ "x-tip-receipt": z.string().max(64).optional() }),
        response: { 201: z.object({ attachments: z.number().int() }) },
      },
      handler: async (request, reply) => {
        const receipt = request.headers["x-tip-receipt"];
        const out = await addTipEvidence(deps, tips, typeof receipt === "string" ? receipt : "", request.body as Buffer, { locale: localeOf(request), client: clientOf(request) });
        return reply.status(201).send(out);
      },
    });

    app.get(
      "/tip-inbox",
      {
        onRequest: auth.required,
        schema: { tags, security, summary: "Tips for handlers (all) and tax officers (their unit's)", querystring: z.object({ status: z.enum(TIP_STATUSES).optional(), overdue: z.enum(["1", "true"]).optional() }), response: { 200: z.object({ tips: z.array(ListItemSchema) }) } },
      },
      async (request) => ({ tips: await listTips(deps, tips, actorOf(request), { ...(request.query.status ? { status: request.query.status } : {}), overdue: request.query.overdue !== undefined }) }),
    );
    app.post(
      "/tip-inbox/spam",
      { onRequest: auth.required, ...bodyValidatedByUseCase, schema: { tags, security, summary: "Close many tips as spam", body: CloseSpamSchema, response: { 200: z.object({ closed: z.number().int() }) } } },
      async (request) => closeSpamTips(deps, tips, actorOf(request), request.body, { locale: localeOf(request) }),
    );
    app.get("/tip-inbox/:id", { onRequest: auth.required, schema: { tags, security, params: IdParams, response: { 200: DetailSchema } } }, async (request) =>
      getTip(deps, tips, actorOf(request), request.params.id),
    );
    const action = (url: string, summary: string, body: z.ZodType, run: typeof changeTipStatus) =>
      app.post(url, { onRequest: auth.required, ...bodyValidatedByUseCase, schema: { tags, security, summary, params: IdParams, body, response: { 200: DetailSchema } } }, async (request) =>
        run(deps, tips, actorOf(request), (request.params as z.infer<typeof IdParams>).id, request.body, { locale: localeOf(request) }),
      );
    action("/tip-inbox/:id/status", "Change the status, with a reason", ChangeTipStatusSchema, changeTipStatus);
    action("/tip-inbox/:id/assign", "Assign the tip to a unit (its tax officers see the facts)", AssignTipSchema, assignTip);
    action("/tip-inbox/:id/messages", "Write to the tipster (shown with the receipt)", TipMessageSchema, messageTipster);
    action("/tip-inbox/:id/reward", "Mark a closed tip reward-eligible with a band", TipRewardSchema, markTipReward);
    app.get(
      "/tip-inbox/:id/attachments/:attachmentId",
      {
        onRequest: auth.required,
        schema: {
          tags,
          security,
          params: IdParams.extend({ attachmentId: z.string().min(1).max(64) }),
          response: { 200: { description: "The image", content: Object.fromEntries(["image/jpeg", "image/png", "image/webp"].map((t) => [t, { schema: Binary }])) } },
        },
      },
      async (request, reply) => {
        const { mime, bytes } = await readTipAttachment(deps, tips, actorOf(request), request.params.id, request.params.attachmentId);
        return reply.type(mime).header("cache-control", "no-store").send(bytes);
      },
    );
  };
}
