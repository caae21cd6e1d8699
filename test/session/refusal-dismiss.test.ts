// "Dealt with" on a refused change, through the device session as the header's sync status
// calls it: only a signed-in, unlocked user of an enrolled device may dismiss; the refusal
// leaves the list, the refused fact stays on its case's timeline marked refused and dealt
// with. The demo ledger has nothing to dismiss.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoLedger, loadOrCreateDevKey } from '../../electron/ledger';
import { createSessionHandlers, type LedgerSession } from '../../electron/ledger/session/session';
import { issueEnrolmentCode } from '../../server/model/devices';
import { testBackends } from '../server/helpers/backends';
import { createWorld, type World } from '../server/helpers/world';
import { makeDevice, recordReversal, type TestDevice } from '../sync/helpers';
import { call } from './helpers';

const backend = testBackends()[0]!;
let world: World;
const dirs: string[] = [];
const sessions: LedgerSession[] = [];
const devices: TestDevice[] = [];

beforeAll(async () => {
  world = await createWorld(await backend.open());
}, 60_000);

afterAll(async () => {
  for (const s of sessions) s.close();
  for (const d of devices) d.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  await world.close();
  await world.db.close();
});

function newSession(firstRun: 'demo' | 'wizard') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-dismiss-'));
  dirs.push(dataDir);
  const session = createSessionHandlers({
    ledgerFile: path.join(dataDir, 'ledger.db'),
    key: () => loadOrCreateDevKey(dataDir).key,
    ensureDemo: () => {
      const demo = ensureDemoLedger({ dataDir, cases: 20, officers: 2, today: '2026-11-27' });
      return { file: demo.file, key: demo.key };
    },
    wipeLayout: { dataDir },
    firstRun,
    keyStorage: 'test',
    autoSync: false,
    deviceName: 'test laptop',
  });
  sessions.push(session);
  return session;
}

describe('dismissing a refused change', () => {
  it('takes it off the list for a signed-in user; the fact stays on the timeline, marked', async () => {
    const officer = world.users.officerA1;
    const session = newSession('wizard');
    const code = await world.db.transaction((tx) =>
      issueEnrolmentCode(tx, { branchId: world.branches.a.id, issuedBy: 'test' }),
    );
    await call(session, 'device.enrol', {
      serverUrl: world.baseUrl,
      code: code.code,
      deviceName: 'officer laptop',
    });
    const signIn = { login: officer.username, password: officer.password };
    await call(session, 'session.signIn', signIn);
    await call(session, 'sync.now');

    // The officer takes a payment; the manager reverses it; the officer, not synced since,
    // reverses it too: head office refuses the second reversal.
    const manager = await makeDevice(world, 'dismiss-m', world.users.managerA);
    devices.push(manager);
    const caseId = world.cases.a1[0]!;
    const paid = await call(session, 'payment.record', {
      caseId,
      amountFen: 80_00,
      method: 'cash',
    });
    await call(session, 'sync.now');
    await manager.engine.sync();
    expect(recordReversal(manager, paid.factId)).not.toBeNull();
    await manager.engine.sync();
    const reversal = await call(session, 'payment.reverse', {
      paymentFactId: paid.factId,
      reason: '重复录入',
    });
    const status = await call(session, 'sync.now');
    expect(status.refused).toMatchObject([{ code: 'already_reversed', caseId }]);
    expect(status.refused[0]?.borrowerName).not.toBeNull();
    const mutationId = status.refused[0]!.mutationId;
    const refusalOf = async () =>
      (await call(session, 'case.get', { caseId })).timeline.find(
        (e) => e.factId === reversal.factId,
      )?.refusal;
    expect(await refusalOf()).toMatchObject({ code: 'already_reversed', dismissed: false });

    // Locked: nobody at the keyboard may act on it.
    await call(session, 'session.lock');
    await expect(call(session, 'sync.dismissRefusal', { mutationId })).rejects.toMatchObject({
      code: 'forbidden',
      params: { reason: 'locked' },
    });
    expect((await call(session, 'sync.status')).refused).toHaveLength(1);
    await call(session, 'session.signIn', signIn);

    const after = await call(session, 'sync.dismissRefusal', { mutationId });
    expect(after.refused).toEqual([]);
    expect(await refusalOf()).toMatchObject({ code: 'already_reversed', dismissed: true });
    // Again: nothing changes; a mutation that is not a refusal here is not found.
    expect((await call(session, 'sync.dismissRefusal', { mutationId })).refused).toEqual([]);
    await expect(
      call(session, 'sync.dismissRefusal', { mutationId: 987_654 }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(call(session, 'sync.dismissRefusal', { mutationId: 0 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  }, 90_000);

  it('the demo ledger has no refusals to dismiss', async () => {
    const session = newSession('demo');
    await expect(call(session, 'sync.dismissRefusal', { mutationId: 1 })).rejects.toMatchObject({
      code: 'forbidden',
      params: { reason: 'demo' },
    });
  }, 60_000);
});
