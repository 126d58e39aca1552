-- CreateTable
CREATE TABLE "Tip" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "receiptHash" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "realName" BOOLEAN NOT NULL DEFAULT false,
    "body" TEXT NOT NULL,
    "filedOn" TEXT NOT NULL,
    "acknowledgeBy" TEXT NOT NULL,
    "concludeBy" TEXT NOT NULL,
    "acknowledgedOn" TEXT,
    "closedOn" TEXT,
    "unitId" TEXT,
    "rewardBand" TEXT,
    "purgeOn" TEXT
);

-- CreateTable
CREATE TABLE "TipMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tipId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "from" TEXT NOT NULL,
    "authorId" TEXT,
    "text" TEXT NOT NULL,
    "on" TEXT NOT NULL,
    CONSTRAINT "TipMessage_tipId_fkey" FOREIGN KEY ("tipId") REFERENCES "Tip" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TipEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tipId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "byUserId" TEXT NOT NULL,
    "on" TEXT NOT NULL,
    CONSTRAINT "TipEvent_tipId_fkey" FOREIGN KEY ("tipId") REFERENCES "Tip" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TipAttachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tipId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "file" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "addedOn" TEXT NOT NULL,
    CONSTRAINT "TipAttachment_tipId_fkey" FOREIGN KEY ("tipId") REFERENCES "Tip" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Tip_receiptHash_key" ON "Tip"("receiptHash");

-- CreateIndex
CREATE INDEX "Tip_status_filedOn_idx" ON "Tip"("status", "filedOn");

-- CreateIndex
CREATE INDEX "Tip_unitId_status_idx" ON "Tip"("unitId", "status");

-- CreateIndex
CREATE INDEX "Tip_purgeOn_idx" ON "Tip"("purgeOn");

-- CreateIndex
CREATE UNIQUE INDEX "TipMessage_tipId_seq_key" ON "TipMessage"("tipId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "TipEvent_tipId_seq_key" ON "TipEvent"("tipId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "TipAttachment_tipId_seq_key" ON "TipAttachment"("tipId", "seq");

