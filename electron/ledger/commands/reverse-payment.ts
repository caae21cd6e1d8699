// Undoing a payment is a new fact that points at it, with a reason. The payment row is
// never edited or deleted (triggers forbid it); derived state simply stops counting it.
import type { RecordedFact } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import type { FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import { commitFact, invalidInput, requireActor, requireOpenCase, stampFact } from './command';

export interface ReversePaymentInput {
  paymentFactId: string;
  reason: string;
}

export function reversePayment(
  ledger: Ledger,
  actorId: string,
  input: ReversePaymentInput,
): RecordedFact {
  const { db } = ledger;
  return db
    .transaction((): RecordedFact => {
      const actor = requireActor(ledger, actorId);
      const payment = stmt<{ case_id: string; amount_fen: number; receipt_no: string }>(
        db,
        'SELECT case_id, amount_fen, receipt_no FROM payments WHERE fact_id = ?',
      ).get(input.paymentFactId);
      if (!payment)
        throw new AppError('not_found', 'No such payment on this device', {
          entity: 'payment',
          id: input.paymentFactId,
        });
      const reason = input.reason.trim();
      if (!reason) throw invalidInput('reason', 'required', 'Say why the payment is reversed');
      const already = stmt<string>(
        db,
        'SELECT fact_id FROM payment_reversals WHERE reverses_fact_id = ?',
      )
        .pluck()
        .get(input.paymentFactId);
      if (already) {
        throw new AppError('conflict', `Receipt ${payment.receipt_no} is already reversed`, {
          reason: 'already_reversed',
          receiptNo: payment.receipt_no,
        });
      }
      const kase = requireOpenCase(ledger, payment.case_id);
      const fact: FactRecord = {
        ...stampFact(ledger),
        caseId: kase.id,
        recordedBy: actor.id,
        kind: 'payment_reversal',
        payload: {
          reversesFactId: input.paymentFactId,
          reason,
          amountFen: payment.amount_fen,
          receiptNo: payment.receipt_no,
        },
      };
      commitFact(ledger, 'payment.reverse', fact);
      return {
        factId: fact.id,
        caseId: fact.caseId,
        kind: 'payment_reversal',
        occurredAt: fact.occurredAt,
      };
    })
    .immediate();
}
