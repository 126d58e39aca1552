import { z } from "zod";
import { EVALUATION_CRITERIA, FIGURE_KEYS, LOCAL_TAXES, RoleSchema, TARGET_STATUSES, TAX_FIGURE_KINDS, UnitTypeSchema, type EvaluationCriterion, type FigureKey } from "@xieshui/core";

// Response shapes of the API. Request bodies use the shared schemas of @xieshui/core; these only
// describe (and, through the serializer, restrict) what leaves the server. No transforms here:
// responses are encoded, not parsed.

export const UnitViewSchema = z.object({ code: z.string(), name: z.string(), type: UnitTypeSchema });

/** The DESIGN.md `user` object of /auth/redeem and /me. */
export const UserViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  unit: UnitViewSchema,
  roles: z.array(RoleSchema),
});

/** A new session: the bearer token (shown once) and who it belongs to. */
export const SessionResponseSchema = z.object({ token: z.string(), user: UserViewSchema });

export const UnitListSchema = z.array(UnitViewSchema.extend({ parent: z.string().nullable() }));

export const InviteStatusSchema = z.enum(["active", "used", "expired", "revoked"]);

export const InviteViewSchema = z.object({
  id: z.string(),
  unit: z.object({ code: z.string(), name: z.string() }),
  roles: z.array(RoleSchema),
  name: z.string().nullable(),
  label: z.string().nullable(),
  status: InviteStatusSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  usedBy: z.string().nullable(),
});

/** A freshly created invite: the code is returned once and never stored in clear. */
export const IssuedInviteSchema = z.object({ code: z.string(), invite: InviteViewSchema });

export const LinkCodeResponseSchema = z.object({ code: z.string(), expiresAt: z.string() });

// --- reports, clearances, errors (issue 7: every route documents its responses) -------------------
// Views built by core use loose objects: the documented fields are checked on the way out, and a
// field core adds later is passed on rather than silently dropped.

/** A view of core's: loose at run time (extra fields pass), typed by its documented fields. */
const view = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape) as unknown as z.ZodObject<T>;

const Bilingual = z.object({ "zh-CN": z.string(), en: z.string() });

/** The contract's error body (DESIGN.md), for the OpenAPI document. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    reason: z.string().optional(),
  }),
});

/** GET /report-types: one entry per type, with field specs, labels in both languages and a JSON Schema. */
export const ReportTypesSchema = z.object({
  types: z.array(
    view({
      code: z.string(),
      kind: z.enum(["event", "feed"]),
      title: Bilingual,
      unitTypes: z.array(z.string()),
      fields: z.array(view({ name: z.string(), kind: z.string(), label: Bilingual })),
      deadline: Bilingual,
      dueDay: z.number().optional(),
      jsonSchema: z.record(z.string(), z.unknown()),
    }),
  ),
});

/** A report as its reporter, the reviewer and the API see it. */
export const ReportViewSchema = view({
  id: z.string(),
  type: z.string(),
  status: z.string(),
  timeliness: z.string(),
  unit: z.object({ code: z.string(), name: z.string() }),
  reporter: z.string(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()),
  period: z.string().nullable(),
  nil: z.boolean(),
  rowCount: z.number(),
  possibleDuplicateOf: z.string().nullable(),
  dueAt: z.string().nullable(),
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
  reviewComment: z.string().nullable(),
  photos: z.number(),
});

/** POST /reports (DESIGN.md: `{ id, status, timeliness }`) and the 本期无 filing. */
export const ReportBriefSchema = z.object({
  id: z.string(),
  status: z.string(),
  timeliness: z.string(),
  possibleDuplicateOf: z.string().nullable(),
});

/** A feed upload's answer: the brief plus what the file held. */
export const FeedUploadedSchema = ReportBriefSchema.extend({
  period: z.string().nullable(),
  rows: z.number(),
  format: z.enum(["csv", "xlsx"]),
  encoding: z.string().nullable(),
  flagged: z.array(z.object({ line: z.number(), flag: z.string() })),
});

