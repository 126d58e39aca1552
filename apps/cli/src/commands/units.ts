import { createUnit, isAppError, listUnits, systemActor, type Deps } from "@xieshui/core/server";
import { t } from "@xieshui/core";
import { opt, printJson, type Args, type CliIo } from "../io.ts";

/**
 * `units add --name <name> --type <type> [--parent <town code>] [--code <code>] [--json]`: the unit
 * administration of the admin page, for the operator (e.g. an entrusted_collector). A refused field
 * names its option: bad input exits 2, a name already taken 1.
 */
async function addUnit(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const input = Object.fromEntries(["name", "type", "parent", "code"].flatMap((k) => (opt(args, k) !== undefined ? [[k, opt(args, k)]] : [])));
  try {
    const unit = await createUnit(deps, systemActor("cli"), { name: "", type: "", ...input });
    if (args.flags.has("json")) printJson(io, unit);
    else io.out.write(`${unit.code}\n`);
    return 0;
  } catch (e) {
    if (!isAppError(e) || !e.fields) throw e;
    const lines = Object.entries(e.fields).map(([field, message]) => `--${field}: ${message}`);
    if (args.flags.has("json")) printJson(io, { error: { code: e.code === "invalid_input" ? "usage" : e.code, reason: e.reason, message: lines.join("; "), fields: e.fields } });
    io.err.write(`${lines.join("\n")}\n`);
    return e.code === "invalid_input" ? 2 : 1;
  }
}

/** `units list [--json]` → [{ code, name, type }]; `units add ...` (see addUnit). */
export async function unitsCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  if (args.positionals[1] === "add") return addUnit(deps, args, io);
  const units = await listUnits(deps);
  if (args.flags.has("json")) {
    printJson(io, units.map(({ code, name, type }) => ({ code, name, type })));
    return 0;
  }
  for (const u of units) io.out.write(`${u.code.padEnd(24)} ${t("zh-CN", `unit-type-${u.type}`).padEnd(10)} ${u.name}\n`);
  return 0;
}
