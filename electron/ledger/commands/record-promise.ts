// A promise to pay: an amount by a date. Its status (pending / kept / partly kept /
// broken) is never stored by hand; it is derived from payments each business date with
// the pack's grace days.
import type { RecordedFact } from '../../../shared/api/contract';
import type { Fen, IsoDate } from '../../../shared/domain/types';
import type { FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import {
  commitFact,
  derivedAsOf,
  invalidInput,
  optionalText,
  requireActor,
  requireOpenCase,
  stampFact,
  type ActorRef,
  type CaseRef,
} from './command';

export interface RecordPromiseInput {
  caseId: string;
  amountFen: Fen;
  dueDate: IsoDate;
  note?: string;
  /** The contact fact during which the promise was taken. */
  contactFactId?: string;
}

export function recordPromise(
  ledger: Ledger,
  actorId: string,
  input: RecordPromiseInput,
): RecordedFact {
  return ledger.db
    .transaction((): RecordedFact => {
      const actor = requireActor(ledger, actorId);
      const kase = requireOpenCase(ledger, input.caseId);
      if (input.contactFactId !== undefined) {
        const caseOfContact = stmt<string>(
          ledger.db,
          `SELECT case_id FROM facts WHERE id = ? AND kind = 'contact'`,
        )
          .pluck()
          .get(input.contactFactId);
        if (caseOfContact !== kase.id)
          throw invalidInput('contactFactId', 'not_on_case', 'That contact is not on this case');
      }
      return writePromise(ledger, actor, kase, {
        amountFen: input.amountFen,
        dueDate: input.dueDate,
        contactFactId: input.contactFactId ?? null,
        note: optionalText(input.note),
      });
    })
    .immediate();
}

/** Validates and commits a promise fact; call inside the command's transaction. */
export function writePromise(
  ledger: Ledger,
  actor: ActorRef,
  kase: CaseRef,
  p: {
    amountFen: Fen;
    dueDate: IsoDate;
    contactFactId: string | null;
    note?: string | null;
    now?: Date;
    /** Where the promise sits in the caller's input ('promise' inside contact.record). */
    fieldPrefix?: string;
  },
): RecordedFact {
  const field = (name: string) => (p.fieldPrefix ? `${p.fieldPrefix}.${name}` : name);
  if (!Number.isSafeInteger(p.amountFen) || p.amountFen <= 0) {
    throw invalidInput(field('amountFen'), 'not_positive', 'A promise needs an amount above zero');
  }
  if (p.dueDate < derivedAsOf(ledger)) {
    throw invalidInput(field('dueDate'), 'in_the_past', 'A promise cannot fall due in the past');
  }
  const fact: FactRecord = {
    ...stampFact(ledger, p.now),
    caseId: kase.id,
    recordedBy: actor.id,
    kind: 'promise',
    payload: {
      amountFen: p.amountFen,
      dueDate: p.dueDate,
      contactFactId: p.contactFactId,
      note: p.note ?? null,
    },
  };
  commitFact(ledger, 'promise.record', fact);
  return { factId: fact.id, caseId: fact.caseId, kind: 'promise', occurredAt: fact.occurredAt };
}
