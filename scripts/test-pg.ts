// `npm run test:pg`: the whole test suite (the same files as `npm test`) on PostgreSQL. Starts a
// temporary server from Debian's `postgresql` package (scripts/pg-temp.ts), migrates one template
// database that every test database copies, runs vitest with the server's address in the
// environment (test/factories/db.ts reads it), and removes the server afterwards, also on Ctrl-C.
// Arguments are passed to vitest (`npm run test:pg -- apps/api`).
import { spawn } from "node:child_process";
import { createDb, migrateDb } from "@xieshui/core/server";
import { startTempPostgres } from "./pg-temp.ts";

const server = await startTempPostgres({ fast: true });
let code = 1;
try {
  const template = "xieshui_template";
  const admin = createDb(server.adminUrl);
  await admin.pg.query(`CREATE DATABASE "${template}"`);
  await admin.close();
  const db = createDb(server.urlFor(template));
  const applied = await migrateDb(db);
  await db.close();
  console.log(`test:pg: PostgreSQL on 127.0.0.1:${server.port}, template migrated (${applied.length} migrations)`);
  const child = spawn("npx", ["vitest", "run", ...process.argv.slice(2)], {
    stdio: "inherit",
    // Small pools: every test file opens its own databases, and the server has 400 connections for all of them.
    env: { PG_POOL_MAX: "4", ...process.env, XIESHUI_TEST_PG_ADMIN_URL: server.adminUrl, XIESHUI_TEST_PG_TEMPLATE: template },
  });
  const stop = () => child.kill("SIGINT");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  code = await new Promise<number>((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
} finally {
  server.stop();
}
process.exit(code);
