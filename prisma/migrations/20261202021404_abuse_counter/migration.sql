-- CreateTable
CREATE TABLE "AbuseCounter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "hour" INTEGER NOT NULL,
    "count" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "AbuseCounter_hour_idx" ON "AbuseCounter"("hour");

