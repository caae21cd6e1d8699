// The device session against a real head office (PGlite, 127.0.0.1, in-process): what an
// officer would notice — the demo needs no sign-in and says so; a new laptop enrols, signs
// in offline, sees its work pending and then synced; five wrong passwords lock for 15
// minutes; ten idle minutes lock the screen; a revoked laptop forgets everything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompleteApiHandlers } from '../../shared/api/contract';
import { ensureDemoLedger, loadOrCreateDevKey } from '../../electron/ledger';
import { createSessionHandlers, type LedgerSession } from '../../electron/ledger/session/session';
import { LOCKOUT_MS } from '../../electron/ledger/sync/sign-in';
import { issueEnrolmentCode, revokeDevice } from '../../server/model/devices';
import { testBackends } from '../server/helpers/backends';
import { createWorld, type World } from '../server/helpers/world';
import { call } from './helpers';

const backend = testBackends()[0]!;
let world: World;
const dirs: string[] = [];
const sessions: LedgerSession[] = [];

beforeAll(async () => {
  world = await createWorld(await backend.open());
}, 60_000);

afterAll(async () => {
  for (const s of sessions) s.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  await world.close();
  await world.db.close();
});

/** A hand-driven wall clock (lockout, auto-lock, sync times). */
function manualClock(start = Date.now()) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function newSession(firstRun: 'demo' | 'wizard', clock = manualClock()) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-session-'));
  dirs.push(dataDir);
  const session = createSessionHandlers({
    ledgerFile: path.join(dataDir, 'ledger.db'),
    key: () => loadOrCreateDevKey(dataDir).key,
    ensureDemo: () => {
      const demo = ensureDemoLedger({ dataDir, cases: 30, officers: 2, today: '2026-11-27' });
      return { file: demo.file, key: demo.key };
    },
    wipeLayout: { dataDir },
    firstRun,
    keyStorage: 'test',
    now: clock.now,
    autoSync: false,
    deviceName: 'test laptop',
  });
  sessions.push(session);
  return { session, dataDir, clock };
}

async function enrolledSession(firstRun: 'demo' | 'wizard' = 'wizard') {
  const s = newSession(firstRun);
  const code = await world.db.transaction((tx) =>
    issueEnrolmentCode(tx, { branchId: world.branches.a.id, issuedBy: 'test' }),
  );
  const state = await call(s.session, 'device.enrol', {
    serverUrl: world.baseUrl,
    code: code.code,
    deviceName: 'officer laptop',
  });
  return { ...s, state };
}

const officer = () => world.users.officerA1;

describe('demo ledger', () => {
  it('works without sign-in, says it is a demo and that it has no server', async () => {
    const { session } = newSession('demo');
    const state = await call(session, 'session.state');
    expect(state).toMatchObject({ mode: 'demo', demo: true, locked: false });
    expect(state.signedIn).not.toBeNull();
    const status = await call(session, 'sync.status');
    expect(status).toMatchObject({ mode: 'demo', online: null, pendingCount: 0, refused: [] });
    await expect(call(session, 'sync.now')).rejects.toMatchObject({
      code: 'conflict',
      params: { reason: 'demo_has_no_server' },
    });
    const page = await call(session, 'worklist.list', { limit: 5 });
    expect(page.rows.length).toBe(5);
    expect((await call(session, 'app.info')).demo).toBe(true);
  }, 60_000);

  it('the demo switches between the officer and the manager, and only the manager sees the dashboard', async () => {
    const { session } = newSession('demo');
    const asOfficer = await call(session, 'session.state');
    expect(asOfficer.signedIn?.role).toBe('officer');
    await expect(call(session, 'manager.dashboard', {})).rejects.toMatchObject({
      code: 'forbidden',
    });
    const asManager = await call(session, 'session.demoAs', { role: 'manager' });
    expect(asManager).toMatchObject({ mode: 'demo', demo: true });
    expect(asManager.signedIn?.role).toBe('manager');
    expect((await call(session, 'app.info')).currentUser.role).toBe('manager');
    expect((await call(session, 'manager.dashboard', {})).officers.length).toBe(2);
    const back = await call(session, 'session.demoAs', { role: 'officer' });
    expect(back.signedIn?.id).toBe(asOfficer.signedIn?.id);
  }, 60_000);

  it('the wizard offers the demo and opens it on request', async () => {
    const { session } = newSession('wizard');
    expect((await call(session, 'session.state')).mode).toBe('not_enrolled');
    await expect(call(session, 'worklist.list', {})).rejects.toMatchObject({
      code: 'forbidden',
      params: { reason: 'not_enrolled' },
    });
    expect((await call(session, 'device.setup')).provisioning).toBeNull();
    expect(await call(session, 'device.useDemo')).toMatchObject({ mode: 'demo', demo: true });
    expect((await call(session, 'worklist.list', { limit: 1 })).rows.length).toBe(1);
  }, 60_000);
});

