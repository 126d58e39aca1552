// A process that migrates database files the moment its parent says "go" on stdin, for
// migrate.test.ts (several processes starting together on one fresh file). The files are its
// arguments, one per "go" line, in order; each is opened beforehand, as a starting server would.
// Prints "ready", then one JSON line per file: `{ "applied": [names] }` or `{ "error": message }`.
import { createInterface } from "node:readline";
import { createDb } from "./db.ts";
import { migrate } from "./migrate.ts";

const dbs = process.argv.slice(2).map((file) => createDb(`file:${file}`));
let next = 0;
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
lines.on("line", () => {
  const db = dbs[next++];
  if (!db) return;
  let out: { applied: string[] } | { error: string };
  try {
    out = { applied: migrate(db.sqlite) };
  } catch (e) {
    out = { error: (e as Error).message };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
});
lines.on("close", () => {
  void Promise.all(dbs.map((db) => db.close())).then(() => process.exit(0));
});
