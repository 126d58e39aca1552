import type { Writable } from "node:stream";

/** Where a command writes. With `--json` exactly one JSON document goes to `out`; people-facing text goes to `err`. */
export interface CliIo {
  out: Writable;
  err: Writable;
}

/** Parsed argv: positionals and repeated `--flag value` options (`--json`, `--dry-run` are booleans). */
export interface Args {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

const BOOLEAN_FLAGS = new Set(["json", "dry-run", "help", "force"]);

/** Parses argv without a library: `--role a --role b` collects both values. */
export function parseArgs(argv: string[]): Args {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--")) {
      const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
      if (BOOLEAN_FLAGS.has(name) && inline === undefined) {
        flags.add(name);
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options.set(name, [...(options.get(name) ?? []), value]);
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, options, flags };
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