describe('enrolled device', () => {
  it('enrols, signs in offline, shows work pending and then synced', async () => {
    const { session, state } = await enrolledSession();
    expect(state).toMatchObject({ mode: 'enrolled', signedIn: null, locked: false });
    expect(state.users.map((u) => u.login)).toContain(officer().username);
    // Enrolled but nobody signed in: the work is out of reach.
    await expect(call(session, 'worklist.list', {})).rejects.toMatchObject({
      params: { reason: 'signed_out' },
    });
    const signed = await call(session, 'session.signIn', {
      login: officer().username,
      password: officer().password,
    });
    expect(signed).toMatchObject({ ok: true });
    expect(session.callContext().userId).toBe(officer().id);

    const first = await call(session, 'sync.now');
    expect(first).toMatchObject({ mode: 'enrolled', online: true, pendingCount: 0 });
    expect(first.lastSuccessAt).not.toBeNull();
    const page = await call(session, 'worklist.list', { limit: 50 });
    expect(page.rows.map((r) => r.caseId).sort()).toEqual([...world.cases.a1].sort());

    await call(session, 'note.record', { caseId: world.cases.a1[0], text: '邻居说他去县城了' });
    expect((await call(session, 'sync.status')).pendingCount).toBe(1);
    const after = await call(session, 'sync.now');
    expect(after).toMatchObject({ pendingCount: 0, refused: [], lastError: null });
    const onServer = await world.db.query<{ n: number }>(
      `select count(*)::int as n from facts where case_id = $1 and kind = 'note'`,
      [world.cases.a1[0]!],
    );
    expect(onServer[0]?.n).toBe(1);
  }, 60_000);

  it('refuses the demo role switch on an enrolled device', async () => {
    const { session } = await enrolledSession();
    await expect(call(session, 'session.demoAs', { role: 'manager' })).rejects.toMatchObject({
      code: 'forbidden',
      params: { reason: 'not_demo' },
    });
  }, 60_000);

  it('locks a login out after 5 wrong passwords for 15 minutes', async () => {
    const { session, clock } = await enrolledSession();
    const login = officer().username;
    for (let i = 1; i <= 4; i++) {
      expect(await call(session, 'session.signIn', { login, password: 'nope' })).toEqual({
        ok: false,
        reason: 'wrong_password',
        failuresLeft: 5 - i,
      });
    }
    const fifth = await call(session, 'session.signIn', { login, password: 'nope' });
    expect(fifth).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil: new Date(clock.now() + LOCKOUT_MS).toISOString(),
    });
    clock.advance(LOCKOUT_MS - 1000);
    expect(
      await call(session, 'session.signIn', { login, password: officer().password }),
    ).toMatchObject({ ok: false, reason: 'locked' });
    clock.advance(1000);
    expect(
      await call(session, 'session.signIn', { login, password: officer().password }),
    ).toMatchObject({ ok: true, state: { signedIn: { id: officer().id }, locked: false } });
  }, 60_000);

  it('locks the screen after 10 idle minutes; polling the status is not activity', async () => {
    const { session, clock } = await enrolledSession();
    await call(session, 'session.signIn', {
      login: officer().username,
      password: officer().password,
    });
    clock.advance(9 * 60_000);
    await call(session, 'worklist.facets');
    clock.advance(9 * 60_000);
    await call(session, 'session.touch');
    clock.advance(9 * 60_000);
    await call(session, 'sync.status');
    await call(session, 'session.state');
    expect((await call(session, 'session.state')).locked).toBe(false);
    clock.advance(60_000);
    expect(await call(session, 'session.state')).toMatchObject({
      locked: true,
      signedIn: { id: officer().id },
    });
    await expect(call(session, 'worklist.facets')).rejects.toMatchObject({
      params: { reason: 'locked' },
    });
    // Switch user from the lock screen: the manager signs in on the same laptop.
    expect(await call(session, 'session.switchUser')).toMatchObject({ signedIn: null });
    await call(session, 'session.signIn', {
      login: world.users.managerA.username,
      password: world.users.managerA.password,
    });
    expect((await call(session, 'app.info')).currentUser.id).toBe(world.users.managerA.id);
  }, 60_000);

  it('a revoked device wipes its data folder on the next sync and asks to enrol', async () => {
    const { session, dataDir } = await enrolledSession();
    await call(session, 'session.signIn', {
      login: officer().username,
      password: officer().password,
    });
    await call(session, 'sync.now');
    const deviceId = session
      .caseLedger()!
      .db.prepare(`SELECT value FROM meta WHERE key = 'device_id'`)
      .pluck()
      .get() as string;
    expect(fs.existsSync(path.join(dataDir, 'ledger.db'))).toBe(true);
    await world.db.transaction((tx) => revokeDevice(tx, deviceId, 'test'));
    const status = await call(session, 'sync.now');
    expect(status.mode).toBe('not_enrolled');
    expect(fs.readdirSync(dataDir)).toEqual([]);
    expect(await call(session, 'session.state')).toMatchObject({
      mode: 'not_enrolled',
      signedIn: null,
    });
    await expect(call(session, 'worklist.list', {})).rejects.toMatchObject({
      params: { reason: 'not_enrolled' },
    });
  }, 60_000);
});

// Compile-time: the session serves every operation of the contract.
const _complete: (s: LedgerSession) => CompleteApiHandlers = (s) => s.handlers;
void _complete;
