// Everything the case file screen shows, for the ledger's business date: the borrower
// and contact points, each loan with its schedule as payments have paid it down, the
// promises with their status, and one timeline of every fact (newest first) with who
// recorded it.
import type {
  CaseFile,
  ContactPointView,
  LoanView,
  TimelineEntry,
} from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { bucketFor } from '../../../shared/domain/buckets';
import { promiseStatus } from '../../../shared/domain/promise';
import { loanPosition } from '../../../shared/domain/schedule';
import type {
  FactKind,
  Instalment,
  IsoDate,
  PaymentLine,
  PromiseStatus,
  UserRole,
} from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import type { LedgerPolicy } from '../policy';
import { stmt } from '../statements';
import { flagsOf, reasonsOf, userOf } from './rows';

interface CaseDbRow {
  id: string;
  status: 'open' | 'closed';
  flag_hardship: number;
  flag_vulnerable: number;
  flag_dispute: number;
  flag_do_not_contact: number;
  next_action_date: string | null;
  priority_score: number;
  priority_reasons: string;
  officer_id: string;
  officer_name: string;
  officer_role: UserRole;
  borrower_id: string;
  name: string;
  gender: 'F' | 'M' | null;
  id_number_masked: string;
  township: string;
  village: string;
  county: string;
  address: string;
}

interface LoanDbRow {
  id: string;
  loan_no: string;
  product: string;
  principal_fen: number;
  disbursed_on: string;
  term_months: number;
  status: 'active' | 'closed';
}

interface FactDbRow {
  id: string;
  kind: FactKind;
  occurred_at: string;
  payload: string;
  recorded_by: string;
  user_name: string | null;
  user_role: UserRole | null;
}

type Primitive = string | number | boolean | null;

