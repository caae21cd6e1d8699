// The one API between the renderer and the ledger. Each operation is a name, a zod
// schema for its input (validated in main / the dev bridge before any handler runs)
// and an output type. Electron IPC and the dev bridge both serve exactly this map.
import { z } from 'zod';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  type CaseFlags,
  type ContactChannel,
  type ContactOutcome,
  type ContactParty,
  type FactKind,
  type Fen,
  type Instant,
  type IsoDate,
  type PriorityReason,
  type PromiseStatus,
  type UserRole,
} from '../domain/types';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');
const entityId = z.string().min(1).max(64);
const shortText = z.string().trim().max(2000);

// ---------- output types ----------

export interface UserSummary {
  id: string;
  name: string;
  role: UserRole;
}

export interface AppInfo {
  appVersion: string;
  schemaVersion: number;
  branch: { id: string; code: string; name: string; timezone: string };
  /** The business date the ledger's derived state (DPD, buckets, priority) is computed for. */
  today: IsoDate;
  currentUser: UserSummary;
  officers: UserSummary[];
  /** True for the generated demo ledger: no server, no sign-in. */
  demo: boolean;
  /** Where the ledger's encryption key is kept: Electron safeStorage, or the dev bridge's key file. */
  keyStorage: 'safe-storage' | 'dev-key-file' | 'test';
  caseCount: number;
}

export interface WorklistFacets {
  townships: { name: string; villages: string[] }[];
  buckets: { code: string; minDays: number; maxDays: number | null }[];
}

export interface WorklistRow {
  caseId: string;
  borrowerName: string;
  phone: string | null;
  township: string;
  village: string;
  loanNo: string;
  officer: UserSummary;
  daysPastDue: number;
  bucket: string;
  arrearsFen: Fen;
  outstandingFen: Fen;
  promise: { dueDate: IsoDate; amountFen: Fen; status: PromiseStatus } | null;
  lastContact: { at: Instant; channel: ContactChannel; outcome: ContactOutcome } | null;
  nextActionDate: IsoDate | null;
  flags: CaseFlags;
  priorityScore: number;
  reasons: PriorityReason[];
}

export interface WorklistPage {
  rows: WorklistRow[];
  total: number;
  asOf: IsoDate;
}

export interface InstalmentView {
  seq: number;
  dueDate: IsoDate;
  principalFen: Fen;
  interestFen: Fen;
  paidFen: Fen;
  status: 'paid' | 'partly_paid' | 'overdue' | 'due' | 'future';
}

export interface LoanView {
  id: string;
  loanNo: string;
  product: string;
  principalFen: Fen;
  disbursedOn: IsoDate;
  termMonths: number;
  status: 'active' | 'closed';
  daysPastDue: number;
  bucket: string;
  arrearsFen: Fen;
  /** Unpaid principal after every payment known to this device, field payments included. */
  outstandingFen: Fen;
  schedule: InstalmentView[];
}

export interface ContactPointView {
  id: string;
  kind: 'mobile' | 'landline' | 'address';
  value: string;
  party: ContactParty;
  name: string | null;
  relation: string | null;
  status: 'active' | 'invalid';
}

export interface TimelineEntry {
  factId: string;
  kind: FactKind;
  occurredAt: Instant;
  recordedBy: UserSummary;
  /** Kind-specific fields, already free of secrets; the renderer formats them. */
  details: Record<string, string | number | boolean | null>;
}

export interface CaseFile {
  caseId: string;
  status: 'open' | 'closed';
  flags: CaseFlags;
  officer: UserSummary;
  nextActionDate: IsoDate | null;
  borrower: {
    id: string;
    name: string;
    gender: 'F' | 'M' | null;
    idNumberMasked: string;
    township: string;
    village: string;
    county: string;
    address: string;
  };
  contactPoints: ContactPointView[];
  loans: LoanView[];
  promises: {
    factId: string;
    madeOn: IsoDate;
    dueDate: IsoDate;
    amountFen: Fen;
    status: PromiseStatus;
  }[];
  priority: { score: number; reasons: PriorityReason[] };
  timeline: TimelineEntry[];
  asOf: IsoDate;
}

export interface RecordedFact {
  factId: string;
  caseId: string;
  kind: FactKind;
  occurredAt: Instant;
}

// ---------- input schemas ----------

export const worklistQuerySchema = z
  .object({
    officerId: entityId.optional(),
    township: z.string().max(64).optional(),
    village: z.string().max(64).optional(),
    bucket: z.string().max(16).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();

export const recordContactSchema = z
  .object({
    caseId: entityId,
    channel: z.enum(CONTACT_CHANNELS),
    party: z.enum(CONTACT_PARTIES),
    contactPointId: entityId.optional(),
    outcome: z.enum(CONTACT_OUTCOMES),
    note: shortText.optional(),
    nextActionDate: isoDate.optional(),
    secondCollectorId: entityId.optional(),
  })
  .strict();

// ---------- the contract ----------

/** An operation: its input schema, and its output type carried as a phantom. */
export interface Operation<I extends z.ZodType, O> {
  input: I;
  readonly __output?: O;
}

function op<O>() {
  return <I extends z.ZodType>(input: I): Operation<I, O> => ({ input });
}

const noInput = z.object({}).strict();

export const api = {
  'app.info': op<AppInfo>()(noInput),
  'worklist.facets': op<WorklistFacets>()(noInput),
  'worklist.list': op<WorklistPage>()(worklistQuerySchema),
  'case.get': op<CaseFile>()(z.object({ caseId: entityId }).strict()),
  'contact.record': op<RecordedFact>()(recordContactSchema),
} as const;

export type Api = typeof api;
export type OpName = keyof Api;
/** What a caller sends (defaults may be left out). */
export type OpInput<N extends OpName> = z.input<Api[N]['input']>;
/** What a handler receives after validation (defaults filled in). */
export type OpParsedInput<N extends OpName> = z.output<Api[N]['input']>;
export type OpOutput<N extends OpName> = Api[N] extends Operation<z.ZodType, infer O> ? O : never;

export const OP_NAMES = Object.keys(api) as OpName[];

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}

/** Who is calling: set by the transport from the signed-in session, never by the renderer. */
export interface CallContext {
  userId: string;
}

export type ApiHandlers = {
  [N in OpName]: (input: OpParsedInput<N>, ctx: CallContext) => OpOutput<N> | Promise<OpOutput<N>>;
};

/** What the renderer sees, over IPC (preload) or HTTP (dev bridge). */
export interface FieldbookApi {
  invoke<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>>;
}
