// Operations only a branch manager (or admin) may call: the dashboard, plan decisions,
// reassignment, override reviews, exports. The ledger refuses them for officers
// (AppError 'forbidden', reason 'manager_only').
import { z } from 'zod';
import type { DashboardSummary } from '../domain/portfolio';
import type { Fen, HardshipReason, Instant, IsoDate } from '../domain/types';
import type { PlanStatus, UserSummary, WorklistPage } from './contract';
import { entityId, isoDate, op } from './operation';

// ---------- output types ----------

export interface ManagerDashboard {
  /** The dashboard date; the period is the month to date. */
  asOf: IsoDate;
  period: { from: IsoDate; to: IsoDate };
  /** Roll and cure rates compare the snapshot of this date (the previous month end) with asOf. */
  rollFrom: IsoDate;
  /** The officer the figures are narrowed to, if any. */
  officerId: string | null;
  /** Every active officer of the branch (names for the per-officer table). */
  officers: UserSummary[];
  dashboard: DashboardSummary;
}

export interface PlanForDecision {
  factId: string;
  caseId: string;
  loanId: string;
  loanNo: string;
  borrowerName: string;
  village: string;
  officer: UserSummary;
  status: PlanStatus;
  hardshipReasons: HardshipReason[];
  monthlyIncomeFen: Fen;
  essentialExpensesFen: Fen;
  affordableFen: Fen;
  monthlyFen: Fen;
  totalFen: Fen;
  months: number;
  firstDueDate: IsoDate;
  instalments: { seq: number; dueDate: IsoDate; amountFen: Fen }[];
  note: string | null;
  proposedAt: Instant;
  proposedBy: UserSummary;
  /** Days past due and arrears of the case now. */
  daysPastDue: number;
  arrearsFen: Fen;
  decision: { factId: string; at: Instant; by: UserSummary; comment: string } | null;
}

export interface PlanDecided {
  factId: string;
  caseId: string;
  planFactId: string;
  decision: 'approved' | 'rejected';
  occurredAt: Instant;
  /** From this business date the plan's schedule is the loan's (approval only). */
  effectiveOn: IsoDate | null;
}

export interface CasesReassigned {
  /** One reassignment fact per case that changed officer. */
  factIds: string[];
  reassigned: number;
  /** Cases already with that officer: nothing recorded for them. */
  unchanged: string[];
}

export interface OverrideForReview {
  factId: string;
  caseId: string;
  borrowerName: string;
  at: Instant;
  businessDate: IsoDate;
  by: UserSummary;
  ruleCodes: string[];
  reason: string;
  review: { at: Instant; by: UserSummary; comment: string | null } | null;
}

export interface OverrideReviewed {
  overrideFactId: string;
  reviewedAt: Instant;
}

export interface ExportWritten {
  file: string;
  rows: number;
  bytes: number;
}

// ---------- input schemas ----------

const officerMeasure = z.enum([
  'caseload',
  'contacts',
  'effectiveContacts',
  'rightPartyContacts',
  'promisesMade',
  'keptRateBase',
  'collected',
  'overrides',
  'untouched',
]);
const rollOutcome = z.enum([
  'cured',
  'improved',
  'stayed',
  'rolledForward',
  'rolledTwoPlus',
  'closed',
  'missing',
  'start',
]);
const bucketCode = z.string().min(1).max(16);

/** A number on the dashboard (DashboardFigure in shared/domain/portfolio). */
export const dashboardFigureSchema = z.discriminatedUnion('figure', [
  z.object({ figure: z.literal('aging'), bucket: bucketCode }).strict(),
  z.object({ figure: z.literal('portfolio') }).strict(),
  z
    .object({
      figure: z.literal('par'),
      days: z.union([z.literal(1), z.literal(30), z.literal(90)]),
    })
    .strict(),
  z.object({ figure: z.literal('arrears') }).strict(),
  z.object({ figure: z.literal('collection'), group: z.enum(['due', 'short']) }).strict(),
  z
    .object({
      figure: z.literal('promises'),
      group: z.enum(['made', 'fallingDue', 'kept', 'partlyKept', 'broken', 'pending', 'matured']),
    })
    .strict(),
  z.object({ figure: z.literal('ptp'), group: z.enum(['effective', 'promised']) }).strict(),
  z.object({ figure: z.literal('roll'), bucket: bucketCode, outcome: rollOutcome }).strict(),
  z
    .object({ figure: z.literal('rollMatrix'), fromBucket: bucketCode, toBucket: bucketCode })
    .strict(),
  z.object({ figure: z.literal('cured') }).strict(),
  z.object({ figure: z.literal('newLoans') }).strict(),
  z
    .object({
      figure: z.literal('noContact'),
      days: z.union([z.literal(7), z.literal(14), z.literal(30)]),
    })
    .strict(),
  z.object({ figure: z.literal('neverContacted') }).strict(),
  z.object({ figure: z.literal('overrides'), group: z.enum(['inPeriod', 'toReview']) }).strict(),
  z.object({ figure: z.literal('officer'), officerId: entityId, measure: officerMeasure }).strict(),
]);

