// Undoing a payment is a new fact that points at it, with a reason. The payment row is
// never edited or deleted (triggers forbid it); derived state simply stops counting it.
// A payment is reversed at most once, and a reversal is never itself reversed: a payment
// reversed by mistake is recorded again (with a new receipt). Only the officer who
// collected the money, or a manager, may reverse it.
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
      const payment = stmt<{
        case_id: string;
        amount_fen: number;
        receipt_no: string;
        recorded_by: string;
      }>(
        db,
        `SELECT p.case_id, p.amount_fen, p.receipt_no, f.recorded_by
         FROM payments p JOIN facts f ON f.id = p.fact_id WHERE p.fact_id = ?`,
      ).get(input.paymentFactId);
      if (!payment) {
        const kind = stmt<string>(db, 'SELECT kind FROM facts WHERE id = ?')
          .pluck()
          .get(input.paymentFactId);
        if (kind === 'payment_reversal') {
          throw new AppError(
            'conflict',
            'A reversal cannot be reversed; record the payment again',
            {
              reason: 'is_a_reversal',
            },
          );
        }
        throw new AppError('not_found', 'No such payment on this device', {
          entity: 'payment',
          id: input.paymentFactId,
        });
      }
      if (payment.recorded_by !== actor.id && actor.role === 'officer') {
        throw new AppError(
          'forbidden',
          'Only the officer who collected this payment, or a manager, may reverse it',
          { reason: 'not_collector' },
        );
      }
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
