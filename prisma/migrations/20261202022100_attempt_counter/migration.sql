-- CreateTable
CREATE TABLE "AttemptCounter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL,
    "windowEnd" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "AttemptCounter_windowEnd_idx" ON "AttemptCounter"("windowEnd");

