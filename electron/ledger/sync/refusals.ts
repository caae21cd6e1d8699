// What a refused fact leaves on this device. The rule (docs/SYNC.md, "Refused mutations"):
// the refused fact stays visible — its row in `facts` (the timeline) and its outbox row
// with the server's reason (SyncStatus.refused) — until someone acts on it; but nothing
// the device DERIVES counts it, because the server, every other device and core banking
// never will: a payment refused as a duplicate receipt must not lower this device's
// balance, a refused promise must not drive the promise status, a refused plan decision
// must not leave the loan on the plan's schedule. So its typed side rows (what derive,
// the case file and the payment guard read) are taken out, in the transaction that records
// the refusal, and the case is derived again. Side tables are append-only; the case_purge
// permit opens deletes for this case inside this transaction only, as for a case removal.
//
// The server never stores a refused fact, so a case that leaves this device (reassigned
// away, remove-case.ts) and comes back arrives with a history that lacks it: the refused
// fact's `facts` row waits in refused_facts_away (migration 0009) meanwhile and is put back
// when the case is here again — its row only, never its side rows, so it still counts
// nowhere. Dismissing a refusal (someone has dealt with it) takes it off the sync status's
// list, wherever its case is; the fact stays on its timeline, marked refused.
import { AppError } from '../../../shared/errors';
import type { FactPayload } from '../../../shared/sync/mutations';
import { appendAudit } from '../audit';
import type { LedgerDb } from '../db';
import { getMeta, META } from '../meta';
import { stmt } from '../statements';

/**
 * Takes the refused fact's effects out of derived state. Returns the case to derive again,
 * or null when the fact had no derived effect here. The caller owns the transaction.
 */
export function withdrawRefusedFact(
  db: LedgerDb,
  caseId: string,
  payload: FactPayload,
): string | null {
  if (!db.inTransaction) throw new Error('withdrawRefusedFact must run inside a transaction');
  const here = stmt<number>(db, 'SELECT 1 FROM cases WHERE id = ?').pluck().get(caseId);
  if (here !== 1) return null;
  db.pragma('defer_foreign_keys = ON');
  stmt(db, 'INSERT OR IGNORE INTO case_purge (case_id) VALUES (?)').run(caseId);
  try {
    switch (payload.factKind) {
      case 'payment':
        // A local reversal of it goes too (the server will refuse that one: unknown payment).
        stmt(db, 'DELETE FROM payment_reversals WHERE reverses_fact_id = ?').run(payload.factId);
        stmt(db, 'DELETE FROM payments WHERE fact_id = ?').run(payload.factId);
        return caseId;
      case 'payment_reversal':
        stmt(db, 'DELETE FROM payment_reversals WHERE fact_id = ?').run(payload.factId);
        return caseId;
      case 'promise':
        stmt(db, 'DELETE FROM promises WHERE case_id = ? AND fact_id = ?').run(
          caseId,
          payload.factId,
        );
        return caseId;
      case 'contact':
        stmt(db, 'DELETE FROM overrides WHERE contact_fact_id = ?').run(payload.factId);
        stmt(db, 'DELETE FROM contacts WHERE case_id = ? AND fact_id = ?').run(
          caseId,
          payload.factId,
        );
        return caseId;
      case 'plan_proposal': {
        const decision = stmt<string>(
          db,
          'SELECT fact_id FROM plan_decisions WHERE proposal_fact_id = ?',
        )
          .pluck()
          .get(payload.factId);
        if (typeof decision === 'string') undoPlanDecision(db, decision);
        stmt(db, 'DELETE FROM plan_proposals WHERE fact_id = ?').run(payload.factId);
        return caseId;
      }
      case 'plan_decision':
        undoPlanDecision(db, payload.factId);
        return caseId;
      case 'reassignment': {
        stmt(db, 'DELETE FROM case_reassignments WHERE fact_id = ?').run(payload.factId);
        // The case goes back to who had it, unless something later moved it since.
        const clock = stmt<string>(
          db,
          `SELECT json_extract(field_clocks, '$.officerId') FROM cases WHERE id = ?`,
        )
          .pluck()
          .get(caseId);
        const from = payload.fromOfficerId;
        const stamp = stmt<string>(db, 'SELECT hlc FROM facts WHERE id = ?')
          .pluck()
          .get(payload.factId);
        if (from && stamp !== undefined && clock === stamp)
          stmt(db, 'UPDATE cases SET officer_id = ? WHERE id = ?').run(from, caseId);
        return caseId;
      }
      case 'override_review':
        stmt(db, 'DELETE FROM override_reviews WHERE override_fact_id = ?').run(
          payload.contactFactId,
        );
        return null;
      case 'note':
      case 'flag_change':
        // A flag's value comes back with the server's case record; a note derives nothing.
        return null;
    }
  } finally {
    stmt(db, 'DELETE FROM case_purge WHERE case_id = ?').run(caseId);
  }
}

/** Takes back a plan decision: its side row and, for an approval, the plan's schedule. */
function undoPlanDecision(db: LedgerDb, decisionFactId: string): void {
  const restructuring = stmt<{ loan_id: string }>(
    db,
    'SELECT loan_id FROM loan_restructurings WHERE decision_fact_id = ?',
  ).get(decisionFactId);
  if (restructuring) {
    const loanId = restructuring.loan_id;
    stmt(db, 'DELETE FROM instalments WHERE loan_id = ?').run(loanId);
    stmt(
      db,
      `INSERT INTO instalments (loan_id, seq, due_date, principal_fen, interest_fen)
       SELECT loan_id, seq, due_date, principal_fen, interest_fen FROM loan_original_schedules WHERE loan_id = ?`,
    ).run(loanId);
    stmt(db, 'DELETE FROM loan_original_schedules WHERE loan_id = ?').run(loanId);
    stmt(db, 'DELETE FROM loan_restructurings WHERE loan_id = ?').run(loanId);
  }
  stmt(db, 'DELETE FROM plan_decisions WHERE fact_id = ?').run(decisionFactId);
}

