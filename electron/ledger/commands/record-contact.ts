// A contact attempt (visit, call, SMS, letter) and what came of it. Conduct rules
// (contact hours, call caps, second collector on visits) are checked by the policy
// layer before this runs; this command only refuses what is never valid.
import type { RecordedFact } from '../../../shared/api/contract';
import type {
  ContactChannel,
  ContactOutcome,
  ContactParty,
  IsoDate,
} from '../../../shared/domain/types';
import { appendAudit } from '../audit';
import type { ContactPayload, FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import { enqueueMutation } from '../outbox';
import { stmt } from '../statements';
import {
  commitFact,
  derivedAsOf,
  invalidInput,
  requireActor,
  requireOpenCase,
  stampFact,
} from './command';

export interface RecordContactInput {
  caseId: string;
  channel: ContactChannel;
  party: ContactParty;
  contactPointId?: string;
  outcome: ContactOutcome;
  note?: string;
  nextActionDate?: IsoDate;
  secondCollectorId?: string;
}

export function recordContact(
  ledger: Ledger,
  actorId: string,
  input: RecordContactInput,
): RecordedFact {
  const { db } = ledger;
  return db
    .transaction((): RecordedFact => {
      const actor = requireActor(ledger, actorId);
      const kase = requireOpenCase(ledger, input.caseId);
      if (input.contactPointId !== undefined) {
        const owner = stmt<string>(db, 'SELECT borrower_id FROM contact_points WHERE id = ?')
          .pluck()
          .get(input.contactPointId);
        if (owner !== kase.borrowerId) {
          throw invalidInput(
            'contactPointId',
            'not_on_case',
            'That phone number or address does not belong to this case',
          );
        }
      }
      if (input.secondCollectorId !== undefined) {
        if (input.channel !== 'visit') {
          throw invalidInput(
            'secondCollectorId',
            'only_for_visits',
            'A second collector is recorded only for a visit',
          );
        }
        if (input.secondCollectorId === actor.id) {
          throw invalidInput(
            'secondCollectorId',
            'same_as_recorder',
            'The second collector must be someone else',
          );
        }
        const active = stmt<number>(db, 'SELECT active FROM users WHERE id = ?')
          .pluck()
          .get(input.secondCollectorId);
        if (active !== 1)
          throw invalidInput(
            'secondCollectorId',
            'unknown_user',
            'The second collector is not a user of this branch',
          );
      }
      if (input.nextActionDate !== undefined && input.nextActionDate < derivedAsOf(ledger)) {
        throw invalidInput(
          'nextActionDate',
          'in_the_past',
          'The next action date cannot be in the past',
        );
      }
      const stamp = stampFact(ledger);
      const note = input.note?.trim() ? input.note.trim() : null;
      const payload: ContactPayload = {
        channel: input.channel,
        party: input.party,
        contactPointId: input.contactPointId ?? null,
        outcome: input.outcome,
        note,
        nextActionDate: input.nextActionDate ?? null,
        secondCollectorId: input.secondCollectorId ?? null,
      };
      const fact: FactRecord = {
        ...stamp,
        caseId: kase.id,
        recordedBy: actor.id,
        kind: 'contact',
        payload,
      };
      if (input.nextActionDate !== undefined) {
        // next_action_date is a mutable field: its own stamp decides last-writer-wins on sync.
        stmt(
          db,
          `UPDATE cases SET next_action_date = ?, field_clocks = json_set(field_clocks, '$.nextActionDate', ?) WHERE id = ?`,
        ).run(input.nextActionDate, stamp.hlc, kase.id);
        enqueueMutation(
          db,
          {
            kind: 'case_update',
            caseId: kase.id,
            userId: actor.id,
            hlc: stamp.hlc,
            payload: { nextActionDate: input.nextActionDate },
          },
          stamp.occurredAt,
        );
        appendAudit(db, {
          at: stamp.occurredAt,
          actorId: actor.id,
          deviceId: stamp.deviceId,
          action: 'case.set_next_action',
          entity: 'case',
          entityId: kase.id,
          payload: { nextActionDate: input.nextActionDate, hlc: stamp.hlc },
        });
      }
      commitFact(ledger, 'contact.record', fact);
      return { factId: fact.id, caseId: fact.caseId, kind: 'contact', occurredAt: fact.occurredAt };
    })
    .immediate();
}
