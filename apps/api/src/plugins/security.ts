import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";
import { hasH5Build } from "./h5.ts";

/** Telegram's web clients open Mini Apps in an iframe; everyone else may not frame the app. */
export const FRAME_ANCESTORS = ["'self'", "https://web.telegram.org"];

/**
 * `'sha256-…'` sources for the inline scripts of the H5 build's index.html (Taro inlines its
 * viewport script there), so the CSP can allow exactly them instead of `'unsafe-inline'`.
 */
export function inlineScriptHashes(h5Dir: string | undefined): string[] {
  if (!hasH5Build(h5Dir)) return [];
  const html = readFileSync(join(h5Dir, "index.html"), "utf8");
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    hashes.push(`'sha256-${createHash("sha256").update(m[1] ?? "", "utf8").digest("base64")}'`);
  }
  return hashes;
}

/** helmet's options for this app (see securityHeaders). */
function helmetOptions(h5Dir: string | undefined): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", ...inlineScriptHashes(h5Dir)],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": FRAME_ANCESTORS,
      },
    },
    referrerPolicy: { policy: "no-referrer" },
  };
}

/**
 * The security headers, as helmet computes them for this app: a Content-Security-Policy the H5
 * build runs under (scripts from this origin and the build's own inline scripts only; no plugins,
 * no other origins; styles may be inline, since Taro's components set them at run time), nosniff,
 * frame ancestors limited to this origin and Telegram's web client, no Referer leaving the app,
 * and helmet's other defaults. `upgrade-insecure-requests` is left out: the API is served over
 * plain http on 127.0.0.1 by default, where it would break every request.
 */
export function securityHeaders(h5Dir: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failed: unknown = null;
  helmet(helmetOptions(h5Dir))({} as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => void (failed = error ?? null));
  if (failed) throw failed;
  return headers;
}

/**
 * Sets the security headers on every response, from one callback hook. The headers are computed
 * once, by helmet, at start-up: @fastify/helmet rebuilds helmet's middlewares for every request,
 * which cost the benchmarked clearance check about a third of its CPU (BENCHMARKS.md).
 */
export function registerSecurityHeaders(app: FastifyInstance, h5Dir: string | undefined): void {
  const headers = securityHeaders(h5Dir);
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
