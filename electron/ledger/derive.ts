// Derived case state: DPD, bucket, arrears, outstanding, the latest promise's status,
// the last contact and the priority, computed from schedule + facts for one business
// date by the shared domain rules and cached in the cases row. refreshDerived rewrites
// every case (new business date, demo generation); deriveCase rewrites one inside a
// command's transaction, so the worklist never disagrees with the facts.
import { bucketFor } from '../../shared/domain/buckets';
import { priorityFor } from '../../shared/domain/priority';
import { promiseStatus } from '../../shared/domain/promise';
import { loanPosition } from '../../shared/domain/schedule';
import type {
  CaseFlags,
  Fen,
  Instalment,
  IsoDate,
  PaymentLine,
  PriorityReason,
  PromiseStatus,
} from '../../shared/domain/types';
import type { LedgerDb } from './db';
import { META, setMeta } from './meta';
import type { LedgerPolicy } from './policy';
import { stmt } from './statements';

interface CaseInputs {
  id: string;
  flags: CaseFlags;
  nextActionDate: IsoDate | null;
  loans: Map<string, { schedule: Instalment[]; payments: PaymentLine[] }>;
  payments: PaymentLine[];
  latestPromise: { factId: string; madeOn: IsoDate; dueDate: IsoDate; amountFen: Fen } | null;
  lastContact: { at: string; on: IsoDate; channel: string; outcome: string } | null;
}

export interface CaseDerived {
  dpd: number;
  bucket: string;
  arrearsFen: Fen;
  outstandingFen: Fen;
  promise: { factId: string; dueDate: IsoDate; amountFen: Fen; status: PromiseStatus } | null;
  lastContact: { at: string; on: IsoDate; channel: string; outcome: string } | null;
  priorityScore: number;
  priorityReasons: PriorityReason[];
}

type CaseRowRaw = [string, number, number, number, number, string | null, string];
type LoanScheduleRaw = [string, string, string];
type PaymentRaw = [string, string, string, number];
type CoreRepaymentsRaw = [string, string, string];
type PromiseRaw = [string, string, string, string, number];
type ContactRaw = [string, string, string, string, string];

/**
 * What the cases row holds now, in one string, so an unchanged case is not rewritten:
 * on a new day every current loan with nothing due stays exactly as it was.
 */
const STORED_DERIVED_SQL = `dpd || '|' || bucket || '|' || arrears_fen || '|' || outstanding_fen || '|' ||
  ifnull(promise_fact_id, '') || '|' || ifnull(promise_due_date, '') || '|' || ifnull(promise_amount_fen, '') || '|' ||
  ifnull(promise_status, '') || '|' || ifnull(last_contact_at, '') || '|' || ifnull(last_contact_on, '') || '|' ||
  ifnull(last_contact_channel, '') || '|' || ifnull(last_contact_outcome, '') || '|' || priority_score || '|' ||
  priority_reasons`;

function derivedFingerprint(d: CaseDerived): string {
  return [
    d.dpd,
    d.bucket,
    d.arrearsFen,
    d.outstandingFen,
    d.promise?.factId ?? '',
    d.promise?.dueDate ?? '',
    d.promise?.amountFen ?? '',
    d.promise?.status ?? '',
    d.lastContact?.at ?? '',
    d.lastContact?.on ?? '',
    d.lastContact?.channel ?? '',
    d.lastContact?.outcome ?? '',
    // SQLite prints a REAL with a fractional part as JS does; whole numbers as '12.0'.
    Number.isInteger(d.priorityScore) ? `${d.priorityScore}.0` : String(d.priorityScore),
    JSON.stringify(d.priorityReasons),
  ].join('|');
}

/** 'seq,due,principal,interest;...' (built by SQLite, far cheaper than one JS row per instalment). */
function parseSchedule(packed: string | null): Instalment[] {
  if (!packed) return [];
  return packed.split(';').map((part) => {
    const [seq, dueDate, principal, interest] = part.split(',');
    return {
      seq: Number(seq),
      dueDate: dueDate as string,
      principalFen: Number(principal),
      interestFen: Number(interest),
    };
  });
}

/** 'paidOn,amount;...' */
function parseLines(packed: string | null): PaymentLine[] {
  if (!packed) return [];
  return packed.split(';').map((part) => {
    const [paidOn, amount] = part.split(',');
    return { paidOn: paidOn as string, amountFen: Number(amount) };
  });
}

interface LoadedCase extends CaseInputs {
  stored: string;
}

