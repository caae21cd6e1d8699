// Reassigning cases to another officer: one 'reassignment' fact per case that changes
// hands (fact + case_reassignments side row + the case's officer and its field clock +
// outbox + audit), every case in ONE transaction: either all move or none.
import type { CasesReassigned } from '../../../shared/api/manager-contract';
import { AppError } from '../../../shared/errors';
import { compareHlc } from '../../../shared/sync/hlc';
import { appendAudit } from '../audit';
import type { ActorRef } from '../commands/command';
import { stampFact } from '../commands/command';
import type { LedgerDb } from '../db';
import type { Ledger } from '../ledger';
import { enqueueMutation } from '../outbox';
import { stmt } from '../statements';

export interface ReassignInput {
  caseIds: string[];
  toOfficerId: string;
  reason: string;
}

export interface ReassignmentApplied {
  factId: string;
  caseId: string;
  fromOfficerId: string;
  toOfficerId: string;
  businessDate: string;
  at: string;
  reason: string;
  hlc: string;
}

/**
 * What a reassignment fact does besides its fact row: the case_reassignments side row and
 * the case's officer, last-writer-wins by the officerId field clock (a reassignment older
 * than the case's current assignment, 'superseded' on the server, changes nothing). Shared
 * by the manager's command and the sync client applying a reassignment from the feed.
 * The caller owns the transaction and has written the fact row. Returns whether the case
 * changed hands.
 */
export function applyReassignment(db: LedgerDb, r: ReassignmentApplied): boolean {
  recordReassignmentOnly(db, r);
  const kase = stmt<{ field_clocks: string }>(
    db,
    'SELECT field_clocks FROM cases WHERE id = ?',
  ).get(r.caseId);
  if (!kase) return false;
  const clocks = JSON.parse(kase.field_clocks) as Record<string, string>;
  if (compareHlc(r.hlc, clocks.officerId) <= 0) return false;
  clocks.officerId = r.hlc;
  stmt(db, 'UPDATE cases SET officer_id = ?, field_clocks = ? WHERE id = ?').run(
    r.toOfficerId,
    JSON.stringify(clocks),
    r.caseId,
  );
  return true;
}

/** The side row alone: a reassignment the server judged older than the case's assignment. */
export function recordReassignmentOnly(db: LedgerDb, r: ReassignmentApplied): void {
  stmt(
    db,
    `INSERT INTO case_reassignments (fact_id, case_id, from_officer_id, to_officer_id, business_date, at, reason)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.factId, r.caseId, r.fromOfficerId, r.toOfficerId, r.businessDate, r.at, r.reason);
}

export function reassignCases(
  ledger: Ledger,
  actor: ActorRef,
  input: ReassignInput,
): CasesReassigned {
  const { db } = ledger;
  const reason = input.reason.trim();
  return db
    .transaction((): CasesReassigned => {
      const target = stmt<{ role: string }>(
        db,
        'SELECT role FROM users WHERE id = ? AND active = 1',
      ).get(input.toOfficerId);
      if (target?.role !== 'officer') {
        throw new AppError('invalid_input', 'Cases can only be given to an active officer', {
          field: 'toOfficerId',
          reason: 'not_an_officer',
        });
      }
      const now = ledger.clock.now();
      const factIds: string[] = [];
      const unchanged: string[] = [];
      for (const caseId of new Set(input.caseIds)) {
        const kase = stmt<{ officer_id: string; status: string; field_clocks: string }>(
          db,
          'SELECT officer_id, status, field_clocks FROM cases WHERE id = ?',
        ).get(caseId);
        if (!kase)
          throw new AppError('not_found', 'No such case on this device', {
            entity: 'case',
            id: caseId,
          });
        if (kase.status !== 'open') {
          throw new AppError('conflict', 'A closed case cannot be reassigned', {
            reason: 'case_closed',
            id: caseId,
          });
        }
        if (kase.officer_id === input.toOfficerId) {
          unchanged.push(caseId);
          continue;
        }
        const stamp = stampFact(ledger, now);
        const payload = { fromOfficerId: kase.officer_id, toOfficerId: input.toOfficerId, reason };
        stmt(
          db,
          `INSERT INTO facts (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload)
           VALUES (?, ?, 'reassignment', ?, ?, ?, ?, ?, ?)`,
        ).run(
          stamp.id,
          caseId,
          stamp.occurredAt,
          stamp.businessDate,
          actor.id,
          stamp.deviceId,
          stamp.hlc,
          JSON.stringify(payload),
        );
        applyReassignment(db, {
          factId: stamp.id,
          caseId,
          fromOfficerId: kase.officer_id,
          toOfficerId: input.toOfficerId,
          businessDate: stamp.businessDate,
          at: stamp.occurredAt,
          reason,
          hlc: stamp.hlc,
        });
        enqueueMutation(
          db,
          {
            kind: 'fact',
            caseId,
            userId: actor.id,
            hlc: stamp.hlc,
            payload: {
              factKind: 'reassignment',
              factId: stamp.id,
              occurredAt: stamp.occurredAt,
              toOfficerId: input.toOfficerId,
              fromOfficerId: kase.officer_id,
              reason,
            },
          },
          stamp.occurredAt,
        );
        appendAudit(db, {
          at: stamp.occurredAt,
          actorId: actor.id,
          deviceId: stamp.deviceId,
          action: 'cases.reassign',
          entity: 'fact',
          entityId: stamp.id,
          payload: { ...stamp, caseId, kind: 'reassignment', payload },
        });
        factIds.push(stamp.id);
      }
      return { factIds, reassigned: factIds.length, unchanged };
    })
    .immediate();
}
