import type { FastifyRequest } from "fastify";
import { resolveLocale, type Locale } from "@xieshui/core";

/** The request's UI language from Accept-Language (zh-CN unless the client asks for English). */
export function localeOf(request: FastifyRequest): Locale {
  return resolveLocale(request.headers["accept-language"]);
}
