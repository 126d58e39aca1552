import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// Prisma CLI configuration for the PostgreSQL schema (prisma/pg/schema.prisma, generated from the
// models file by scripts/prisma-schemas.mjs). Used for `prisma generate` and `prisma migrate diff`
// only: migrations are applied by packages/core/src/server/migrate-pg.ts, not by the CLI, so none of
// the adapter-pg workarounds for `migrate deploy` (../shared/notes/prisma-offline.md) are needed.
const url = process.env.PG_DATABASE_URL ?? "postgresql://localhost:5432/xieshui";
process.env.DATABASE_URL = url;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/pg/schema.prisma",
  async adapter() {
    return new PrismaPg({ connectionString: url });
  },
});
