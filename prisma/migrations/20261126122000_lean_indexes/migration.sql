-- Written by hand (Prisma's schema cannot express partial indexes; see the comments in
-- prisma/schema.prisma on models Clearance and AuditLog). Measured on 1,000,000 clearance rows
-- (BENCHMARKS.md): the import and every check pay for each index entry they write.

-- Clearance: the plate/VIN indexes only over vehicle rows, the contract index only over property
-- rows. The full indexes held 200,000 NULL plates, 200,000 NULL VINs and 800,000 NULL contract
-- numbers that no query ever reads. The check's lookups (`plate = ?`, `vin = ?`, `contractNo = ?`)
-- imply `IS NOT NULL`, so SQLite still picks these indexes (EXPLAIN QUERY PLAN in
-- packages/core/src/server/clearances/clearances.test.ts).
DROP INDEX "Clearance_plate_periodEnd_idx";
DROP INDEX "Clearance_vin_periodEnd_idx";
DROP INDEX "Clearance_contractNo_idx";
CREATE INDEX "Clearance_plate_periodEnd_partial" ON "Clearance"("plate", "periodEnd") WHERE "plate" IS NOT NULL;
CREATE INDEX "Clearance_vin_periodEnd_partial" ON "Clearance"("vin", "periodEnd") WHERE "vin" IS NOT NULL;
CREATE INDEX "Clearance_contractNo_partial" ON "Clearance"("contractNo") WHERE "contractNo" IS NOT NULL;

-- AuditLog: no query filters or orders by `at` alone (oversight, the rate limit and the unusual-
-- checker report all filter by action, user or unit first, served by the three (x, at) indexes),
-- yet every check wrote an entry into it. Dropped in schema.prisma too (@@index([at]) removed).
DROP INDEX "AuditLog_at_idx";
