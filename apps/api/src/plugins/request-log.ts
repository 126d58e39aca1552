import { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import { isAnonymousPath, pathOnly } from "@xieshui/core/server";

/**
 * One log line per request, written when it completes, at `debug` (the health check at `trace`),
 * so a terminal at the default `info` level is not flooded and `LOG_LEVEL=debug` shows traffic.
 * Failures that reach Fastify keep `error`. The line names the path only, never the query string
 * (the logger's serializers drop it from `req` too). The anonymous tip routes get no line at all,
 * only a failure without address, time of request or request id beyond pino's own line.
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (isAnonymousPath(request.url)) return;
    request.log.trace({ req: request }, "incoming request");
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const path = pathOnly(request.url);
    if (isAnonymousPath(path)) {
      if (error) reply.log.error({ err: error }, `${request.method} ${path} failed`);
      return;
    }
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    const msg = `${request.method} ${path} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`;
    if (error) reply.log.error({ ...line, err: error }, msg);
    else if (path === "/healthz") reply.log.trace(line, msg);
    else reply.log.debug(line, msg);
  }

  override routeNotFound(request: FastifyRequest): void {
    if (isAnonymousPath(request.url)) return;
    request.log.debug({ req: request }, "route not found");
  }
}
