-- CreateTable
CREATE TABLE "KnowledgeArticle" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "tags" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "law" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updated" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" TEXT
);

-- CreateTable
CREATE TABLE "KnowledgeRevision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "articleId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "tags" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "law" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updated" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "restoredFrom" INTEGER,
    "authorId" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "KnowledgeRevision_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "KnowledgeArticle" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "KnowledgeZeroResult" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "query" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "KnowledgeSynonym" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "terms" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "KnowledgeRevision_articleId_revision_key" ON "KnowledgeRevision"("articleId", "revision");

-- CreateIndex
CREATE INDEX "KnowledgeZeroResult_query_idx" ON "KnowledgeZeroResult"("query");

-- CreateIndex
CREATE INDEX "KnowledgeZeroResult_at_idx" ON "KnowledgeZeroResult"("at");

