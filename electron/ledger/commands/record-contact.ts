// A contact attempt (visit, call, SMS, letter) and what came of it, in one transaction:
// the conduct rules are checked again at the instant of recording (a blocked contact
// goes through only with an override and a written reason, which is kept and flagged
// for the manager), then the contact fact, a promise taken in it, a number found to be
// wrong, the next action date, the case's derived state, the outbox and the audit.
import type { RecordedFact } from '../../../shared/api/contract';
import type {
  ContactChannel,
  ContactOutcome,
  ContactParty,
  Fen,
  IsoDate,
} from '../../../shared/domain/types';
import { appendAudit } from '../audit';
import {
  checkCaseContact,
  checkSecondCollector,
  conductRefusal,
  contactNotices,
  contactPointOfCase,
} from '../conduct';
import type { ContactPayload, FactRecord } from '../facts';
import type { Ledger } from '../ledger';
import { enqueueMutation } from '../outbox';
import { stmt } from '../statements';
import {
  commitFact,
  derivedAsOf,
  invalidInput,
  optionalText,
  requireActor,
  requireOpenCase,
  stampFact,
  wordingFlags,
  type ActorRef,
  type CaseRef,
} from './command';
import { writePromise } from './record-promise';

export interface RecordContactInput {
  caseId: string;
  channel: ContactChannel;
  party: ContactParty;
  contactPointId?: string;
  outcome: ContactOutcome;
  note?: string;
  nextActionDate?: IsoDate;
  secondCollectorId?: string;
  /** A promise taken in this contact: recorded in the same transaction. */
  promise?: { amountFen: Fen; dueDate: IsoDate };
  /** Going ahead against the conduct rules: the written reason. */
  override?: { reason: string };
}

/** Minimum length of an override's reason (the API schema asks the same). */
const OVERRIDE_REASON_MIN = 10;

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
      const cp =
        input.contactPointId !== undefined
          ? contactPointOfCase(ledger, kase, input.contactPointId)
          : null;
      checkSecondCollector(ledger, actor, input.channel, input.secondCollectorId);
      if (input.nextActionDate !== undefined && input.nextActionDate < derivedAsOf(ledger)) {
        throw invalidInput(
          'nextActionDate',
          'in_the_past',
          'The next action date cannot be in the past',
        );
      }
      if (input.promise !== undefined && input.party === 'nobody') {
        throw invalidInput(
          'promise',
          'nobody_reached',
          'A promise needs someone who was reached to make it',
        );
      }

      const now = ledger.clock.now();
      const check = checkCaseContact(ledger, kase, input, cp, now);
      let override: ContactPayload['override'] = null;
      if (!check.allowed) {
        const reason = input.override?.reason.trim() ?? '';
        if (reason.length < OVERRIDE_REASON_MIN) throw conductRefusal(check);
        override = { reason, ruleCodes: check.violations.map((v) => v.code) };
      }

      const stamp = stampFact(ledger, now);
      const note = optionalText(input.note);
      const payload: ContactPayload = {
        channel: input.channel,
        party: input.party,
        contactPointId: input.contactPointId ?? null,
        outcome: input.outcome,
        note,
        nextActionDate: input.nextActionDate ?? null,
        secondCollectorId: input.secondCollectorId ?? null,
        override,
        notices: contactNotices(ledger, check, input.party),
        flaggedTerms: wordingFlags(ledger, note),
      };
      const fact: FactRecord = {
        ...stamp,
        caseId: kase.id,
        recordedBy: actor.id,
        kind: 'contact',
        payload,
      };
      if (input.nextActionDate !== undefined)
        setNextActionDate(ledger, actor, kase, input.nextActionDate, stamp);
      if (input.outcome === 'wrong_number' && cp && cp.kind !== 'address' && cp.status === 'active')
        markContactPointInvalid(ledger, actor, kase, cp.id, now);
      commitFact(ledger, 'contact.record', fact);
      if (input.promise !== undefined) {
        writePromise(ledger, actor, kase, {
          amountFen: input.promise.amountFen,
          dueDate: input.promise.dueDate,
          contactFactId: fact.id,
          now,
          fieldPrefix: 'promise',
        });
      }
      return { factId: fact.id, caseId: fact.caseId, kind: 'contact', occurredAt: fact.occurredAt };
    })
    .immediate();
}

/** next_action_date is a mutable field: its own stamp decides last-writer-wins on sync. */
function setNextActionDate(
  ledger: Ledger,
  actor: ActorRef,
  kase: CaseRef,
  date: IsoDate,
  stamp: { hlc: string; occurredAt: string; deviceId: string },
): void {
  const { db } = ledger;
  stmt(
    db,
    `UPDATE cases SET next_action_date = ?, field_clocks = json_set(field_clocks, '$.nextActionDate', ?) WHERE id = ?`,
  ).run(date, stamp.hlc, kase.id);
  enqueueMutation(
    db,
    {
      kind: 'case_update',
      caseId: kase.id,
      userId: actor.id,
      hlc: stamp.hlc,
      payload: { nextActionDate: date },
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
    payload: { nextActionDate: date, hlc: stamp.hlc },
  });
}

interface ContactPointFull {
  id: string;
  kind: 'mobile' | 'landline' | 'address';
  value: string;
  party: ContactParty;
  name: string | null;
  relation: string | null;
}

/**
 * A number that reached the wrong person is marked invalid (so the third-party rule
 * counts it, and the worklist stops showing it), with its own stamp and sync mutation:
 * a contact point is one last-writer-wins record.
 */
function markContactPointInvalid(
  ledger: Ledger,
  actor: ActorRef,
  kase: CaseRef,
  contactPointId: string,
  now: Date,
): void {
  const { db } = ledger;
  const stamp = stampFact(ledger, now);
  stmt(
    db,
    `UPDATE contact_points SET status = 'invalid', field_clocks = json_set(field_clocks, '$.record', ?) WHERE id = ?`,
  ).run(stamp.hlc, contactPointId);
  const cp = stmt<ContactPointFull>(
    db,
    'SELECT id, kind, value, party, name, relation FROM contact_points WHERE id = ?',
  ).get(contactPointId) as ContactPointFull;
  enqueueMutation(
    db,
    {
      kind: 'contact_point',
      caseId: kase.id,
      userId: actor.id,
      hlc: stamp.hlc,
      payload: {
        contactPointId: cp.id,
        kind: cp.kind,
        value: cp.value,
        party: cp.party,
        name: cp.name,
        relation: cp.relation,
        status: 'invalid',
      },
    },
    stamp.occurredAt,
  );
  appendAudit(db, {
    at: stamp.occurredAt,
    actorId: actor.id,
    deviceId: stamp.deviceId,
    action: 'contact_point.mark_invalid',
    entity: 'contact_point',
    entityId: cp.id,
    payload: { status: 'invalid', hlc: stamp.hlc },
  });
}
