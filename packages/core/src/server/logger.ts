import pino, { type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/**
 * Paths never written to logs: credentials, ID numbers and anything a tip contains. Fastify's
 * request logging and every use-case share this list.
 */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "token",
  "code",
  "*.token",
  "*.code",
  "*.password",
  "*.idNo",
  "*.landlordIdNo",
  "*.tenantIdNo",
  "*.ownerIdNo",
  "*.taxpayerId",
  "*.content",
  "*.contact",
  "tip",
  "*.tip",
  "botToken",
  "*.botToken",
  "initData",
  "*.initData",
];

/** Creates the process logger. `level: "silent"` in tests. */
export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  };
  if (opts.name) options.name = opts.name;
  return pino(options);
}
