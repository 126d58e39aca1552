// `npm run db:migrate`: applies pending migrations to DATABASE_URL (same as `prisma migrate deploy`).
import { createDb, DEFAULT_DATABASE_URL, migrateDb, waitForDatabase } from "@xieshui/core/server";

const db = createDb(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
try {
  await waitForDatabase(db, { onRetry: (m) => console.error(m) });
  const applied = await migrateDb(db);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
} finally {
  await db.close();
}
