// Field activity of a date range handed back to core banking: payments, reversals,
// promises, contacts and plan decisions, with the core system's loan numbers and the
// receipt numbers, written as CSV or XLSX by shared/node/portfolio-import.
//
// Rows are read a page at a time (keyset on occurred_at, fact id) rather than through one
// open cursor: the writer awaits the disk between rows, and other calls on this connection
// must be able to run meanwhile.
import type {
  ContactChannel,
  ContactOutcome,
  IsoDate,
  PaymentMethod,
} from '../../../shared/domain/types';
import { isIsoDate } from '../../../shared/dates';
import { AppError } from '../../../shared/errors';
import type { ImportLang } from '../../../shared/import/messages';
import type {
  PlanDecision,
  ReconciliationKind,
  ReconciliationRow,
} from '../../../shared/import/reconciliation';
import {
  writeReconciliation,
  type ReconciliationWritten,
} from '../../../shared/node/portfolio-import';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';

export interface ReconciliationExportOptions {
  /** Business dates, inclusive. */
  from: IsoDate;
  to: IsoDate;
  format: 'csv' | 'xlsx';
  file: string;
  lang?: ImportLang;
  /** 'codes' prints stable codes instead of words (for a machine loader). */
  values?: 'labels' | 'codes';
  signal?: AbortSignal;
}

interface ActivityRow {
  kind: ReconciliationKind;
  fact_id: string;
  business_date: string;
  occurred_at: string;
  loan_no: string | null;
  borrower_name: string | null;
  receipt_no: string | null;
  amount_fen: number | null;
  method: string | null;
  due_date: string | null;
  channel: string | null;
  outcome: string | null;
  decision: string | null;
  officer_code: string | null;
  notes: string | null;
}

const PAGE = 1_000;

// One SELECT per kind, all with the same columns. A promise or contact belongs to the case:
// its loan numbers are the case's, '/'-joined (a case usually has one loan).
const CASE_LOANS = `(SELECT group_concat(loan_no, '/') FROM (SELECT loan_no FROM loans WHERE case_id = f.case_id ORDER BY loan_no))`;
const ACTIVITY_SQL = `
  SELECT * FROM (
    SELECT 'payment' AS kind, f.id AS fact_id, f.business_date, f.occurred_at, l.loan_no, b.name AS borrower_name,
           p.receipt_no, p.amount_fen, p.method, NULL AS due_date, NULL AS channel, NULL AS outcome, NULL AS decision,
           u.login AS officer_code, json_extract(f.payload, '$.note') AS notes
      FROM payments p JOIN facts f ON f.id = p.fact_id JOIN loans l ON l.id = p.loan_id
      JOIN cases c ON c.id = f.case_id JOIN borrowers b ON b.id = c.borrower_id LEFT JOIN users u ON u.id = f.recorded_by
    UNION ALL
    SELECT 'reversal', f.id, f.business_date, f.occurred_at, l.loan_no, b.name,
           p.receipt_no, p.amount_fen, p.method, NULL, NULL, NULL, NULL, u.login, r.reason
      FROM payment_reversals r JOIN facts f ON f.id = r.fact_id JOIN payments p ON p.fact_id = r.reverses_fact_id
      JOIN loans l ON l.id = p.loan_id JOIN cases c ON c.id = f.case_id JOIN borrowers b ON b.id = c.borrower_id
      LEFT JOIN users u ON u.id = f.recorded_by
    UNION ALL
    SELECT 'promise', f.id, f.business_date, f.occurred_at, ${CASE_LOANS}, b.name,
           NULL, pr.amount_fen, NULL, pr.due_date, NULL, NULL, NULL, u.login, json_extract(f.payload, '$.note')
      FROM promises pr JOIN facts f ON f.id = pr.fact_id JOIN cases c ON c.id = f.case_id
      JOIN borrowers b ON b.id = c.borrower_id LEFT JOIN users u ON u.id = f.recorded_by
    UNION ALL
    SELECT 'contact', f.id, f.business_date, f.occurred_at, ${CASE_LOANS}, b.name,
           NULL, NULL, NULL, NULL, ct.channel, ct.outcome, NULL, u.login, json_extract(f.payload, '$.note')
      FROM contacts ct JOIN facts f ON f.id = ct.fact_id JOIN cases c ON c.id = f.case_id
      JOIN borrowers b ON b.id = c.borrower_id LEFT JOIN users u ON u.id = f.recorded_by
    UNION ALL
    SELECT 'plan_decision', f.id, f.business_date, f.occurred_at, l.loan_no, b.name,
           NULL, CASE WHEN d.decision = 'approved' THEN pp.total_fen END, NULL,
           CASE WHEN d.decision = 'approved' THEN pp.first_due_date END, NULL, NULL, d.decision, u.login,
           coalesce(json_extract(f.payload, '$.note'), json_extract(f.payload, '$.comment'))
      FROM plan_decisions d JOIN facts f ON f.id = d.fact_id JOIN plan_proposals pp ON pp.fact_id = d.proposal_fact_id
      JOIN loans l ON l.id = pp.loan_id JOIN cases c ON c.id = f.case_id JOIN borrowers b ON b.id = c.borrower_id
      LEFT JOIN users u ON u.id = f.recorded_by
  )
  WHERE business_date >= @from AND business_date <= @to
    AND (occurred_at > @afterAt OR (occurred_at = @afterAt AND fact_id > @afterId))
  ORDER BY occurred_at, fact_id
  LIMIT ${PAGE}`;

function toRow(r: ActivityRow): ReconciliationRow {
  return {
    businessDate: r.business_date,
    occurredAt: r.occurred_at,
    loanNo: r.loan_no ?? '',
    borrowerName: r.borrower_name,
    kind: r.kind,
    receiptNo: r.receipt_no,
    amountFen: r.amount_fen,
    method: r.method as PaymentMethod | null,
    dueDate: r.due_date,
    channel: r.channel as ContactChannel | null,
    outcome: r.outcome as ContactOutcome | null,
    decision: r.decision as PlanDecision | null,
    officerCode: r.officer_code,
    notes: typeof r.notes === 'string' && r.notes !== '' ? r.notes : null,
    factId: r.fact_id,
  };
}

/** The field activity of business dates from..to, in the order it happened. */
export function* reconciliationRows(
  ledger: Ledger,
  from: IsoDate,
  to: IsoDate,
): Generator<ReconciliationRow> {
  const page = stmt<ActivityRow>(ledger.db, ACTIVITY_SQL);
  let afterAt = '';
  let afterId = '';
  for (;;) {
    const rows = page.all({ from, to, afterAt, afterId });
    for (const r of rows) yield toRow(r);
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1] as ActivityRow;
    afterAt = last.occurred_at;
    afterId = last.fact_id;
  }
}

export async function exportReconciliation(
  ledger: Ledger,
  options: ReconciliationExportOptions,
): Promise<ReconciliationWritten> {
  if (!isIsoDate(options.from) || !isIsoDate(options.to) || options.from > options.to) {
    throw new AppError('invalid_input', 'The date range must be two dates, from before to', {
      field: 'from',
      reason: 'bad_range',
    });
  }
  return writeReconciliation(reconciliationRows(ledger, options.from, options.to), {
    format: options.format,
    file: options.file,
    lang: options.lang ?? 'zh-CN',
    timeZone: ledger.branch.timezone,
    values: options.values ?? 'labels',
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
