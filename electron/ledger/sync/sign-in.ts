// Offline sign-in against the password verifiers synced from head office, with lockout:
// 5 failures in a row lock the user out for 15 minutes (kept in the ledger, so closing
// the app does not reset it), and auto-lock after 10 idle minutes. The rules are pure
// functions; signInOffline persists their state.
import { signIn } from '../../../shared/node/password';
import type { UserRole } from '../../../shared/domain/types';
import type { LedgerDb } from '../db';
import { META, setMeta } from '../meta';
import { stmt } from '../statements';

export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60_000;
export const AUTO_LOCK_IDLE_MS = 10 * 60_000;

export interface LockoutState {
  failures: number;
  /** Epoch ms; null when not locked. */
  lockedUntil: number | null;
}

export const NO_LOCKOUT: LockoutState = { failures: 0, lockedUntil: null };

/** Locked now? A lockout that has run out counts as none (and failures start again). */
export function lockedUntil(state: LockoutState, nowMs: number): number | null {
  return state.lockedUntil !== null && state.lockedUntil > nowMs ? state.lockedUntil : null;
}

export function afterFailure(state: LockoutState, nowMs: number): LockoutState {
  const expired = state.lockedUntil !== null && state.lockedUntil <= nowMs;
  const failures = (expired ? 0 : state.failures) + 1;
  return failures >= MAX_FAILURES
    ? { failures: 0, lockedUntil: nowMs + LOCKOUT_MS }
    : { failures, lockedUntil: null };
}

export function afterSuccess(): LockoutState {
  return NO_LOCKOUT;
}

/** Should the screen lock now, given the last user activity? */
export function shouldAutoLock(
  lastActivityMs: number,
  nowMs: number,
  idleMs = AUTO_LOCK_IDLE_MS,
): boolean {
  return nowMs - lastActivityMs >= idleMs;
}

export type SignInOutcome =
  | { ok: true; userId: string; name: string; role: UserRole; authKey: string }
  | { ok: false; reason: 'unknown_user' | 'user_disabled' | 'wrong_password'; failuresLeft: number }
  | { ok: false; reason: 'locked'; lockedUntil: string };

function loadState(db: LedgerDb, userId: string): LockoutState {
  const row = stmt<{ failures: number; locked_until: string | null }>(
    db,
    'SELECT failures, locked_until FROM sign_in_attempts WHERE user_id = ?',
  ).get(userId);
  if (!row) return NO_LOCKOUT;
  return {
    failures: row.failures,
    lockedUntil: row.locked_until ? Date.parse(row.locked_until) : null,
  };
}

function saveState(db: LedgerDb, userId: string, s: LockoutState): void {
  stmt(
    db,
    `INSERT INTO sign_in_attempts (user_id, failures, locked_until) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`,
  ).run(userId, s.failures, s.lockedUntil === null ? null : new Date(s.lockedUntil).toISOString());
}

/**
 * Checks the password against the user's synced verifier. On success the user becomes the
 * ledger's current user and the auth key (for signing requests and mutations) is
 * returned: keep it in memory only. An unknown login gives no hint that it is unknown
 * beyond the reason code the UI maps to one neutral message.
 */
export async function signInOffline(
  db: LedgerDb,
  login: string,
  password: string,
  nowMs: number,
): Promise<SignInOutcome> {
  const user = stmt<{
    id: string;
    name: string;
    role: UserRole;
    password_verifier: string | null;
    active: number;
  }>(db, 'SELECT id, name, role, password_verifier, active FROM users WHERE login = ?').get(
    login.trim().toLowerCase(),
  );
  if (!user) return { ok: false, reason: 'unknown_user', failuresLeft: MAX_FAILURES };
  const state = loadState(db, user.id);
  const locked = lockedUntil(state, nowMs);
  if (locked !== null)
    return { ok: false, reason: 'locked', lockedUntil: new Date(locked).toISOString() };
  if (user.active !== 1 || user.password_verifier === null)
    return { ok: false, reason: 'user_disabled', failuresLeft: 0 };
  const checked = await signIn(password, user.password_verifier);
  if (!checked.ok) {
    const next = afterFailure(state, nowMs);
    saveState(db, user.id, next);
    if (next.lockedUntil !== null)
      return { ok: false, reason: 'locked', lockedUntil: new Date(next.lockedUntil).toISOString() };
    return { ok: false, reason: 'wrong_password', failuresLeft: MAX_FAILURES - next.failures };
  }
  db.transaction(() => {
    saveState(db, user.id, afterSuccess());
    setMeta(db, META.currentUserId, user.id);
  })();
  return { ok: true, userId: user.id, name: user.name, role: user.role, authKey: checked.authKey };
}