export const dashboardQuerySchema = z
  .object({ asOf: isoDate.optional(), officerId: entityId.optional() })
  .strict();

export const casesBehindSchema = z
  .object({
    figure: dashboardFigureSchema,
    asOf: isoDate.optional(),
    officerId: entityId.optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();

export const planDecideSchema = z
  .object({
    planFactId: entityId,
    decision: z.enum(['approved', 'rejected']),
    comment: z.string().trim().min(1).max(1000),
  })
  .strict();

export const reassignSchema = z
  .object({
    caseIds: z.array(entityId).min(1).max(500),
    toOfficerId: entityId,
    reason: z.string().trim().min(2).max(1000),
  })
  .strict();

export const managerPlansSchema = z
  .object({ status: z.enum(['proposed', 'approved', 'rejected']).default('proposed') })
  .strict();

export const managerOverridesSchema = z.object({ reviewed: z.boolean().optional() }).strict();

export const overrideReviewSchema = z
  .object({ overrideFactId: entityId, comment: z.string().trim().max(1000).optional() })
  .strict();

/** The worklist's filters without paging: an export takes every matching case. */
export const exportWorklistFiltersSchema = z
  .object({
    officerId: entityId.optional(),
    township: z.string().max(64).optional(),
    village: z.string().max(64).optional(),
    bucket: z.string().max(16).optional(),
    search: z.string().trim().max(64).optional(),
    promise: z.enum(['due_today', 'overdue', 'due_today_or_overdue']).optional(),
    notContactedDays: z.number().int().min(1).max(3650).optional(),
    hardship: z.boolean().optional(),
    followUpDue: z.boolean().optional(),
    groupBy: z.enum(['none', 'village']).default('none'),
  })
  .strict();

const exportCommon = {
  format: z.enum(['xlsx', 'csv']),
  /** Absolute path chosen in the save dialog (main process). */
  file: z.string().min(1).max(1024),
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
};

export const exportListSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('worklist'),
      filters: exportWorklistFiltersSchema.default({ groupBy: 'none' }),
      ...exportCommon,
    })
    .strict(),
  z
    .object({
      kind: z.literal('cases'),
      /** The cases behind a dashboard number, or an explicit list (a selection). */
      figure: dashboardFigureSchema.optional(),
      caseIds: z.array(entityId).min(1).max(100_000).optional(),
      asOf: isoDate.optional(),
      officerId: entityId.optional(),
      ...exportCommon,
    })
    .strict()
    .refine((v) => (v.figure === undefined) !== (v.caseIds === undefined), {
      message: 'give either figure or caseIds',
      path: ['figure'],
    }),
  z
    .object({
      kind: z.literal('dashboard'),
      asOf: isoDate.optional(),
      officerId: entityId.optional(),
      ...exportCommon,
    })
    .strict(),
]);

// ---------- the operations ----------

export const managerOps = {
  /** Every dashboard figure for a date (default today), numbers only. */
  'manager.dashboard': op<ManagerDashboard>()(dashboardQuerySchema),
  /** The worklist rows of the cases behind one dashboard number, one page at a time. */
  'manager.casesBehind': op<WorklistPage>()(casesBehindSchema),
  /** Proposed plans waiting for a decision (or decided ones, by status). */
  'manager.plans': op<PlanForDecision[]>()(managerPlansSchema),
  /** Approve or reject a proposed plan; an approved plan becomes the loan's schedule. */
  'plan.decide': op<PlanDecided>()(planDecideSchema),
  /** Reassign cases to another officer: one reassignment fact per case, one transaction. */
  'cases.reassign': op<CasesReassigned>()(reassignSchema),
  /** Conduct overrides, waiting for review by default. */
  'manager.overrides': op<OverrideForReview[]>()(managerOverridesSchema),
  'override.review': op<OverrideReviewed>()(overrideReviewSchema),
  /** A list or the dashboard to XLSX or CSV (UTF-8 with BOM). */
  'export.list': op<ExportWritten>()(exportListSchema),
} as const;
