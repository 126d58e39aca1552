-- CreateTable
CREATE TABLE "AbuseCounter" (
    "key" TEXT NOT NULL,
    "hour" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "AbuseCounter_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "AbuseCounter_hour_idx" ON "AbuseCounter"("hour");

