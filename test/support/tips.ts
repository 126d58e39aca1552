import { join } from "node:path";
import { createTipContext, type Deps, type TipContext } from "@xieshui/core/server";

/**
 * Tip keys and evidence in the test's folder: where SQLite keeps them by default (beside the
 * database file), and a folder for PostgreSQL, which has no file to sit beside.
 */
export function testTips(deps: Deps, dir: string): TipContext {
  return createTipContext(deps, { keyFile: join(dir, "tip-keys.json"), generateKey: true, storeDir: join(dir, "tips") });
}
