// A process that imports a clearance file into a database and prints one line per written batch
// ("progress <rows>"), for recovery.test.ts, which kills it with SIGKILL mid-way, as a crash or
// an OOM kill would. Arguments: the database URL, the CSV file.
import { createDb } from "../db.ts";
import { createDeps } from "../deps.ts";
import { systemActor } from "../identity/actor.ts";
import { importClearances } from "./import.ts";

const [url, file] = process.argv.slice(2);
const db = createDb(url!);
const deps = createDeps(db);
await importClearances(deps, systemActor("test"), file!, {
  batchSize: 1000,
  parallel: false,
  onProgress: ({ rows }) => process.stdout.write(`progress ${rows}\n`),
});
process.stdout.write("done\n");
await db.close();
