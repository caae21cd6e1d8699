// A promise to pay: an amount by a date. Its status (pending / kept / partly kept /
// broken) is never stored by hand; it is derived from payments each business date.
import type { RecordedFact } from '../../../shared/api/contract';
import type { Fen, IsoDate } from '../../../shared/domain/types';
import type { FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import {
  commitFact,
  derivedAsOf,
  invalidInput,
  requireActor,
  requireOpenCase,
  stampFact,
} from './command';

export interface RecordPromiseInput {
  caseId: string;
  amountFen: Fen;
  dueDate: IsoDate;
  /** The contact fact during which the promise was taken. */
  contactFactId?: string;
}

export function recordPromise(
  ledger: Ledger,
  actorId: string,
  input: RecordPromiseInput,
): RecordedFact {
  const { db } = ledger;
  return db
    .transaction((): RecordedFact => {
      const actor = requireActor(ledger, actorId);
      const kase = requireOpenCase(ledger, input.caseId);
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
        throw invalidInput('amountFen', 'not_positive', 'A promise needs an amount above zero');
      }
      if (input.dueDate < derivedAsOf(ledger)) {
        throw invalidInput('dueDate', 'in_the_past', 'A promise cannot fall due in the past');
      }
      if (input.contactFactId !== undefined) {
        const caseOfContact = stmt<string>(
          db,
          `SELECT case_id FROM facts WHERE id = ? AND kind = 'contact'`,
        )
          .pluck()
          .get(input.contactFactId);
        if (caseOfContact !== kase.id)
          throw invalidInput('contactFactId', 'not_on_case', 'That contact is not on this case');
      }
      const fact: FactRecord = {
        ...stampFact(ledger),
        caseId: kase.id,
        recordedBy: actor.id,
        kind: 'promise',
        payload: {
          amountFen: input.amountFen,
          dueDate: input.dueDate,
          contactFactId: input.contactFactId ?? null,
        },
      };
      commitFact(ledger, 'promise.record', fact);
      return { factId: fact.id, caseId: fact.caseId, kind: 'promise', occurredAt: fact.occurredAt };
    })
    .immediate();
}
