// A process that migrates a database file the moment its parent says "go" on stdin, for
// migrate.test.ts (several processes starting together on one fresh file). Prints one JSON line:
// `{ "applied": [names] }` or `{ "error": message }`.
import { createDb } from "./db.ts";
import { migrate } from "./migrate.ts";

const db = createDb(`file:${process.argv[2]}`);
process.stdout.write("ready\n");
process.stdin.once("data", () => {
  let out: { applied: string[] } | { error: string };
  try {
    out = { applied: migrate(db.sqlite) };
  } catch (e) {
    out = { error: (e as Error).message };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  void db.close().then(() => process.exit(0));
});
