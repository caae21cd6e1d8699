// Devices killed with SIGKILL in the middle of a push (the server applied it, the device
// never heard) and in the middle of applying a pull page: reopened, they sync to the
// same state as a device that was never interrupted, with every payment exactly once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../electron/ledger/db';
import { ensureSyncSchema } from '../../electron/ledger/sync/sync-schema';
import { enrolDevice } from '../../electron/ledger/sync/enrol';
import { signInOffline } from '../../electron/ledger/sync/sign-in';
import { SyncEngine } from '../../electron/ledger/sync/sync-engine';
import { issueEnrolmentCode } from '../../server/model/devices';
import { testBackends } from '../server/helpers/backends';
import { createWorld, type World } from '../server/helpers/world';
import {
  caseIds,
  caseView,
  makeDevice,
  paymentIds,
  recordPayment,
  type TestDevice,
} from './helpers';
import { runChildUntilKill } from './kill-runner';

const backend = testBackends()[0]!;
let world: World;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  world = await createWorld(await backend.open());
}, 60_000);
afterAll(async () => {
  for (const c of cleanup) c();
  await world.close();
  await world.db.close();
});

async function diskDevice(user: World['users']['officerA1']) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-sigkill-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const key = crypto.randomBytes(32);
  const db = openLedger({ file: path.join(dir, 'ledger.db'), key });
  ensureSyncSchema(db);
  const code = await world.db.transaction((tx) =>
    issueEnrolmentCode(tx, { branchId: user.branchId, issuedBy: 'test' }),
  );
  await enrolDevice({ db, serverUrl: world.baseUrl, code: code.code, deviceName: 'killed laptop' });
  const reopen = async () => {
    const again = openLedger({ file: path.join(dir, 'ledger.db'), key });
    const signed = await signInOffline(again, user.username, user.password, Date.now());
    if (!signed.ok) throw new Error('sign-in failed');
    const keys = new Map([[signed.userId, signed.authKey]]);
    const engine = new SyncEngine({
      db: again,
      signedInUserId: () => signed.userId,
      authorKeys: () => keys,
      wipe: () => {},
    });
    cleanup.push(() => again.open && again.close());
    return { db: again, engine };
  };
  return { dir, key, db, reopen };
}

describe('devices killed mid-sync', () => {
  it('SIGKILL after the server applied a push: the retry records nothing twice', async () => {
    const d = await diskDevice(world.users.officerA1);
    // First sync in-process, then record payments, then let a child push and die.
    const first = await d.reopen();
    await first.engine.sync();
    d.db.close();
    const helper = await makeDevice(world, 'killed-shim', world.users.officerA1);
    cleanup.push(() => helper.close());
    // Record on the on-disk ledger through the same helpers (they only need db + user).
    const { bindLedger } = await import('../../electron/ledger/ledger');
    const onDisk = { ...helper, db: first.db, ledger: () => bindLedger(first.db) } as TestDevice;
    const paid = [0, 1, 2].map((i) =>
      recordPayment(onDisk, world.cases.a1[i % world.cases.a1.length]!, 3_000 + i),
    );
    first.db.close();
    const out = await runChildUntilKill(
      { dir: d.dir, key: d.key, ...world.users.officerA1 },
      'push',
    );
    expect(out).toContain('KILL-ME');
    // The server applied the batch; the device died before it heard.
    const applied = await world.db.query<{ id: string }>(
      'select id from facts where id = any($1)',
      [paid],
    );
    expect(applied).toHaveLength(3);
    const after = await d.reopen();
    expect(after.engine.status().pendingCount).toBe(3);
    const run = await after.engine.sync();
    expect(run.accepted).toBe(3);
    expect(after.engine.status().pendingCount).toBe(0);
    const rows = await world.db.query<{ id: string }>('select id from facts where id = any($1)', [
      paid,
    ]);
    expect(rows.map((r) => r.id).sort()).toEqual([...paid].sort());
  }, 120_000);

  it('SIGKILL while applying a pull page: the page is not half there, and the resumed pull matches', async () => {
    const d = await diskDevice(world.users.managerA);
    d.db.close();
    const out = await runChildUntilKill(
      { dir: d.dir, key: d.key, ...world.users.managerA },
      'pull',
    );
    expect(out).toContain('KILL-ME');
    const after = await d.reopen();
    expect(caseIds(after.db)).toEqual([]);
    await after.engine.sync();
    const steady = await makeDevice(world, 'steady-manager', world.users.managerA);
    cleanup.push(() => steady.close());
    await steady.engine.sync();
    expect(caseIds(after.db)).toEqual(caseIds(steady.db));
    for (const c of caseIds(steady.db))
      expect(caseView(after.db, c)).toEqual(caseView(steady.db, c));
    expect(paymentIds(after.db)).toEqual(paymentIds(steady.db));
  }, 120_000);
});
