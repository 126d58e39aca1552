-- CreateTable
CREATE TABLE "EvaluationConfig" (
    "year" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "weights" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" TEXT
);

-- CreateTable
CREATE TABLE "EvaluationAdjustment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "year" INTEGER NOT NULL,
    "unitId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "EvaluationAdjustment_year_unitId_idx" ON "EvaluationAdjustment"("year", "unitId");

