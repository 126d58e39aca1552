-- AlterTable
ALTER TABLE "Unit" ADD COLUMN "address" TEXT;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN "lastUsedAt" DATETIME;
ALTER TABLE "Session" ADD COLUMN "userAgent" TEXT;

-- CreateTable
CREATE TABLE "ReportVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reportId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "clientId" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "submittedAt" DATETIME NOT NULL,
    "reviewedAt" DATETIME,
    "reviewerId" TEXT,
    "reviewComment" TEXT,
    "returnedFields" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReportVersion_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (hand-written: ADD COLUMN instead of Prisma's table redefinition, so migrations of
-- other branches that add Report columns cannot drop these, nor these theirs)
ALTER TABLE "Report" ADD COLUMN "returnedFields" TEXT;
ALTER TABLE "Report" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "Report" ADD COLUMN "versionClientId" TEXT;
ALTER TABLE "Report" ADD COLUMN "versionAt" DATETIME;
ALTER TABLE "Report" ADD COLUMN "sourceCheckId" INTEGER;

-- CreateIndex
CREATE INDEX "ReportVersion_reportId_clientId_idx" ON "ReportVersion"("reportId", "clientId");

-- CreateIndex
CREATE UNIQUE INDEX "ReportVersion_reportId_version_key" ON "ReportVersion"("reportId", "version");

