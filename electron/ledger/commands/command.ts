// What every ledger command shares: checks on who acts and on which case, the stamp of a
// new fact (id, instant, business date, HLC), and the commit that writes the fact, the
// case's derived state, the outbox row and the audit entry. Commands call these inside
// ONE transaction, so either all of it is on disk or none of it is.
import { v7 as uuidv7 } from 'uuid';
import { businessDate } from '../../../shared/dates';
import { AppError } from '../../../shared/errors';
import { checkNoteWording } from '../../../shared/policy/conduct';
import type { IsoDate, UserRole } from '../../../shared/domain/types';
import { appendAudit } from '../audit';
import { deriveCase } from '../derive';
import { insertFact, type FactRecord } from '../facts';
import { nextHlc } from '../hlc';
import type { Ledger } from '../ledger';
import { ledgerToday } from '../ledger';
import { getMeta, META } from '../meta';
import { enqueueMutation } from '../outbox';
import { stmt } from '../statements';
import { toSyncFactPayload } from '../sync-payloads';

export interface CaseRef {
  id: string;
  borrowerId: string;
  status: 'open' | 'closed';
}

export interface ActorRef {
  id: string;
  role: UserRole;
}

export function requireActor(ledger: Ledger, userId: string): ActorRef {
  const row = stmt<{ id: string; role: UserRole; active: number }>(
    ledger.db,
    'SELECT id, role, active FROM users WHERE id = ?',
  ).get(userId);
  if (!row || row.active !== 1) {
    throw new AppError('forbidden', 'This user may not record on this ledger', {
      reason: 'unknown_user',
    });
  }
  return { id: row.id, role: row.role };
}

export function requireOpenCase(ledger: Ledger, caseId: string): CaseRef {
  const row = stmt<{ id: string; borrower_id: string; status: 'open' | 'closed' }>(
    ledger.db,
    'SELECT id, borrower_id, status FROM cases WHERE id = ?',
  ).get(caseId);
  if (!row)
    throw new AppError('not_found', 'No such case on this device', { entity: 'case', id: caseId });
  if (row.status !== 'open') {
    throw new AppError('conflict', 'This case is closed: nothing more can be recorded on it', {
      reason: 'case_closed',
    });
  }
  return { id: row.id, borrowerId: row.borrower_id, status: row.status };
}

/** The business date derived state is currently computed for (today, once refreshed). */
export function derivedAsOf(ledger: Ledger): IsoDate {
  return getMeta(ledger.db, META.derivedAsOf) ?? ledgerToday(ledger);
}

export interface FactStamp {
  id: string;
  occurredAt: string;
  businessDate: IsoDate;
  deviceId: string;
  hlc: string;
}

/** A new fact's id, instant, business date and HLC; `now` lets one command stamp several facts alike. */
export function stampFact(ledger: Ledger, now: Date = ledger.clock.now()): FactStamp {
  return {
    id: uuidv7(),
    occurredAt: now.toISOString(),
    businessDate: businessDate(now, ledger.branch.timezone),
    deviceId: ledger.deviceId,
    hlc: nextHlc(ledger.db, ledger.deviceId, now.getTime()),
  };
}

/** Fact + derived state + outbox + audit. Must run inside the caller's transaction. */
export function commitFact(ledger: Ledger, action: string, fact: FactRecord): void {
  const { db } = ledger;
  if (!db.inTransaction) throw new Error('commitFact must run inside a transaction');
  insertFact(db, fact);
  deriveCase(db, fact.caseId, derivedAsOf(ledger), ledger.policy);
  enqueueMutation(
    db,
    {
      kind: 'fact',
      caseId: fact.caseId,
      userId: fact.recordedBy,
      hlc: fact.hlc,
      payload: toSyncFactPayload(fact),
    },
    fact.occurredAt,
  );
  appendAudit(db, {
    at: fact.occurredAt,
    actorId: fact.recordedBy,
    deviceId: fact.deviceId,
    action,
    entity: 'fact',
    entityId: fact.id,
    payload: fact,
  });
}

export function invalidInput(
  field: string,
  reason: string,
  message: string,
  extra: Record<string, string | number | boolean | null> = {},
): AppError {
  return new AppError('invalid_input', message, { ...extra, field, reason });
}

/** Free text as stored: trimmed, and null when nothing is left. */
export function optionalText(text: string | undefined): string | null {
  const t = text?.trim();
  return t ? t : null;
}

/**
 * Terms of the branch pack's abusive-word lists found in the text (a gentle warning the
 * UI shows; stored with the fact so a manager can see it). Never blocks.
 */
export function wordingFlags(ledger: Ledger, text: string | null): string[] {
  return text === null ? [] : checkNoteWording(ledger.policy.pack, text);
}

/** Records a mutable field change's audit entry (the fact-less part of a command). */
export function auditFieldChange(
  ledger: Ledger,
  actorId: string,
  stamp: FactStamp,
  action: string,
  entity: string,
  entityId: string,
  payload: unknown,
): void {
  appendAudit(ledger.db, {
    at: stamp.occurredAt,
    actorId,
    deviceId: stamp.deviceId,
    action,
    entity,
    entityId,
    payload,
  });
}
