// The conduct rules as the ledger applies them: the case's contact history and contact
// points, read from the ledger, checked by the shared rules (shared/policy/conduct) with
// the branch's pack at the ledger clock's instant. contact.check asks before the officer
// acts; contact.record asks again inside its transaction, so what is blocked cannot be
// recorded without an override, whatever the screen showed a minute earlier.
import { AppError, type ErrorParams } from '../../shared/errors';
import type { ContactChannel, ContactParty } from '../../shared/domain/types';
import { isEffectiveContact } from '../../shared/domain/portfolio/contacts';
import {
  checkContact,
  isThirdParty,
  type ContactCheck,
  type ContactHistory,
  type ContactPointState,
  type PriorContact,
} from '../../shared/policy/conduct';
import { invalidInput, type ActorRef, type CaseRef } from './commands/command';
import type { Ledger } from './ledger';
import { stmt } from './statements';

export interface PlannedContactInput {
  channel: ContactChannel;
  /** Whom the officer means to reach (contact.check) or reached (contact.record). */
  party: ContactParty;
  contactPointId?: string | undefined;
  secondCollectorId?: string | undefined;
}

interface ContactPointRow extends ContactPointState {
  borrower_id: string;
}

/** The contact point, which must be one of the case's borrower's. */
export function contactPointOfCase(
  ledger: Ledger,
  kase: CaseRef,
  contactPointId: string,
): ContactPointState {
  const cp = stmt<ContactPointRow>(
    ledger.db,
    'SELECT id, party, kind, status, borrower_id FROM contact_points WHERE id = ?',
  ).get(contactPointId);
  if (!cp || cp.borrower_id !== kase.borrowerId) {
    throw invalidInput(
      'contactPointId',
      'not_on_case',
      'That phone number or address does not belong to this case',
    );
  }
  return { id: cp.id, party: cp.party, kind: cp.kind, status: cp.status };
}

/** A second collector is recorded only for a visit, and is another active user of the branch. */
export function checkSecondCollector(
  ledger: Ledger,
  actor: ActorRef,
  channel: ContactChannel,
  secondCollectorId: string | undefined,
): void {
  if (secondCollectorId === undefined) return;
  if (channel !== 'visit') {
    throw invalidInput(
      'secondCollectorId',
      'only_for_visits',
      'A second collector is recorded only for a visit',
    );
  }
  if (secondCollectorId === actor.id) {
    throw invalidInput(
      'secondCollectorId',
      'same_as_recorder',
      'The second collector must be someone else',
    );
  }
  const active = stmt<number>(ledger.db, 'SELECT active FROM users WHERE id = ? AND branch_id = ?')
    .pluck()
    .get(secondCollectorId, ledger.branch.id);
  if (active !== 1) {
    throw invalidInput(
      'secondCollectorId',
      'unknown_user',
      'The second collector is not an active user of this branch',
    );
  }
}

interface AttemptRow {
  occurred_at: string;
  channel: ContactChannel;
  party: ContactParty;
  contact_point_id: string | null;
  outcome: PriorContact['outcome'];
}

/** Every contact on the case and the borrower's contact points, as the rules read them. */
export function contactHistory(ledger: Ledger, kase: CaseRef): ContactHistory {
  const { db } = ledger;
  const attempts: PriorContact[] = stmt<AttemptRow>(
    db,
    `SELECT occurred_at, channel, party, contact_point_id, outcome FROM contacts
     WHERE case_id = ? ORDER BY occurred_at`,
  )
    .all(kase.id)
    .map((a) => ({
      at: a.occurred_at,
      channel: a.channel,
      party: a.party,
      contactPointId: a.contact_point_id,
      outcome: a.outcome,
      effective: isEffectiveContact({ party: a.party, outcome: a.outcome }),
    }));
  const contactPoints = stmt<ContactPointState>(
    db,
    'SELECT id, party, kind, status FROM contact_points WHERE borrower_id = ?',
  ).all(kase.borrowerId);
  const doNotContact =
    stmt<number>(db, 'SELECT flag_do_not_contact FROM cases WHERE id = ?').pluck().get(kase.id) ===
    1;
  return { attempts, contactPoints, doNotContact };
}

/** The borrower's own zone when known, else the branch's. */
export function debtorTimeZone(ledger: Ledger, kase: CaseRef): string {
  const zone = stmt<string | null>(ledger.db, 'SELECT time_zone FROM borrowers WHERE id = ?')
    .pluck()
    .get(kase.borrowerId);
  return zone || ledger.branch.timezone;
}

/**
 * Whom the rules see the officer trying to reach: the owner of the number or address
 * used when there is one (calling the borrower's number and reaching the spouse is not
 * a third-party contact), else the party named.
 */
export function intendedParty(
  input: PlannedContactInput,
  cp: ContactPointState | null,
): ContactParty {
  return cp ? cp.party : input.party;
}

/** Runs the branch's pack over the case's history at `now`. */
export function checkCaseContact(
  ledger: Ledger,
  kase: CaseRef,
  input: PlannedContactInput,
  cp: ContactPointState | null,
  now: Date,
): ContactCheck {
  return checkContact(
    ledger.policy.pack,
    {
      channel: input.channel,
      party: intendedParty(input, cp),
      ...(input.contactPointId !== undefined && { contactPointId: input.contactPointId }),
      ...(input.secondCollectorId !== undefined && { secondCollectorId: input.secondCollectorId }),
      debtorTimeZone: debtorTimeZone(ledger, kase),
    },
    contactHistory(ledger, kase),
    now,
  );
}

/** Notices to store on a recorded contact: the check's, and 'do not disclose' whenever a third party was reached. */
export function contactNotices(
  ledger: Ledger,
  check: ContactCheck,
  reached: ContactParty,
): string[] {
  const codes = new Set<string>(check.notices.map((n) => n.code));
  if (isThirdParty(reached) && !ledger.policy.pack.thirdParty.mayDiscloseDebt)
    codes.add('do_not_disclose_debt');
  return [...codes];
}

/**
 * The refusal of a blocked contact. params (all primitives, for the renderer):
 * - reason: 'conduct'
 * - rule: the first violation's code (e.g. 'outside_contact_hours')
 * - rules: every violation code, comma-separated
 * - violations: JSON of ConductViolation[] ({ code, params } each, as shared/policy/conduct)
 * - nextAllowedAt: UTC instant when waiting would help, else null
 * - nextAllowedDate / nextAllowedTime: the same on the rules' clock ('2026-11-29', '08:00'), else null
 * - timeZone: the zone whose clock the rules used
 */
export function conductRefusal(check: ContactCheck): AppError {
  const codes = check.violations.map((v) => v.code);
  const params: ErrorParams = {
    reason: 'conduct',
    rule: codes[0] ?? null,
    rules: codes.join(','),
    violations: JSON.stringify(check.violations),
    nextAllowedAt: check.nextAllowedAt,
    nextAllowedDate: check.nextAllowedLocal?.date ?? null,
    nextAllowedTime: check.nextAllowedLocal?.time ?? null,
    timeZone: check.timeZone,
  };
  return new AppError(
    'forbidden',
    `The conduct rules block this contact now (${codes.join(', ')}); record it only with an override and a written reason`,
    params,
  );
}