export const ReportListSchema = z.object({ reports: z.array(ReportViewSchema) });

export const MissingFeedsSchema = z.object({
  missing: z.array(view({ type: z.string(), period: z.string(), unit: z.object({ code: z.string(), name: z.string(), type: z.string() }), dueDate: z.string(), overdue: z.boolean() })),
});

export const TimelinessSchema = z.object({
  period: z.string(),
  units: z.array(
    view({ unit: z.object({ code: z.string(), name: z.string(), type: z.string() }), onTime: z.number(), late: z.number(), overdue: z.number(), refused: z.number(), missingFeeds: z.number() }),
  ),
});

export const FeedStatusSchema = z.object({
  period: z.string(),
  today: z.string(),
  feeds: z.array(
    view({
      type: z.string(),
      period: z.string(),
      dueDate: z.string(),
      overdue: z.boolean(),
      filed: view({ id: z.string(), nil: z.boolean(), rowCount: z.number(), timeliness: z.string(), status: z.string(), createdAt: z.string() }).nullable(),
    }),
  ),
});

const PhotoMetaSchema = z.object({ id: z.string(), sha256: z.string(), mime: z.string(), size: z.number() });
export const PhotoStoredSchema = PhotoMetaSchema.extend({ created: z.boolean() });
export const PhotoListSchema = z.object({ photos: z.array(PhotoMetaSchema) });

export const FeedRowsSchema = z.object({
  total: z.number(),
  rows: z.array(z.object({ line: z.number(), data: z.record(z.string(), z.unknown()), flag: z.string().nullable() })),
});

/** DESIGN.md: the answer of POST /clearances/check (names masked, never an ID number). */
export const ClearanceCheckResultSchema = z.object({
  kind: z.enum(["vehicle_vessel", "property_transfer"]),
  key: z.string(),
  keyType: z.enum(["plate", "vin", "contract"]),
  cleared: z.boolean(),
  results: z.array(
    z.object({
      year: z.number().optional(),
      tax: z.string().optional(),
      status: z.enum(["paid", "exempt", "none"]),
      certificateNo: z.string().optional(),
      taxpayerName: z.string().optional(),
    }),
  ),
});

export const CheckLogSchema = z.object({
  checks: z.array(
    view({
      at: z.string(),
      user: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
      unit: z.object({ code: z.string().nullable(), name: z.string().nullable() }),
      kind: z.string().nullable(),
      key: z.string().nullable(),
      result: z.string(),
    }),
  ),
});

export const UnusualCheckersSchema = view({
  from: z.string(),
  to: z.string(),
  median: z.number(),
  users: z.array(
    view({ userId: z.string(), name: z.string().nullable(), unit: z.object({ code: z.string().nullable(), name: z.string().nullable() }), checks: z.number(), ratio: z.number() }),
  ),
});

/** DESIGN.md: `{ imported, updated, rejected: [{ line, reason }] }`, plus the run's state. */
export const ClearanceImportSummarySchema = view({
  imported: z.number(),
  updated: z.number(),
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
  dryRun: z.boolean(),
  complete: z.boolean(),
  batchId: z.string().nullable(),
  failedBatch: z.object({ fromLine: z.number(), toLine: z.number(), rows: z.number(), reason: z.string() }).optional(),
});

/** Body-less POSTs (log out, link code, revoke): nothing is needed; an empty JSON object is accepted. */
export const NoBodySchema = z.object({}).nullish().meta({ description: "No body needed." });

const FiguresSchema = z.object(Object.fromEntries(FIGURE_KEYS.map((k) => [k, z.number().nullable()])) as Record<FigureKey, z.ZodNullable<z.ZodNumber>>);
const OversightMemberSchema = z.object({ unit: UnitViewSchema, figures: FiguresSchema });
const OversightRowSchema = OversightMemberSchema.extend({ total: FiguresSchema.optional(), members: z.array(OversightMemberSchema).optional() });

