-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "dupKey" TEXT,
    "duplicateOfId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'submitted',
    "timeliness" TEXT NOT NULL,
    "dueAt" DATETIME,
    "period" TEXT,
    "nil" BOOLEAN NOT NULL DEFAULT false,
    "rowCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewedAt" DATETIME,
    "reviewerId" TEXT,
    "reviewComment" TEXT
);

-- CreateTable
CREATE TABLE "ReportPhoto" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reportId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReportPhoto_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FeedRow" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reportId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "data" TEXT NOT NULL,
    "flag" TEXT,
    CONSTRAINT "FeedRow_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RefusedReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "dueAt" DATETIME,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Report_type_createdAt_idx" ON "Report"("type", "createdAt");

-- CreateIndex
CREATE INDEX "Report_unitId_type_period_idx" ON "Report"("unitId", "type", "period");

-- CreateIndex
CREATE INDEX "Report_dupKey_idx" ON "Report"("dupKey");

-- CreateIndex
CREATE INDEX "Report_status_createdAt_idx" ON "Report"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Report_userId_clientId_key" ON "Report"("userId", "clientId");

-- CreateIndex
CREATE UNIQUE INDEX "ReportPhoto_reportId_sha256_key" ON "ReportPhoto"("reportId", "sha256");

-- CreateIndex
CREATE INDEX "FeedRow_reportId_line_idx" ON "FeedRow"("reportId", "line");

-- CreateIndex
CREATE INDEX "RefusedReport_unitId_at_idx" ON "RefusedReport"("unitId", "at");

-- CreateIndex
CREATE INDEX "RefusedReport_type_at_idx" ON "RefusedReport"("type", "at");

-- CreateIndex
CREATE UNIQUE INDEX "RefusedReport_userId_clientId_key" ON "RefusedReport"("userId", "clientId");

