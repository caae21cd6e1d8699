// Rows the ledger's foreign keys need but the server does not send to this device: an
// unassigned case's "officer", an admin or a user of another branch who recorded a fact
// on a visible case. Each is an inactive user (nobody can sign in as it, pickers skip
// inactive users) that a later 'user' item overwrites if the server sends the real one.
import type { LedgerDb } from '../db';
import { getMeta, META } from '../meta';
import { stmt } from '../statements';

/** The officer_id of a case head office has not assigned yet. */
export const UNASSIGNED_OFFICER_ID = 'unassigned';

export function ensureUserRow(db: LedgerDb, userId: string): void {
  const exists = stmt<number>(db, 'SELECT 1 FROM users WHERE id = ?').pluck().get(userId);
  if (exists) return;
  const branchId = getMeta(db, META.branchId);
  if (!branchId) throw new Error('ensureUserRow: the ledger has no branch yet');
  stmt(
    db,
    `INSERT INTO users (id, branch_id, login, name, role, password_verifier, active)
     VALUES (?, ?, ?, ?, 'officer', NULL, 0)`,
  ).run(userId, branchId, `~${userId}`, userId === UNASSIGNED_OFFICER_ID ? '' : userId);
}