/** GET /oversight/units: every unit's figures for a period (null = not available yet, see notes). */
export const OversightUnitsSchema = z.object({
  period: z.object({ code: z.string(), kind: z.enum(["month", "quarter", "year"]), from: z.string(), to: z.string() }),
  rows: z.array(OversightRowSchema),
  district: FiguresSchema,
  notes: z.array(z.string()),
});

const TargetLineSchema = z.object({
  tax: z.enum(LOCAL_TAXES),
  targetFen: z.string().nullable().meta({ description: "fen as a decimal string; null: no target" }),
  actualFen: z.string().meta({ description: "fen collected from January to `through`" }),
  quarterFen: z.string().optional(),
  share: z.number().nullable(),
  status: z.enum(TARGET_STATUSES),
});

/** GET /targets/progress: every town's four taxes against their targets, and the district's. */
export const TargetProgressSchema = z.object({
  year: z.number(),
  through: z.string().nullable(),
  monthsElapsed: z.number(),
  yearShare: z.number(),
  towns: z.array(z.object({ unit: z.object({ code: z.string(), name: z.string() }), taxes: z.array(TargetLineSchema) })),
  district: z.array(TargetLineSchema),
  empty: z.boolean(),
  noTargets: z.boolean(),
});

/** POST /targets/import: the clearance import's shape. */
export const TaxFigureImportSummarySchema = z.object({
  kind: z.enum(TAX_FIGURE_KINDS),
  imported: z.number(),
  updated: z.number(),
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
  rejectedCount: z.number(),
  dryRun: z.boolean(),
  importId: z.string(),
});

const PackChangeSchema = z.object({ unit: UnitViewSchema, before: z.number(), after: z.number() });

/** GET /oversight/accountability: the quarter's accountability list (责任追究), most days late first. */
export const AccountabilityListSchema = z.object({
  quarter: z.string(),
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  empty: z.boolean(),
  items: z.array(
    z.object({
      unit: z.object({ code: z.string(), name: z.string(), town: z.string().nullable() }),
      duty: z.object({ kind: z.enum(["feed", "task", "tip"]), kindLabel: z.string(), text: z.string() }),
      dueOn: z.string(),
      daysLate: z.number(),
      done: z.boolean(),
      doneOn: z.string().nullable(),
      reminders: z.array(z.object({ stage: z.number(), label: z.string(), on: z.string(), recipients: z.number(), text: z.string() })),
    }),
  ),
  rule: z.string(),
  file: z.object({ fileName: z.string(), url: z.string() }),
});

/** GET /oversight/quarterly: the meeting pack's content, as the files show it. */
export const QuarterlyPackSchema = z.object({
  quarter: z.string(),
  previousQuarter: z.string(),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  empty: z.boolean(),
  noActivity: z.boolean(),
  overview: z.array(z.object({ key: z.string(), label: z.string(), value: z.number().nullable(), previous: z.number().nullable() })),
  rows: z.array(OversightRowSchema),
  improved: z.array(PackChangeSchema),
  behind: z.array(PackChangeSchema),
  notes: z.array(z.string()),
  targets: TargetProgressSchema.extend({ quarter: z.string(), quarterMonths: z.array(z.string()) }).optional(),
  accountability: AccountabilityListSchema.omit({ file: true }).optional(),
  files: z.array(z.object({ format: z.enum(["xlsx", "html", "pdf"]), fileName: z.string(), url: z.string() })),
});

const CriteriaPoints = z.object(Object.fromEntries(EVALUATION_CRITERIA.map((c) => [c, z.number().nullable()])) as Record<EvaluationCriterion, z.ZodNullable<z.ZodNumber>>);
const Weights = z.object(Object.fromEntries(EVALUATION_CRITERIA.map((c) => [c, z.number()])) as Record<EvaluationCriterion, z.ZodNumber>);

/** A recorded evaluation adjustment. */
export const EvaluationAdjustmentViewSchema = z.object({ id: z.string(), unit: UnitViewSchema, points: z.number(), reason: z.string(), by: z.string().nullable(), at: z.string() });

