import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import pretty from "pino-pretty";
import { SENSITIVE_FIELD_NAMES } from "../domain/reports/masking.ts";

export type { Logger } from "pino";

/** What stands in for a redacted value in every log line. */
export const REDACTED = "[redacted]";

/**
 * Keys whose values never reach a log line, at any depth: credentials, tip contents, and every
 * report field that holds an ID number, a credit code or a person's name (taken from the report
 * registry, so a new field of such a kind is covered the day it is added).
 */
export const REDACTED_KEYS: ReadonlySet<string> = new Set([
  "authorization",
  "cookie",
  "set-cookie",
  "token",
  "code",
  "password",
  "secret",
  "botToken",
  "initData",
  "idNo",
  "taxpayerId",
  "taxpayerName",
  "content",
  "contact",
  "tip",
  ...SENSITIVE_FIELD_NAMES,
]);

/**
 * The same keys as pino redact paths (three levels deep), for a pino instance built elsewhere. The
 * loggers of this product come from `createLogger`, which redacts at any depth.
 */
export const REDACT_PATHS: string[] = [...REDACTED_KEYS].flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const join = (prefix: string) => (key.startsWith("[") ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key.startsWith("[") ? key.slice(2, -2) : key, join("*"), join("*.*"), join("*.*.*")];
});

// Values that look like personal identifiers, wherever they appear in a string (an error message
// quoting input, a URL): 18-character ID numbers (any check character: a mistyped one is still
// someone's), unified social credit codes, and mainland mobile numbers.
const ID_LIKE = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}|1[3-9]\d{9})(?![0-9A-Za-z])/g;

/** Replaces ID-number-, credit-code- and phone-like substrings of a log text. */
export function scrubLogText(text: string): string {
  return text.replace(ID_LIKE, REDACTED);
}

/** The path of a URL without its query string (query strings may carry tokens or lookups). */
export function pathOnly(url: string | undefined): string {
  if (!url) return "/";
  const q = url.search(/[?#]/);
  return q === -1 ? url : url.slice(0, q);
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null || Array.isArray(value);
}

/** Copies a log object with redacted keys censored and identifier-like strings scrubbed (plain data only). */
function redactDeep(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrubLogText(value);
  if (typeof value !== "object" || value === null || depth > 8 || !isPlain(value)) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = REDACTED_KEYS.has(k) ? REDACTED : redactDeep(v, depth + 1);
  return out;
}

/**
 * Paths whose requests leave no address in any log line: the anonymous tip routes. The request log
 * writes no line for them at all (a time-stamped line would let a proxy log name the sender), and
 * a request serialized anyway carries no address.
 */
export const ANONYMOUS_PATH_PREFIXES: readonly string[] = ["/api/v1/tips"];

/** True for a path (query string ignored) under ANONYMOUS_PATH_PREFIXES. */
export function isAnonymousPath(url: string | undefined): boolean {
  const path = pathOnly(url);
  return ANONYMOUS_PATH_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/**
 * Serializers every logger of the product uses: a request is its method and path (never the
 * query string, never headers or body); errors keep their type and stack with identifiers scrubbed.
 */
export const LOG_SERIALIZERS = {
  req(req: RequestLike) {
    if (isAnonymousPath(req.url)) return { method: req.method, url: pathOnly(req.url) };
    return { method: req.method, url: pathOnly(req.url), remoteAddress: req.ip ?? req.socket?.remoteAddress };
  },
  res(res: { statusCode?: number }) {
    return { statusCode: res.statusCode };
  },
  err(err: unknown) {
    if (!(err instanceof Error)) return redactDeep(err, 0);
    return redactDeep({ ...pino.stdSerializers.err(err) }, 0);
  },
};

/** How log lines are written: JSON (files, pipes, production) or readable lines (a person's terminal). */
export type LogFormat = "json" | "pretty";

/** `auto` (the default) means readable lines when stdout is a terminal, JSON otherwise. */
export function resolveLogFormat(format: LogFormat | "auto" | undefined, isTTY = Boolean(process.stdout.isTTY)): LogFormat {
  if (format === "json" || format === "pretty") return format;
  return isTTY ? "pretty" : "json";
}

/** The pino options behind `createLogger`: redaction at any depth, path-only requests, scrubbed errors and messages. */
export function loggerOptions(opts: { level?: string; name?: string } = {}): LoggerOptions {
  const options: LoggerOptions = {
    level: opts.level ?? "info",
    serializers: { ...LOG_SERIALIZERS, msg: (msg: unknown) => (typeof msg === "string" ? scrubLogText(msg) : msg) },
    formatters: { log: (obj) => redactDeep(obj, 0) as Record<string, unknown> },
  };
  if (opts.name) options.name = opts.name;
  return options;
}

/**
 * Creates the process logger. `level: "silent"` in tests; `destination` lets a test read every line;
 * `fd: 2` writes to stderr (the CLI, whose stdout carries `--json` documents). Readable lines go to
 * a terminal (`format` auto), JSON everywhere else; redaction is the same in both.
 */
export function createLogger(
  opts: { level?: string; name?: string; format?: LogFormat | "auto"; destination?: DestinationStream; fd?: 1 | 2 } = {},
): Logger {
  const options = loggerOptions(opts);
  if (opts.destination) return pino(options, opts.destination);
  const fd = opts.fd ?? 1;
  const tty = Boolean((fd === 2 ? process.stderr : process.stdout).isTTY);
  if (opts.level !== "silent" && resolveLogFormat(opts.format, tty) === "pretty") {
    const stream = pretty({ colorize: true, sync: true, destination: fd, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,reqId,req,res,responseTime" });
    return pino(options, stream);
  }
  return pino(options, pino.destination({ fd, sync: true }));
}
