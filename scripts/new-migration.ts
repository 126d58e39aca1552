// Creates a new migration for BOTH databases without `prisma migrate dev` (which cannot run offline
// here): diffs the models as last committed against prisma/schema.prisma, for SQLite and for the
// PostgreSQL schema derived from it (scripts/prisma-schemas.mjs), and writes
// prisma/migrations/<timestamp>_<name>/migration.sql and prisma/pg/migrations/<timestamp>_<name>/migration.sql.
// Prisma's diff for PostgreSQL needs a reachable server, so a temporary one is started (scripts/pg-temp.ts).
// Usage: npm run db:new-migration -- <name>
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pgSchema } from "./prisma-schemas.mjs";
import { startTempPostgres } from "./pg-temp.ts";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:new-migration -- <name>");
  process.exit(2);
}
execFileSync("node", ["scripts/prisma-schemas.mjs"]);
// The committed models are the ones the existing migrations produce (commit models and migrations together).
const tmp = mkdtempSync(join(tmpdir(), "xs-migr-"));
const previous = join(tmp, "previous.prisma");
const previousPg = join(tmp, "previous-pg.prisma");
const committed = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8" });
writeFileSync(previous, committed);
writeFileSync(previousPg, pgSchema(committed));

const diff = (config: string[], from: string, to: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync("npx", ["prisma", "migrate", "diff", ...config, "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--script"], { encoding: "utf8", env });

const sql = diff([], previous, "prisma/schema.prisma");
if (!/\b(CREATE|ALTER|DROP|INSERT|PRAGMA)\b/.test(sql)) {
  console.error("The models have not changed since the last commit: no migration written.");
  process.exit(1);
}
const server = await startTempPostgres({ fast: true });
let pgSql: string;
try {
  pgSql = diff(["--config", "prisma.pg.config.ts"], previousPg, "prisma/pg/schema.prisma", { ...process.env, PG_DATABASE_URL: server.adminUrl });
} finally {
  server.stop();
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
for (const [dir, text] of [[join("prisma/migrations", `${stamp}_${name}`), sql], [join("prisma/pg/migrations", `${stamp}_${name}`), pgSql]] as const) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), text);
  console.log(`wrote ${dir}/migration.sql`);
}