/** GET /oversight/evaluation: the year's ranking, adjustments, candidates and rules. */
export const AnnualEvaluationSchema = z.object({
  year: z.number(),
  weights: Weights,
  weightsSet: z.boolean(),
  rows: z.array(z.object({ rank: z.number(), unit: UnitViewSchema, town: z.string().nullable(), points: CriteriaPoints, adjustment: z.number(), total: z.number(), max: z.number() })),
  adjustments: z.array(EvaluationAdjustmentViewSchema),
  candidates: z.array(z.object({ name: z.string(), unit: z.string(), acceptedReports: z.number(), checks: z.number(), quizzes: z.number(), quizAverage: z.number().nullable() })),
  rules: z.array(z.object({ criterion: z.enum(EVALUATION_CRITERIA), label: z.string(), weight: z.number(), rule: z.string() })),
});

/** PUT /oversight/evaluation/weights answer. */
export const EvaluationWeightsSchema = z.object({ year: z.number(), weights: Weights });

/** GET /oversight/evaluation/evidence: what earned or cost a unit its points. */
export const EvaluationEvidenceSchema = z.object({
  year: z.number(),
  unit: UnitViewSchema,
  items: z.array(z.object({ criterion: z.enum(EVALUATION_CRITERIA), effect: z.enum(["earned", "cost"]), text: z.string(), reportId: z.string().optional() })),
});

/** A meeting task as its unit and the coordinator see it (`overdue`: open and past its due day, CST). */
export const MeetingTaskViewSchema = z.object({
  id: z.string(),
  meeting: z.object({ id: z.string(), heldOn: z.string(), title: z.string() }),
  unit: UnitViewSchema,
  title: z.string(),
  detail: z.string().nullable(),
  dueOn: z.string(),
  status: z.enum(["open", "done"]),
  overdue: z.boolean(),
  doneAt: z.string().nullable(),
  doneNote: z.string().nullable(),
});

/** GET /tasks/mine. */
export const MeetingTaskListSchema = z.object({ tasks: z.array(MeetingTaskViewSchema) });

/** A recorded meeting with its attendees and tasks. */
export const MeetingViewSchema = z.object({
  id: z.string(),
  heldOn: z.string(),
  title: z.string(),
  decisions: z.string(),
  createdAt: z.string(),
  attendees: z.array(z.object({ unit: UnitViewSchema, people: z.string().nullable() })),
  tasks: z.array(MeetingTaskViewSchema),
  taskCounts: z.object({ open: z.number(), overdue: z.number(), done: z.number() }),
});

/** GET /meetings. */
export const MeetingListSchema = z.object({ meetings: z.array(MeetingViewSchema) });
// --- entrusted collection (委托代征) ---------------------------------------------------------------

const EntrustedUnitRefSchema = z.object({ code: z.string(), name: z.string() });

/** One inspection of a collector unit, with its follow-up (overdue: due before today, not done). */
export const EntrustedInspectionSchema = z.object({
  id: z.string(),
  unit: EntrustedUnitRefSchema,
  inspectedOn: z.string(),
  findings: z.string(),
  followUp: z.string().nullable(),
  followUpBy: z.string().nullable(),
  followUpDoneOn: z.string().nullable(),
  followUpNote: z.string().nullable(),
  overdue: z.boolean(),
});

/** An agent of a collector (personal data: only officers, admins, coordinators and the unit itself see it). */
export const EntrustedAgentSchema = z.object({ id: z.string(), name: z.string(), certificateNo: z.string(), phone: z.string().nullable(), active: z.boolean() });

/** A collector unit with its agreement (null until registered), agents, last inspection and open follow-ups. */
export const EntrustedCollectorSchema = z.object({
  unit: EntrustedUnitRefSchema,
  agreement: z.object({ agreementNo: z.string(), scope: z.string(), validFrom: z.string(), validTo: z.string(), expired: z.boolean() }).nullable(),
  agents: z.array(EntrustedAgentSchema),
  lastInspection: EntrustedInspectionSchema.nullable(),
  openFollowUps: z.array(EntrustedInspectionSchema),
});
