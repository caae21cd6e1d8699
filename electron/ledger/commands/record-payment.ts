// A payment collected in the field. Its receipt number is this device's prefix plus the
// next number of its own sequence (both in meta, advanced in the same transaction), so
// receipts are unique across devices without asking a server.
import type { RecordedFact } from '../../../shared/api/contract';
import { PAYMENT_METHODS, type Fen, type PaymentMethod } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import type { FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import { getMeta, META, setMeta } from '../meta';
import { stmt } from '../statements';
import {
  commitFact,
  derivedAsOf,
  invalidInput,
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
        const caseOfLoan = stmt<string>(db, 'SELECT case_id FROM loans WHERE id = ?')
          .pluck()
          .get(loanId);
        if (caseOfLoan !== kase.id)
          throw invalidInput('loanId', 'not_on_case', 'That loan is not on this case');
      } else {
        loanId = defaultLoanFor(db, kase.id);
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

/** The active loan whose oldest instalment is earliest unpaid: where field money is owed first. */
function defaultLoanFor(db: LedgerDb, caseId: string): string {
  const id = stmt<string>(
    db,
    `SELECT id FROM loans WHERE case_id = ? ORDER BY status = 'active' DESC, disbursed_on, loan_no LIMIT 1`,
  )
    .pluck()
    .get(caseId);
  if (!id) throw invalidInput('loanId', 'no_loan', 'This case has no loan to pay into');
  return id;
}