// Queries on refusals say `status = 'refused' AND status <> 'sent'`: the second term is
// what lets SQLite use the partial index outbox_unsent (status <> 'sent') instead of
// scanning every row the device ever sent.

/**
 * The case is leaving this device: keeps the `facts` rows of its refused facts (dismissed
 * or not) until it comes back. Called by removeCase before it deletes the case's rows; the
 * caller owns the transaction.
 */
export function keepRefusedFactsAway(db: LedgerDb, caseId: string): number {
  return stmt(
    db,
    `INSERT OR REPLACE INTO refused_facts_away
       (fact_id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload)
     SELECT f.id, f.case_id, f.kind, f.occurred_at, f.business_date, f.recorded_by, f.device_id, f.hlc, f.payload
     FROM facts f
     WHERE f.case_id = ?
       AND f.id IN (SELECT json_extract(o.payload, '$.factId') FROM outbox o
                    WHERE o.status = 'refused' AND o.status <> 'sent' AND o.kind = 'fact' AND o.case_id = ?)`,
  ).run(caseId, caseId).changes;
}

/**
 * Puts every kept refused fact whose case is on this device again back on its timeline:
 * the `facts` row only (no side rows, so no balance, promise status, tally or figure counts
 * it), exactly as it was before the case left. Cheap when nothing waits (one lookup in an
 * empty table), so the sync client calls it after every pull page. The caller owns the
 * transaction. Returns how many facts came back.
 */
export function restoreRefusedFacts(db: LedgerDb): number {
  if (!db.inTransaction) throw new Error('restoreRefusedFacts must run inside a transaction');
  const waiting = stmt<number>(db, 'SELECT 1 FROM refused_facts_away LIMIT 1').pluck().get();
  if (waiting !== 1) return 0;
  const back = stmt(
    db,
    `INSERT OR IGNORE INTO facts
       (id, case_id, kind, occurred_at, business_date, recorded_by, device_id, hlc, payload)
     SELECT k.fact_id, k.case_id, k.kind, k.occurred_at, k.business_date, k.recorded_by, k.device_id, k.hlc, k.payload
     FROM refused_facts_away k
     WHERE EXISTS (SELECT 1 FROM cases c WHERE c.id = k.case_id)
       AND EXISTS (SELECT 1 FROM users u WHERE u.id = k.recorded_by)
     ORDER BY k.occurred_at, k.fact_id`,
  ).run().changes;
  stmt(
    db,
    `DELETE FROM refused_facts_away
     WHERE EXISTS (SELECT 1 FROM facts f WHERE f.id = refused_facts_away.fact_id)`,
  ).run();
  return back;
}

export interface FactRefusal {
  mutationId: number;
  code: string;
  message: string;
  /** When someone dismissed it (it has left the sync status's list); null while it waits. */
  handledAt: string | null;
}

/** The refusals of the case's facts, by fact id (what the timeline marks). */
export function refusedFactsOfCase(db: LedgerDb, caseId: string): Map<string, FactRefusal> {
  const rows = stmt<{
    fact_id: string;
    mutation_id: number;
    refusal_code: string | null;
    refusal_reason: string | null;
    handled_at: string | null;
  }>(
    db,
    `SELECT json_extract(payload, '$.factId') AS fact_id, mutation_id, refusal_code, refusal_reason, handled_at
     FROM outbox WHERE status = 'refused' AND status <> 'sent' AND kind = 'fact' AND case_id = ?
     ORDER BY mutation_id`,
  ).all(caseId);
  return new Map(
    rows.map((r) => [
      r.fact_id,
      {
        mutationId: r.mutation_id,
        code: r.refusal_code ?? 'unknown',
        message: r.refusal_reason ?? '',
        handledAt: r.handled_at,
      },
    ]),
  );
}

/**
 * Someone has dealt with a refusal (told the manager, recorded the fact again): it leaves
 * the sync status's list. Works the same whether its case is on this device or not; the
 * refused fact keeps its place on the timeline (or in refused_facts_away), marked refused,
 * and still counts nowhere. Dismissing one already dismissed changes nothing. Audited.
 */
export function dismissRefusal(
  db: LedgerDb,
  mutationId: number,
  userId: string,
  at: string,
): { dismissed: boolean } {
  return db
    .transaction(() => {
      const row = stmt<{ status: string; handled_at: string | null; refusal_code: string | null }>(
        db,
        'SELECT status, handled_at, refusal_code FROM outbox WHERE mutation_id = ?',
      ).get(mutationId);
      if (!row || row.status !== 'refused')
        throw new AppError('not_found', 'No such refused change on this device', {
          entity: 'refused_change',
          id: String(mutationId),
        });
      if (row.handled_at !== null) return { dismissed: false };
      stmt(db, 'UPDATE outbox SET handled_at = ?, handled_by = ? WHERE mutation_id = ?').run(
        at,
        userId,
        mutationId,
      );
      appendAudit(db, {
        at,
        actorId: userId,
        deviceId: getMeta(db, META.deviceId) ?? 'unknown',
        action: 'sync.refusal.dismiss',
        entity: 'outbox',
        entityId: String(mutationId),
        payload: { mutationId, code: row.refusal_code },
      });
      return { dismissed: true };
    })
    .immediate();
}
