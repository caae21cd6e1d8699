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
import type { FactPayload } from '../../../shared/sync/mutations';
import type { LedgerDb } from '../db';
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