/** Loads everything the rules need for the cases with fromId <= id <= toId (ids sort as text). */
function loadCaseInputs(
  db: LedgerDb,
  fromId: string,
  toId: string,
  asOf: IsoDate,
): Map<string, LoadedCase> {
  const cases = new Map<string, LoadedCase>();
  const caseRows = stmt<CaseRowRaw>(
    db,
    `SELECT id, flag_hardship, flag_vulnerable, flag_dispute, flag_do_not_contact, next_action_date,
       ${STORED_DERIVED_SQL}
     FROM cases WHERE id >= ? AND id <= ?`,
  )
    .raw()
    .all(fromId, toId);
  for (const [id, h, v, d, dnc, next, stored] of caseRows) {
    cases.set(id, {
      id,
      flags: { hardship: h === 1, vulnerable: v === 1, dispute: d === 1, doNotContact: dnc === 1 },
      nextActionDate: next,
      loans: new Map(),
      payments: [],
      latestPromise: null,
      lastContact: null,
      stored,
    });
  }
  const schedules = stmt<LoanScheduleRaw>(
    db,
    `SELECT l.case_id, l.id,
       (SELECT group_concat(i.seq || ',' || i.due_date || ',' || i.principal_fen || ',' || i.interest_fen, ';')
        FROM instalments i WHERE i.loan_id = l.id)
     FROM loans l WHERE l.case_id >= ? AND l.case_id <= ?`,
  )
    .raw()
    .all(fromId, toId);
  for (const [caseId, loanId, packed] of schedules) {
    cases.get(caseId)?.loans.set(loanId, { schedule: parseSchedule(packed), payments: [] });
  }
  // Reversed payments are removed before the rules run (see PaymentLine).
  const payments = stmt<PaymentRaw>(
    db,
    `SELECT p.case_id, p.loan_id, p.paid_on, p.amount_fen FROM payments p
     WHERE p.case_id >= ? AND p.case_id <= ? AND p.paid_on <= ?
       AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id)`,
  )
    .raw()
    .all(fromId, toId, asOf);
  for (const [caseId, loanId, paidOn, amountFen] of payments) {
    const c = cases.get(caseId);
    if (!c) continue;
    const line = { paidOn, amountFen };
    c.payments.push(line);
    c.loans.get(loanId)?.payments.push(line);
  }
  // Core-banking repayments, except posted field receipts this device already counts as facts.
  const coreRepayments = stmt<CoreRepaymentsRaw>(
    db,
    `SELECT r.case_id, r.loan_id, group_concat(r.paid_on || ',' || r.amount_fen, ';') FROM core_repayments r
     WHERE r.case_id >= ? AND r.case_id <= ? AND r.paid_on <= ?
       AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))
     GROUP BY r.case_id, r.loan_id`,
  )
    .raw()
    .all(fromId, toId, asOf);
  for (const [caseId, loanId, packed] of coreRepayments) {
    const c = cases.get(caseId);
    if (!c) continue;
    const lines = parseLines(packed);
    for (const line of lines) c.payments.push(line);
    const loan = c.loans.get(loanId);
    if (loan) for (const line of lines) loan.payments.push(line);
  }
  // SQLite takes the bare columns of an aggregate query from the row holding max().
  const promises = stmt<PromiseRaw>(
    db,
    `SELECT case_id, fact_id, made_on, due_date, amount_fen, max(made_at) FROM promises
     WHERE case_id >= ? AND case_id <= ? AND made_on <= ? GROUP BY case_id`,
  )
    .raw()
    .all(fromId, toId, asOf);
  for (const [caseId, factId, madeOn, dueDate, amountFen] of promises) {
    const c = cases.get(caseId);
    if (c) c.latestPromise = { factId, madeOn, dueDate, amountFen };
  }
  const contacts = stmt<ContactRaw>(
    db,
    `SELECT case_id, max(occurred_at), business_date, channel, outcome FROM contacts
     WHERE case_id >= ? AND case_id <= ? AND business_date <= ? GROUP BY case_id`,
  )
    .raw()
    .all(fromId, toId, asOf);
  for (const [caseId, at, on, channel, outcome] of contacts) {
    const c = cases.get(caseId);
    if (c) c.lastContact = { at, on, channel, outcome };
  }
  return cases;
}

