-- CreateTable
CREATE TABLE "StoredFile" (
    "namespace" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "bytes" BLOB NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("namespace", "key")
);

