import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Prisma CLI configuration. The JS (WebAssembly) schema engine and the better-sqlite3 driver
// adapter avoid any download of native engines (see ../shared/notes/prisma-offline.md).
// The schema's datasource names DATABASE_URL; without a value the CLI cannot read the schema
// and falls back to downloading a query engine, so a default is set here.
const url = process.env.DATABASE_URL ?? "file:./data/xieshui.db";
process.env.DATABASE_URL = url;
// better-sqlite3 creates the file but not its folder.
if (url.startsWith("file:")) mkdirSync(dirname(url.slice("file:".length)), { recursive: true });

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
