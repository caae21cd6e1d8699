import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPasswordCredential } from '../../shared/node/password';
import { openLedger } from '../../electron/ledger/db';
import { getMeta, META } from '../../electron/ledger/meta';
import { applyPullPage } from '../../electron/ledger/sync/apply-pull';
import {
  afterFailure,
  AUTO_LOCK_IDLE_MS,
  LOCKOUT_MS,
  NO_LOCKOUT,
  lockedUntil,
  shouldAutoLock,
  signInOffline,
} from '../../electron/ledger/sync/sign-in';
import { ensureSyncSchema } from '../../electron/ledger/sync/sync-schema';
import { wipeDataFolder } from '../../electron/ledger/sync/wipe';
import { TEST_SCRYPT } from '../server/helpers/world';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-signin-'));
  dirs.push(d);
  return d;
}

describe('lockout rules', () => {
  it('locks after 5 failures for 15 minutes, then starts counting again', () => {
    let s = NO_LOCKOUT;
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) s = afterFailure(s, t0);
    expect(lockedUntil(s, t0)).toBeNull();
    s = afterFailure(s, t0);
    expect(lockedUntil(s, t0)).toBe(t0 + LOCKOUT_MS);
    expect(lockedUntil(s, t0 + LOCKOUT_MS - 1)).not.toBeNull();
    expect(lockedUntil(s, t0 + LOCKOUT_MS)).toBeNull();
    s = afterFailure(s, t0 + LOCKOUT_MS + 1);
    expect(s).toEqual({ failures: 1, lockedUntil: null });
  });
  it('auto-locks after 10 idle minutes', () => {
    expect(shouldAutoLock(0, AUTO_LOCK_IDLE_MS - 1)).toBe(false);
    expect(shouldAutoLock(0, AUTO_LOCK_IDLE_MS)).toBe(true);
  });
});

describe('offline sign-in against synced verifiers', () => {
  it('signs in, counts failures across reopenings, locks, refuses disabled users', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ledger.db');
    const key = crypto.randomBytes(32);
    let db = openLedger({ file, key });
    ensureSyncSchema(db);
    const cred = await createPasswordCredential('correct horse battery', TEST_SCRYPT);
    const branch = { id: 'b1', code: 'GZ01', name: '广州', timezone: 'Asia/Shanghai' };
    db.transaction(() =>
      applyPullPage(
        db,
        [
          { type: 'branch', branch },
          {
            type: 'user',
            user: {
              id: 'u1',
              branchId: 'b1',
              username: 'liwei',
              name: '李伟',
              role: 'officer',
              passwordVerifier: cred.verifier,
              disabled: false,
            },
          },
          {
            type: 'user',
            user: {
              id: 'u2',
              branchId: 'b1',
              username: 'gone',
              name: '赵强',
              role: 'officer',
              passwordVerifier: null,
              disabled: true,
            },
          },
        ],
        Date.now(),
      ),
    )();
    const t0 = Date.parse('2026-11-28T09:00:00.000Z');
    const ok = await signInOffline(db, 'LiWei', 'correct horse battery', t0);
    expect(ok).toMatchObject({ ok: true, userId: 'u1', role: 'officer' });
    if (ok.ok) expect(ok.authKey).toBe(cred.authKey);
    expect(getMeta(db, META.currentUserId)).toBe('u1');

    for (let i = 0; i < 3; i++) {
      expect(await signInOffline(db, 'liwei', 'wrong', t0)).toMatchObject({
        ok: false,
        reason: 'wrong_password',
      });
    }
    db.close();
    db = openLedger({ file, key });
    expect(await signInOffline(db, 'liwei', 'wrong', t0)).toMatchObject({ failuresLeft: 1 });
    expect(await signInOffline(db, 'liwei', 'wrong', t0)).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    // Locked: even the right password is refused until the 15 minutes are over.
    expect(
      await signInOffline(db, 'liwei', 'correct horse battery', t0 + LOCKOUT_MS - 1),
    ).toMatchObject({
      reason: 'locked',
    });
    expect(
      await signInOffline(db, 'liwei', 'correct horse battery', t0 + LOCKOUT_MS),
    ).toMatchObject({ ok: true });
    expect(await signInOffline(db, 'gone', 'anything', t0)).toMatchObject({
      ok: false,
      reason: 'user_disabled',
    });
    expect(await signInOffline(db, 'nobody', 'anything', t0)).toMatchObject({
      ok: false,
      reason: 'unknown_user',
    });
    db.close();
  });
});

describe('wipe of the dev-bridge data folder', () => {
  it('deletes the ledger, WAL, key file and caches and nothing else', () => {
    const dir = tempDir();
    for (const f of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm', 'ledger.devkey', 'other.txt'])
      fs.writeFileSync(path.join(dir, f), 'x');
    fs.mkdirSync(path.join(dir, 'cache'));
    fs.writeFileSync(path.join(dir, 'cache', 'tile'), 'x');
    const removed = wipeDataFolder({ dataDir: dir });
    expect(removed).toHaveLength(5);
    expect(fs.readdirSync(dir)).toEqual(['other.txt']);
  });
});
