-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN "claimToken" TEXT;
ALTER TABLE "Outbox" ADD COLUMN "claimedUntil" DATETIME;
ALTER TABLE "Outbox" ADD COLUMN "failedAt" DATETIME;

-- CreateTable
CREATE TABLE "QuizQuestion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "difficulty" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" TEXT
);

-- CreateTable
CREATE TABLE "Quiz" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "passMark" INTEGER NOT NULL,
    "opensAt" DATETIME NOT NULL,
    "closesAt" DATETIME NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "pushedAt" DATETIME
);

-- CreateTable
CREATE TABLE "QuizItem" (
    "quizId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "questionId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,

    PRIMARY KEY ("quizId", "position"),
    CONSTRAINT "QuizItem_quizId_fkey" FOREIGN KEY ("quizId") REFERENCES "Quiz" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "QuizAssignment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "quizId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "assignedAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "correct" INTEGER,
    "score" INTEGER,
    "passed" BOOLEAN,
    "botStatus" TEXT NOT NULL,
    "remindedAt" DATETIME,
    CONSTRAINT "QuizAssignment_quizId_fkey" FOREIGN KEY ("quizId") REFERENCES "Quiz" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "QuizAnswer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "assignmentId" TEXT NOT NULL,
    "quizId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "questionId" TEXT NOT NULL,
    "chosen" TEXT NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "channel" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "QuizAnswer_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "QuizAssignment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "QuizPoll" (
    "pollId" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "assignmentId" TEXT,
    "roundId" TEXT,
    "position" INTEGER NOT NULL,
    "chatId" TEXT NOT NULL,
    "messageId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "QuizReview" (
    "userId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "due" DATETIME NOT NULL,
    "stability" REAL NOT NULL,
    "difficulty" REAL NOT NULL,
    "elapsedDays" INTEGER NOT NULL,
    "scheduledDays" INTEGER NOT NULL,
    "learningSteps" INTEGER NOT NULL,
    "reps" INTEGER NOT NULL,
    "lapses" INTEGER NOT NULL,
    "state" INTEGER NOT NULL,
    "lastReview" DATETIME,
    "wrongCount" INTEGER NOT NULL,
    "mistakeOpen" BOOLEAN NOT NULL,
    "lastWrong" TEXT,
    "lastWrongAt" DATETIME,

    PRIMARY KEY ("userId", "questionId")
);

-- CreateTable
CREATE TABLE "PracticeRound" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "questionIds" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "PracticeAnswer" (
    "roundId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "questionId" TEXT NOT NULL,
    "chosen" TEXT NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "channel" TEXT NOT NULL,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("roundId", "position"),
    CONSTRAINT "PracticeAnswer_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "PracticeRound" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PracticeReminder" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL,
    "hour" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "QuizQuestion_articleId_idx" ON "QuizQuestion"("articleId");

-- CreateIndex
CREATE INDEX "Quiz_status_createdAt_idx" ON "Quiz"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "QuizItem_quizId_questionId_key" ON "QuizItem"("quizId", "questionId");

-- CreateIndex
CREATE INDEX "QuizAssignment_userId_idx" ON "QuizAssignment"("userId");

-- CreateIndex
CREATE INDEX "QuizAssignment_quizId_unitId_idx" ON "QuizAssignment"("quizId", "unitId");

-- CreateIndex
CREATE UNIQUE INDEX "QuizAssignment_quizId_userId_key" ON "QuizAssignment"("quizId", "userId");

-- CreateIndex
CREATE INDEX "QuizAnswer_quizId_position_idx" ON "QuizAnswer"("quizId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "QuizAnswer_assignmentId_position_key" ON "QuizAnswer"("assignmentId", "position");

-- CreateIndex
CREATE INDEX "QuizReview_userId_due_idx" ON "QuizReview"("userId", "due");

-- CreateIndex
CREATE UNIQUE INDEX "PracticeRound_userId_day_key" ON "PracticeRound"("userId", "day");

