// A bulk write into a mostly empty part of the ledger (a portfolio import, a first sync's
// download) writes mostly new pages. In WAL mode each is written and encrypted twice: into
// the WAL at COMMIT and into the ledger file at the checkpoint. With a rollback journal new
// pages go straight into the ledger file and only the pages the write changes are copied
// to the journal first. Just as atomic: a process killed halfway leaves a hot journal that
// SQLite rolls back when the ledger is next opened (before openLedger sets WAL again).
import type { LedgerDb } from './db';

export interface RollbackJournal {
  /** False when the ledger stayed in WAL (another connection has it open). */
  readonly switched: boolean;
  /** Back to WAL; outside a transaction only. If that fails the ledger stays on the
   * rollback journal (as safe) until openLedger sets WAL at the next open. */
  restore(): void;
}

/** Switches the ledger to a rollback journal until restore(); nothing changes when it cannot. */
export function useRollbackJournal(db: LedgerDb): RollbackJournal {
  let switched = false;
  try {
    switched = String(db.pragma('journal_mode = DELETE', { simple: true })) === 'delete';
  } catch {
    switched = false;
  }
  return {
    switched,
    restore: () => {
      if (!switched || !db.open || db.inTransaction) return;
      try {
        db.pragma('journal_mode = WAL');
      } catch {
        // Stays on the rollback journal; openLedger sets WAL at the next open.
      }
    },
  };
}
