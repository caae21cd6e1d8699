// Everything the case file screen shows, for the ledger's business date: the borrower
// and contact points, each loan with its schedule as payments have paid it down, the
// promises with their status, and one timeline of every fact (newest first) with who
// recorded it.
import type {
  CaseFile,
  ContactPointView,
  LoanView,
  OverrideView,
  PaymentView,
  PlanStatus,
  PlanView,
  TimelineEntry,
  UserSummary,
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
import type { PaymentPayload, PlanProposalPayload } from '../facts';
import type { LedgerPolicy } from '../policy';
import { stmt } from '../statements';
import { flagsOf, reasonsOf, userOf } from './rows';
import { timelineDetails } from './timeline';
import { refusedFactsOfCase } from '../sync/refusals';

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
  const name = (id: string) => userName(db, userNames, id);
  const contactPointValues = new Map(contactPoints.map((cp) => [cp.id, cp.value]));
  const facts = stmt<FactDbRow>(
    db,
    `SELECT f.id, f.kind, f.occurred_at, f.payload, f.recorded_by, u.name AS user_name, u.role AS user_role
     FROM facts f LEFT JOIN users u ON u.id = f.recorded_by
     WHERE f.case_id = ? ORDER BY f.occurred_at DESC, f.id DESC`,
  ).all(caseId);
  const payloads = new Map<string, Record<string, unknown>>();
  const recorders = new Map<string, UserSummary>();
  for (const f of facts) {
    payloads.set(f.id, JSON.parse(f.payload) as Record<string, unknown>);
    // A fact recorded by a user this device no longer knows still shows who (by id).
    recorders.set(
      f.id,
      userOf(f.recorded_by, f.user_name ?? f.recorded_by, f.user_role ?? 'officer'),
    );
  }

  const plans = planViews(db, caseId, payloads, recorders, loanNoById);
  const planStatusById = new Map(plans.map((p) => [p.factId, p.status]));
  // Facts of this device that head office refused: shown, marked, counted nowhere.
  const refusals = refusedFactsOfCase(db, caseId);
  const timeline: TimelineEntry[] = facts.map((f) => {
    const refusal = refusals.get(f.id);
    const entry: TimelineEntry = {
      factId: f.id,
      kind: f.kind,
      occurredAt: f.occurred_at,
      recordedBy: recorders.get(f.id) as UserSummary,
      details: timelineDetails(f.id, f.kind, payloads.get(f.id) ?? {}, {
        userName: name,
        contactPointValue: (id) => contactPointValues.get(id) ?? null,
        loanNo: (id) => loanNoById.get(id) ?? null,
        reversedPayments,
        promiseStatus: (id) => promiseStatusById.get(id) ?? null,
        planStatus: (id) => planStatusById.get(id) ?? null,
      }),
    };
    if (refusal)
      entry.refusal = {
        code: refusal.code,
        message: refusal.message,
        dismissed: refusal.handledAt !== null,
      };
    return entry;
  });

  const paymentViews: PaymentView[] = facts
    .filter((f) => f.kind === 'payment')
    .map((f) => {
      const p = payloads.get(f.id) as unknown as PaymentPayload;
      return {
        factId: f.id,
        loanId: p.loanId,
        loanNo: loanNoById.get(p.loanId) ?? '',
        amountFen: p.amountFen,
        method: p.method,
        receiptNo: p.receiptNo,
        collectedAt: f.occurred_at,
        collectedBy: recorders.get(f.id) as UserSummary,
        reversed: reversedPayments.has(f.id),
        ...(refusals.has(f.id) ? { refused: true } : {}),
      };
    });

  const overrides: OverrideView[] = stmt<{
    contact_fact_id: string;
    at: string;
    recorded_by: string;
    rule_codes: string;
    reason: string;
  }>(
    db,
    'SELECT contact_fact_id, at, recorded_by, rule_codes, reason FROM overrides WHERE case_id = ? ORDER BY at DESC, contact_fact_id DESC',
  )
    .all(caseId)
    .map((o) => ({
      factId: o.contact_fact_id,
      at: o.at,
      by: recorders.get(o.contact_fact_id) ?? userOf(o.recorded_by, name(o.recorded_by), 'officer'),
      ruleCodes: JSON.parse(o.rule_codes) as string[],
      reason: o.reason,
    }));

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
    payments: paymentViews,
    plans,
    overrides,
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

interface DecisionRow {
  proposal_fact_id: string;
  decision: 'approved' | 'rejected';
  decided_at: string;
  payload: string;
  recorded_by: string;
  user_name: string | null;
  user_role: UserRole | null;
}

/** The case's plan proposals, newest first, each 'proposed' until a decision fact exists. */
function planViews(
  db: LedgerDb,
  caseId: string,
  payloads: ReadonlyMap<string, Record<string, unknown>>,
  recorders: ReadonlyMap<string, UserSummary>,
  loanNoById: ReadonlyMap<string, string>,
): PlanView[] {
  const decisions = new Map(
    stmt<DecisionRow>(
      db,
      `SELECT d.proposal_fact_id, d.decision, d.decided_at, f.payload, f.recorded_by,
         u.name AS user_name, u.role AS user_role
       FROM plan_decisions d JOIN facts f ON f.id = d.fact_id LEFT JOIN users u ON u.id = f.recorded_by
       WHERE d.case_id = ?`,
    )
      .all(caseId)
      .map((d) => [d.proposal_fact_id, d]),
  );
  return stmt<{ fact_id: string; proposed_at: string }>(
    db,
    'SELECT fact_id, proposed_at FROM plan_proposals WHERE case_id = ? ORDER BY proposed_at DESC, fact_id DESC',
  )
    .all(caseId)
    .map((row) => {
      const p = payloads.get(row.fact_id) as unknown as PlanProposalPayload;
      const d = decisions.get(row.fact_id);
      const status: PlanStatus = d ? d.decision : 'proposed';
      let decision: PlanView['decision'] = null;
      if (d) {
        const dp = JSON.parse(d.payload) as { note?: unknown; comment?: unknown };
        const comment =
          typeof dp.comment === 'string' ? dp.comment : typeof dp.note === 'string' ? dp.note : '';
        decision = {
          at: d.decided_at,
          by: userOf(d.recorded_by, d.user_name ?? d.recorded_by, d.user_role ?? 'manager'),
          comment,
        };
      }
      return {
        factId: row.fact_id,
        loanId: p.loanId,
        loanNo: loanNoById.get(p.loanId) ?? '',
        status,
        hardshipReasons: p.hardshipReasons,
        monthlyIncomeFen: p.monthlyIncomeFen,
        essentialExpensesFen: p.essentialExpensesFen,
        otherDebtPaymentsFen: p.otherDebtPaymentsFen,
        affordableFen: p.affordableFen,
        monthlyFen: p.monthlyFen,
        instalments: p.instalments.map((i) => ({
          seq: i.seq,
          dueDate: i.dueDate,
          amountFen: i.amountFen,
        })),
        proposedAt: row.proposed_at,
        proposedBy: recorders.get(row.fact_id) as UserSummary,
        decision,
      };
    });
}
