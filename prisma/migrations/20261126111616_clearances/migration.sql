-- CreateTable
CREATE TABLE "Clearance" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "certificateNo" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tax" TEXT NOT NULL,
    "plate" TEXT,
    "vin" TEXT,
    "contractNo" TEXT,
    "taxpayerId" TEXT NOT NULL,
    "taxpayerName" TEXT NOT NULL,
    "periodStart" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "paidOn" TEXT NOT NULL,
    "batchId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ClearanceImportBatch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "fileName" TEXT NOT NULL,
    "userId" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "Clearance_certificateNo_key" ON "Clearance"("certificateNo");

-- CreateIndex
CREATE INDEX "Clearance_plate_periodEnd_idx" ON "Clearance"("plate", "periodEnd");

-- CreateIndex
CREATE INDEX "Clearance_vin_periodEnd_idx" ON "Clearance"("vin", "periodEnd");

-- CreateIndex
CREATE INDEX "Clearance_contractNo_idx" ON "Clearance"("contractNo");

-- CreateIndex
CREATE INDEX "ClearanceImportBatch_startedAt_idx" ON "ClearanceImportBatch"("startedAt");