export function caseFile(
  db: LedgerDb,
  caseId: string,
  asOf: IsoDate,
  policy: LedgerPolicy,
): CaseFile {
  const c = stmt<CaseDbRow>(
    db,
    `SELECT c.id, c.status, c.flag_hardship, c.flag_vulnerable, c.flag_dispute, c.flag_do_not_contact,
       c.next_action_date, c.priority_score, c.priority_reasons,
       c.officer_id, u.name AS officer_name, u.role AS officer_role,
       b.id AS borrower_id, b.name, b.gender, b.id_number_masked, b.township, b.village, b.county, b.address
     FROM cases c JOIN borrowers b ON b.id = c.borrower_id JOIN users u ON u.id = c.officer_id
     WHERE c.id = ?`,
  ).get(caseId);
  if (!c)
    throw new AppError('not_found', 'No such case on this device', { entity: 'case', id: caseId });

  const contactPoints = stmt<ContactPointView>(
    db,
    `SELECT id, kind, value, party, name, relation, status FROM contact_points WHERE borrower_id = ?
     ORDER BY party = 'borrower' DESC, kind = 'address', status = 'active' DESC, id`,
  ).all(c.borrower_id);

  // Payments that still count (not reversed), by loan; reversed ones are listed for the timeline.
  const payments = stmt<{
    fact_id: string;
    loan_id: string;
    paid_on: string;
    amount_fen: number;
    reversed: number;
  }>(
    db,
    `SELECT p.fact_id, p.loan_id, p.paid_on, p.amount_fen,
       EXISTS (SELECT 1 FROM payment_reversals r WHERE r.reverses_fact_id = p.fact_id) AS reversed
     FROM payments p WHERE p.case_id = ?`,
  ).all(caseId);
  // Repayments core banking knows of (auto-debit, counter), minus field receipts counted above.
  const coreLines = stmt<{ loan_id: string; paid_on: string; amount_fen: number }>(
    db,
    `SELECT r.loan_id, r.paid_on, r.amount_fen FROM core_repayments r
     WHERE r.case_id = ?
       AND (r.field_receipt_no IS NULL OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.receipt_no = r.field_receipt_no))`,
  ).all(caseId);
  const reversedPayments = new Set(payments.filter((p) => p.reversed === 1).map((p) => p.fact_id));
  const countingLines: PaymentLine[] = [];
  const linesByLoan = new Map<string, PaymentLine[]>();
  for (const p of [...coreLines.map((r) => ({ ...r, fact_id: '', reversed: 0 })), ...payments]) {
    if (p.reversed === 1) continue;
    const line = { paidOn: p.paid_on, amountFen: p.amount_fen };
    countingLines.push(line);
    const list = linesByLoan.get(p.loan_id) ?? [];
    list.push(line);
    linesByLoan.set(p.loan_id, list);
  }

  const loanNoById = new Map<string, string>();
  const loans: LoanView[] = stmt<LoanDbRow>(
    db,
    `SELECT id, loan_no, product, principal_fen, disbursed_on, term_months, status FROM loans
     WHERE case_id = ? ORDER BY disbursed_on, loan_no`,
  )
    .all(caseId)
    .map((l) => {
      loanNoById.set(l.id, l.loan_no);
      const schedule = stmt<Instalment>(
        db,
        `SELECT seq, due_date AS dueDate, principal_fen AS principalFen, interest_fen AS interestFen
         FROM instalments WHERE loan_id = ? ORDER BY seq`,
      ).all(l.id);
      const pos = loanPosition(schedule, linesByLoan.get(l.id) ?? [], asOf);
      return {
        id: l.id,
        loanNo: l.loan_no,
        product: l.product,
        principalFen: l.principal_fen,
        disbursedOn: l.disbursed_on,
        termMonths: l.term_months,
        status: l.status,
        daysPastDue: pos.daysPastDue,
        bucket: bucketFor(pos.daysPastDue, policy.buckets),
        arrearsFen: pos.arrearsFen,
        outstandingFen: pos.outstandingPrincipalFen,
        schedule: pos.instalments,
      };
    });

  const promiseStatusById = new Map<string, PromiseStatus>();
  const promises = stmt<{ fact_id: string; made_on: string; due_date: string; amount_fen: number }>(
    db,
    'SELECT fact_id, made_on, due_date, amount_fen FROM promises WHERE case_id = ? ORDER BY made_at DESC',
  )
    .all(caseId)
    .map((p) => {
      const { status } = promiseStatus(
        { madeOn: p.made_on, dueDate: p.due_date, amountFen: p.amount_fen },
        countingLines,
        asOf,
        policy.promiseGraceDays,
      );
      promiseStatusById.set(p.fact_id, status);
      return {
        factId: p.fact_id,
        madeOn: p.made_on,
        dueDate: p.due_date,
        amountFen: p.amount_fen,
        status,
      };
    });

  const userNames = new Map<string, string>();
  const contactPointValues = new Map(contactPoints.map((cp) => [cp.id, cp.value]));
  const timeline: TimelineEntry[] = stmt<FactDbRow>(
    db,
    `SELECT f.id, f.kind, f.occurred_at, f.payload, f.recorded_by, u.name AS user_name, u.role AS user_role
     FROM facts f LEFT JOIN users u ON u.id = f.recorded_by
     WHERE f.case_id = ? ORDER BY f.occurred_at DESC, f.id DESC`,
  )
    .all(caseId)
    .map((f) => {
      const details = JSON.parse(f.payload) as Record<string, Primitive>;
      if (f.kind === 'contact') {
        const second = details.secondCollectorId;
        details.secondCollectorName =
          typeof second === 'string' ? userName(db, userNames, second) : null;
        const cp = details.contactPointId;
        details.contactPointValue =
          typeof cp === 'string' ? (contactPointValues.get(cp) ?? null) : null;
      } else if (f.kind === 'payment') {
        details.reversed = reversedPayments.has(f.id);
        details.loanNo =
          typeof details.loanId === 'string' ? (loanNoById.get(details.loanId) ?? null) : null;
      } else if (f.kind === 'promise') {
        details.status = promiseStatusById.get(f.id) ?? null;
      }
      return {
        factId: f.id,
        kind: f.kind,
        occurredAt: f.occurred_at,
        // A fact recorded by a user this device no longer knows still shows who (by id).
        recordedBy: userOf(f.recorded_by, f.user_name ?? f.recorded_by, f.user_role ?? 'officer'),
        details,
      };
    });

  return {
    caseId: c.id,
    status: c.status,
    flags: flagsOf(c),
    officer: userOf(c.officer_id, c.officer_name, c.officer_role),
    nextActionDate: c.next_action_date,
    borrower: {
      id: c.borrower_id,
      name: c.name,
      gender: c.gender,
      idNumberMasked: c.id_number_masked,
      township: c.township,
      village: c.village,
      county: c.county,
      address: c.address,
    },
    contactPoints,
    loans,
    promises,
    priority: { score: c.priority_score, reasons: reasonsOf(c.priority_reasons) },
    timeline,
    asOf,
  };
}

function userName(db: LedgerDb, cache: Map<string, string>, id: string): string {
  let name = cache.get(id);
  if (name === undefined) {
    name = stmt<string>(db, 'SELECT name FROM users WHERE id = ?').pluck().get(id) ?? id;
    cache.set(id, name);
  }
  return name;
}
