import type { IncomingMessage } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler, RouteShorthandOptions } from "fastify";
import { z } from "zod";
import type { AppError } from "@xieshui/core/server";
import { rawBody } from "./validation.ts";

/**
 * Upload routes, the only routes that take non-JSON bodies. Each one is registered in its own
 * encapsulated scope holding its raw body parsers, so every other route keeps JSON alone (and
 * answers 415 to anything else). What must stay true:
 * - every upload route states its size cap; a declared Content-Length over it is refused (413)
 *   before a byte is read, and a body that grows past it is refused while it streams;
 * - `stream` bodies reach the handler as an AsyncIterable<Buffer>, read on demand, never buffered;
 *   `buffer` bodies are collected up to the cap;
 * - a reply sent before the body was read to its end closes the connection, so an early refusal
 *   is not followed by a client stuck sending the rest;
 * - OpenAPI documents the accepted content types and a binary body.
 */

/** What an upload route declares. */
export interface UploadRoute {
  url: string;
  /** Media types accepted (parameters such as `; charset=` are ignored). */
  contentTypes: string[];
  /** Largest body in bytes. */
  maxBytes: number;
  /** The AppError for a body over the cap (413, naming the cap). */
  tooLarge: () => AppError;
  /** `stream`: request.body is an AsyncIterable<Buffer>; `buffer`: a Buffer. */
  body: "stream" | "buffer";
  onRequest: onRequestAsyncHookHandler;
  schema: Record<string, unknown>;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** OpenAPI's binary request body, for each of an upload's content types. */
export const RawUploadSchema = z.string().meta({ format: "binary", description: "The file's bytes as they are (no multipart, no base64)." });

/**
 * The request body bytes, refusing once they pass `max`. Iterated by hand, not with for-await: on
 * a refusal (or when the reader stops early) the request stream must be left paused, not
 * destroyed, or the socket would close before the 4xx answer is written.
 */
async function* limited(payload: IncomingMessage, max: number, tooLarge: () => AppError): AsyncGenerator<Buffer> {
  const chunks = (payload as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let total = 0;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    total += next.value.length;
    if (total > max) throw tooLarge();
    yield next.value;
  }
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Registers one upload route in its own scope (see above). */
export function registerUpload(app: FastifyInstance, route: UploadRoute): void {
  app.register(async (scope) => {
    // This route takes its upload types and nothing else (JSON included): anything else is 415.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(route.contentTypes, (request, payload, done) => {
      const declared = Number(request.headers["content-length"]);
      if (Number.isFinite(declared) && declared > route.maxBytes) return done(route.tooLarge(), undefined);
      const body = limited(payload, route.maxBytes, route.tooLarge);
      if (route.body === "stream") return done(null, body);
      collect(body).then(
        (buffer) => done(null, buffer),
        (error: Error) => done(error, undefined),
      );
    });
    scope.addHook("onSend", (request, reply, payload, done) => {
      if (!request.raw.complete) reply.header("connection", "close");
      done(null, payload);
    });
    const options: RouteShorthandOptions = {
      onRequest: route.onRequest,
      ...rawBody,
      schema: { ...route.schema, consumes: route.contentTypes, body: RawUploadSchema },
    };
    scope.post(route.url, options, route.handler);
  });
}
