// Creates a new Prisma migration without `prisma migrate dev` (which cannot run offline here):
// diffs the schema as last committed (or empty) against prisma/schema.prisma and writes
// prisma/migrations/<timestamp>_<name>/migration.sql. Usage: npm run db:new-migration -- <name>
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, readdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run db:new-migration -- <name>");
  process.exit(2);
}
const migrationsDir = "prisma/migrations";
const hasMigrations = readdirSync(migrationsDir).some((d) => /^\d{14}_/.test(d));

let from: string[];
if (hasMigrations) {
  // The committed schema is the one the existing migrations produce (commit schema and migration together).
  const tmp = mkdtempSync(join(tmpdir(), "xs-migr-"));
  const previous = join(tmp, "previous.prisma");
  writeFileSync(previous, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8" }));
  from = ["--from-schema-datamodel", previous];
} else {
  from = ["--from-empty"];
}
const sql = execFileSync(
  "npx",
  ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { encoding: "utf8" },
);
if (!/\b(CREATE|ALTER|DROP|INSERT|PRAGMA)\b/.test(sql)) {
  console.error("The schema has not changed since the last commit: no migration written.");
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "migration.sql"), sql);
console.log(`wrote ${dir}/migration.sql`);
