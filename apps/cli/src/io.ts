import type { Writable } from "node:stream";
import { parseArgs as nodeParseArgs } from "node:util";

/** Where a command writes. With `--json` exactly one JSON document goes to `out`; people-facing text goes to `err`. */
export interface CliIo {
  out: Writable;
  err: Writable;
}

/** Parsed argv: positionals, string options (every value of a repeated `--role a --role b`) and boolean flags. */
export interface Args {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

/** The options a command accepts, in `node:util` parseArgs form (`multiple` collects repeats). */
export type OptionSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

/** Accepted by every command. */
export const GLOBAL_OPTIONS: OptionSpec = { json: { type: "boolean" }, help: { type: "boolean", short: "h" } };

/**
 * Parses argv with `node:util` parseArgs, strictly: an unknown option or a missing value is a
 * UsageError (exit code 2) with a message that names the option, in Chinese and English.
 */
export function parseArgs(argv: string[], options: OptionSpec = {}): Args {
  const spec = { ...GLOBAL_OPTIONS, ...options };
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = nodeParseArgs({ args: argv, options: spec, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(describeParseError(e, argv, spec));
  }
  const result: Args = { positionals: parsed.positionals, options: new Map(), flags: new Set() };
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === undefined) continue;
    if (spec[name]?.type === "boolean") {
      if (value === true || (Array.isArray(value) && value.includes(true))) result.flags.add(name);
    } else {
      result.options.set(name, (Array.isArray(value) ? value : [value]).map(String));
    }
  }
  return result;
}

function describeParseError(e: unknown, argv: string[], spec: OptionSpec): string {
  const code = (e as { code?: string }).code;
  const message = (e as Error).message;
  const named = /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? argv.find((a) => a.startsWith("-")) ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const known = Object.keys(spec).map((k) => `--${k}`).join(" ");
    return `未知选项 ${named} / unknown option ${named} (accepted here: ${known})`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const name = named.replace(/^-+/, "");
    if (spec[name]?.type === "boolean") return `${named} 不带值 / ${named} takes no value`;
    return `${named} 缺少值 / ${named} needs a value`;
  }
  return message;
}

/** The last value of an option. */
export function opt(args: Args, name: string): string | undefined {
  const values = args.options.get(name);
  return values?.[values.length - 1];
}

/** A wrong command line: printed with usage, exit code 2. */
export class UsageError extends Error {}

/** Writes one JSON document (the whole stdout of a --json command). */
export function printJson(io: CliIo, value: unknown): void {
  io.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
