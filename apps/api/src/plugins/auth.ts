import type { FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import type { Role } from "@xieshui/core";
import { AppError, authenticate, requireRole, type Actor, type Deps } from "@xieshui/core/server";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in user, set by the `auth.required` / `auth.roles()` hooks; null on public routes. */
    actor: Actor | null;
  }
}

/** The bearer token of the request, or null when the header is missing or not `Bearer <token>`. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== "string") return null;
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

/** Route hooks that require a session (401) and, optionally, roles (403). */
export interface Auth {
  /** onRequest hook: 401 unless the bearer token belongs to a live session. Sets `request.actor`. */
  required: onRequestAsyncHookHandler;
  /** onRequest hook: like `required`, then 403 unless the actor holds one of the roles. */
  roles(...roles: Role[]): onRequestAsyncHookHandler;
}

export function createAuth(deps: Deps): Auth {
  const required: onRequestAsyncHookHandler = async (request) => {
    const actor = await authenticate(deps, bearerToken(request));
    if (!actor) throw new AppError("unauthorized", { reason: "session_invalid" });
    request.actor = actor;
  };
  return {
    required,
    roles: (...roles) =>
      async function requireRoles(request, reply) {
        await required.call(this, request, reply);
        requireRole(request.actor, ...roles);
      },
  };
}

/** The actor of a route behind `auth.required`; throws 401 if the hook was forgotten. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError("unauthorized", { reason: "session_invalid" });
  return request.actor;
}
