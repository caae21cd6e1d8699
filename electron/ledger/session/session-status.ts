// Read models of the session: the header's sync status and the users who may sign in,
// shaped for the API (shared/api/sync-contract.ts) from the sync client's public status.
import type {
  DeviceMode,
  RefusedChange,
  SessionUser,
  SyncStatusView,
} from '../../../shared/api/sync-contract';
import type { UserRole } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import type { SyncStatus } from '../sync/sync-engine';
import { getSyncState, SYNC_KEYS } from '../sync/sync-store';

export function idleStatus(mode: DeviceMode): SyncStatusView {
  return {
    mode,
    online: null,
    syncing: false,
    lastSuccessAt: null,
    lastError: null,
    pendingCount: 0,
    awaitingSignInCount: 0,
    refused: [],
    firstDownload: null,
    serverUrl: null,
  };
}

export function enrolledStatus(db: LedgerDb, status: SyncStatus): SyncStatusView {
  const borrower = db.prepare(
    `SELECT b.name FROM cases c JOIN borrowers b ON b.id = c.borrower_id WHERE c.id = ?`,
  );
  const userName = db.prepare('SELECT name FROM users WHERE id = ?');
  const refused: RefusedChange[] = status.refused.map((r) => ({
    mutationId: r.mutationId,
    kind: r.kind,
    caseId: r.caseId,
    borrowerName: (borrower.pluck().get(r.caseId) as string | undefined) ?? null,
    recordedBy: (userName.pluck().get(r.userId) as string | undefined) ?? null,
    createdAt: r.createdAt,
    refusedAt: r.refusedAt,
    code: r.code,
    message: r.message,
  }));
  return {
    mode: 'enrolled',
    online: status.online,
    syncing: status.syncing,
    lastSuccessAt: status.lastSuccessAt,
    lastError: status.lastError,
    pendingCount: status.pendingCount,
    awaitingSignInCount: status.awaitingSignInCount,
    refused,
    firstDownload: status.firstDownload,
    serverUrl: getSyncState(db, SYNC_KEYS.serverUrl),
  };
}

export function deviceUsers(db: LedgerDb): SessionUser[] {
  return db
    .prepare(
      `SELECT id, name, role, login FROM users
       WHERE active = 1 AND password_verifier IS NOT NULL ORDER BY role DESC, login`,
    )
    .all() as { id: string; name: string; role: UserRole; login: string }[];
}

export function sessionUser(db: LedgerDb, id: string): SessionUser | null {
  const row = db.prepare('SELECT id, name, role, login FROM users WHERE id = ?').get(id) as
    SessionUser | undefined;
  return row ?? null;
}