function computeDerived(c: CaseInputs, asOf: IsoDate, policy: LedgerPolicy): CaseDerived {
  let dpd = 0;
  let arrearsFen = 0;
  let outstandingFen = 0;
  for (const loan of c.loans.values()) {
    const pos = loanPosition(loan.schedule, loan.payments, asOf);
    if (pos.daysPastDue > dpd) dpd = pos.daysPastDue;
    arrearsFen += pos.arrearsFen;
    outstandingFen += pos.outstandingPrincipalFen;
  }
  let promise: CaseDerived['promise'] = null;
  if (c.latestPromise) {
    const p = c.latestPromise;
    const { status } = promiseStatus(p, c.payments, asOf, policy.promiseGraceDays);
    promise = { factId: p.factId, dueDate: p.dueDate, amountFen: p.amountFen, status };
  }
  const priority = priorityFor({
    asOf,
    daysPastDue: dpd,
    arrearsFen,
    latestPromise: promise ? { dueDate: promise.dueDate, status: promise.status } : null,
    lastContactOn: c.lastContact?.on ?? null,
    nextActionDate: c.nextActionDate,
    flags: c.flags,
  });
  return {
    dpd,
    bucket: bucketFor(dpd, policy.buckets),
    arrearsFen,
    outstandingFen,
    promise,
    lastContact: c.lastContact,
    priorityScore: priority.score,
    priorityReasons: priority.reasons,
  };
}

function writeDerived(db: LedgerDb, caseId: string, d: CaseDerived): void {
  stmt(
    db,
    `UPDATE cases SET dpd = ?, bucket = ?, arrears_fen = ?, outstanding_fen = ?,
       promise_fact_id = ?, promise_due_date = ?, promise_amount_fen = ?, promise_status = ?,
       last_contact_at = ?, last_contact_on = ?, last_contact_channel = ?, last_contact_outcome = ?,
       priority_score = ?, priority_reasons = ?
     WHERE id = ?`,
  ).run(
    d.dpd,
    d.bucket,
    d.arrearsFen,
    d.outstandingFen,
    d.promise?.factId ?? null,
    d.promise?.dueDate ?? null,
    d.promise?.amountFen ?? null,
    d.promise?.status ?? null,
    d.lastContact?.at ?? null,
    d.lastContact?.on ?? null,
    d.lastContact?.channel ?? null,
    d.lastContact?.outcome ?? null,
    d.priorityScore,
    JSON.stringify(d.priorityReasons),
    caseId,
  );
}

/** Recomputes one case's derived columns; call inside the command's transaction. */
export function deriveCase(
  db: LedgerDb,
  caseId: string,
  asOf: IsoDate,
  policy: LedgerPolicy,
): CaseDerived | null {
  const c = loadCaseInputs(db, caseId, caseId, asOf).get(caseId);
  if (!c) return null;
  const derived = computeDerived(c, asOf, policy);
  if (derivedFingerprint(derived) !== c.stored) writeDerived(db, caseId, derived);
  return derived;
}

const REFRESH_CHUNK = 1000;

/**
 * Derives these cases for `asOf`: read in chunks with one range query per table (a case in
 * a chunk's range but not in the list is read and left alone). `ids` must be in SQLite's
 * order (ORDER BY id), which the ranges follow. Returns how many rows changed.
 */
export function deriveCases(
  db: LedgerDb,
  ids: readonly string[],
  asOf: IsoDate,
  policy: LedgerPolicy,
): number {
  const wanted = new Set(ids);
  let rewritten = 0;
  for (let i = 0; i < ids.length; i += REFRESH_CHUNK) {
    const chunk = ids.slice(i, i + REFRESH_CHUNK);
    const inputs = loadCaseInputs(db, chunk[0] as string, chunk[chunk.length - 1] as string, asOf);
    for (const c of inputs.values()) {
      if (!wanted.has(c.id)) continue;
      const derived = computeDerived(c, asOf, policy);
      if (derivedFingerprint(derived) !== c.stored) {
        writeDerived(db, c.id, derived);
        rewritten++;
      }
    }
  }
  return rewritten;
}

/**
 * Recomputes every case for `asOf` in one transaction and records meta.derived_as_of.
 * Cases are read in id-ordered chunks with one range query per table, so the cost is a
 * few sequential index scans rather than several queries per case.
 */
export function refreshDerived(
  db: LedgerDb,
  asOf: IsoDate,
  policy: LedgerPolicy,
): { cases: number; rewritten: number; ms: number } {
  const started = performance.now();
  let rewritten = 0;
  const count = db
    .transaction(() => {
      const ids = stmt<string>(db, 'SELECT id FROM cases ORDER BY id').pluck().all();
      rewritten = deriveCases(db, ids, asOf, policy);
      setMeta(db, META.derivedAsOf, asOf);
      return ids.length;
    })
    .immediate();
  return { cases: count, rewritten, ms: performance.now() - started };
}
