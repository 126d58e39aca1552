-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "heldOn" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "decisions" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingAttendee" (
    "meetingId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "people" TEXT,

    CONSTRAINT "MeetingAttendee_pkey" PRIMARY KEY ("meetingId","unitId")
);

-- CreateTable
CREATE TABLE "MeetingTask" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "detail" TEXT,
    "dueOn" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "doneAt" TIMESTAMP(3),
    "doneById" TEXT,
    "doneNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MeetingTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DutyEscalation" (
    "id" TEXT NOT NULL,
    "dutyKind" TEXT NOT NULL,
    "dutyRef" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "dueOn" TEXT NOT NULL,
    "stage" INTEGER NOT NULL,
    "recipients" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DutyEscalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EntrustedCollector" (
    "unitId" TEXT NOT NULL,
    "agreementNo" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "validFrom" TEXT NOT NULL,
    "validTo" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EntrustedCollector_pkey" PRIMARY KEY ("unitId")
);

-- CreateTable
CREATE TABLE "EntrustedAgent" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "certificateNo" TEXT NOT NULL,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EntrustedAgent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EntrustedInspection" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "inspectedOn" TEXT NOT NULL,
    "officerId" TEXT,
    "findings" TEXT NOT NULL,
    "followUp" TEXT,
    "followUpBy" TEXT,
    "followUpDoneOn" TEXT,
    "followUpNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EntrustedInspection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaxTarget" (
    "year" INTEGER NOT NULL,
    "unitId" TEXT NOT NULL,
    "tax" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "TaxTarget_pkey" PRIMARY KEY ("year","unitId","tax")
);

-- CreateTable
CREATE TABLE "TaxActual" (
    "month" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "tax" TEXT NOT NULL,
    "amountFen" BIGINT NOT NULL,
    "batchId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TaxActual_pkey" PRIMARY KEY ("month","unitId","tax")
);

-- CreateTable
CREATE TABLE "TaxFigureImport" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "imported" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "byUserId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TaxFigureImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Meeting_heldOn_idx" ON "Meeting"("heldOn");

-- CreateIndex
CREATE INDEX "MeetingAttendee_unitId_idx" ON "MeetingAttendee"("unitId");

-- CreateIndex
CREATE INDEX "MeetingTask_unitId_status_idx" ON "MeetingTask"("unitId", "status");

-- CreateIndex
CREATE INDEX "MeetingTask_status_dueOn_idx" ON "MeetingTask"("status", "dueOn");

-- CreateIndex
CREATE INDEX "MeetingTask_meetingId_idx" ON "MeetingTask"("meetingId");

-- CreateIndex
CREATE INDEX "DutyEscalation_unitId_at_idx" ON "DutyEscalation"("unitId", "at");

-- CreateIndex
CREATE INDEX "DutyEscalation_at_idx" ON "DutyEscalation"("at");

-- CreateIndex
CREATE UNIQUE INDEX "DutyEscalation_dutyKind_dutyRef_unitId_stage_key" ON "DutyEscalation"("dutyKind", "dutyRef", "unitId", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "EntrustedCollector_agreementNo_key" ON "EntrustedCollector"("agreementNo");

-- CreateIndex
CREATE UNIQUE INDEX "EntrustedAgent_certificateNo_key" ON "EntrustedAgent"("certificateNo");

-- CreateIndex
CREATE INDEX "EntrustedAgent_unitId_idx" ON "EntrustedAgent"("unitId");

-- CreateIndex
CREATE INDEX "EntrustedInspection_unitId_inspectedOn_idx" ON "EntrustedInspection"("unitId", "inspectedOn");

-- CreateIndex
CREATE INDEX "EntrustedInspection_followUpDoneOn_followUpBy_idx" ON "EntrustedInspection"("followUpDoneOn", "followUpBy");

-- CreateIndex
CREATE INDEX "TaxActual_unitId_month_idx" ON "TaxActual"("unitId", "month");

-- AddForeignKey
ALTER TABLE "MeetingAttendee" ADD CONSTRAINT "MeetingAttendee_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingTask" ADD CONSTRAINT "MeetingTask_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

