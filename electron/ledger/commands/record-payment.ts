// A payment collected in the field. Its receipt number is this device's prefix plus the
// next number of its own sequence (both in meta, advanced in the same transaction), so
// receipts are unique across devices without asking a server.
import type { RecordedFact } from '../../../shared/api/contract';
import { PAYMENT_METHODS, type Fen, type PaymentMethod } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import type { FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import { currentLoanPosition, remainingOwed } from '../loan-state';
import { getMeta, META, setMeta } from '../meta';
import { stmt } from '../statements';
import {
  commitFact,
  derivedAsOf,
  invalidInput,
  optionalText,
  requireActor,
  requireOpenCase,
  stampFact,
} from './command';

export interface RecordPaymentInput {
  caseId: string;
  /** Which loan the money goes to; by default the case's most overdue active loan. */
  loanId?: string;
  amountFen: Fen;
  method: PaymentMethod;
  /** Transfer or wallet transaction number. */
  reference?: string;
  note?: string;
}

export interface RecordedPayment extends RecordedFact {
  receiptNo: string;
}

export function formatReceiptNo(prefix: string, seq: number): string {
  return `${prefix}-${String(seq).padStart(6, '0')}`;
}

function nextReceiptNo(db: LedgerDb): string {
  const prefix = getMeta(db, META.receiptPrefix);
  if (!prefix) throw new Error('ledger has no receipt prefix (ensureDeviceIdentity was not run)');
  const seq = Number(getMeta(db, META.receiptSeq) ?? '0') + 1;
  setMeta(db, META.receiptSeq, String(seq));
  return formatReceiptNo(prefix, seq);
}

export function recordPayment(
  ledger: Ledger,
  actorId: string,
  input: RecordPaymentInput,
): RecordedPayment {
  const { db } = ledger;
  return db
    .transaction((): RecordedPayment => {
      const actor = requireActor(ledger, actorId);
      const kase = requireOpenCase(ledger, input.caseId);
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
        throw invalidInput('amountFen', 'not_positive', 'A payment needs an amount above zero');
      }
      if (!PAYMENT_METHODS.includes(input.method))
        throw invalidInput('method', 'unknown', 'Unknown payment method');
      let loanId = input.loanId;
      if (loanId !== undefined) {
        const loan = stmt<{ case_id: string; status: string }>(
          db,
          'SELECT case_id, status FROM loans WHERE id = ?',
        ).get(loanId);
        if (loan?.case_id !== kase.id)
          throw invalidInput('loanId', 'not_on_case', 'That loan is not on this case');
        if (loan.status !== 'active')
          throw invalidInput('loanId', 'loan_closed', 'That loan is closed');
      } else {
        loanId = defaultLoanFor(db, kase.id, derivedAsOf(ledger));
      }
      // A typo (an extra zero) must not become a receipt: a payment settles at most
      // what is still owed on the loan.
      const owed = remainingOwed(
        currentLoanPosition(db, { id: loanId, caseId: kase.id }, derivedAsOf(ledger)),
      );
      if (input.amountFen > owed) {
        throw invalidInput(
          'amountFen',
          'exceeds_balance',
          'The amount is more than is still owed on this loan',
          { maxFen: owed },
        );
      }
      const stamp = stampFact(ledger);
      const receiptNo = nextReceiptNo(db);
      const fact: FactRecord = {
        ...stamp,
        caseId: kase.id,
        recordedBy: actor.id,
        kind: 'payment',
        // Counted on the ledger's business date, the date the officer sees as today.
        payload: {
          loanId,
          amountFen: input.amountFen,
          method: input.method,
          receiptNo,
          paidOn: derivedAsOf(ledger),
          reference: optionalText(input.reference),
          note: optionalText(input.note),
        },
      };
      commitFact(ledger, 'payment.record', fact);
      return {
        factId: fact.id,
        caseId: fact.caseId,
        kind: 'payment',
        occurredAt: fact.occurredAt,
        receiptNo,
      };
    })
    .immediate();
}

/** The case's active loan furthest past due (the oldest one on a tie): where field money is owed first. */
function defaultLoanFor(db: LedgerDb, caseId: string, asOf: string): string {
  const ids = stmt<string>(
    db,
    `SELECT id FROM loans WHERE case_id = ? AND status = 'active' ORDER BY disbursed_on, loan_no`,
  )
    .pluck()
    .all(caseId);
  let best: { id: string; dpd: number } | null = null;
  for (const id of ids) {
    const dpd = currentLoanPosition(db, { id, caseId }, asOf).daysPastDue;
    if (best === null || dpd > best.dpd) best = { id, dpd };
  }
  if (!best) throw invalidInput('loanId', 'no_loan', 'This case has no active loan to pay into');
  return best.id;
}
