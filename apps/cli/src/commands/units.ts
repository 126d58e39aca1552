import { listUnits, type Deps } from "@xieshui/core/server";
import { t } from "@xieshui/core";
import { printJson, type Args, type CliIo } from "../io.ts";

/** `units list [--json]` → [{ code, name, type }] */
export async function unitsCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const units = await listUnits(deps);
  if (args.flags.has("json")) {
    printJson(io, units.map(({ code, name, type }) => ({ code, name, type })));
    return 0;
  }
  for (const u of units) io.out.write(`${u.code.padEnd(24)} ${t("zh-CN", `unit-type-${u.type}`).padEnd(10)} ${u.name}\n`);
  return 0;
}
