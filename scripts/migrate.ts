// `npm run db:migrate`: applies pending migrations to DATABASE_URL (same as `prisma migrate deploy`).
import { createDb, migrate } from "@xieshui/core/server";

const db = createDb(process.env.DATABASE_URL ?? "file:./data/xieshui.db");
try {
  const applied = migrate(db.sqlite);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
} finally {
  await db.close();
}
