-- CreateTable
CREATE TABLE "AttemptCounter" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "windowEnd" BIGINT NOT NULL,

    CONSTRAINT "AttemptCounter_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "AttemptCounter_windowEnd_idx" ON "AttemptCounter"("windowEnd");

