// Two devices and a server in one process (PGlite, 127.0.0.1): what an officer and a
// manager would notice about sync — work arriving once, in one request each way;
// retries doing nothing twice; refusals visible and not blocking; reassignment; resync;
// an interrupted pull resuming to the same state.
import { describe, expect, it } from 'vitest';
import { nodeHttpFetch } from '../../shared/node/node-http-fetch';
import { SyncHttpError } from '../../shared/node/sync-http';
import { stmt } from '../../electron/ledger/statements';
import { getCursor } from '../../electron/ledger/sync/sync-store';
import type { World } from '../server/helpers/world';
import {
  caseIds,
  caseView,
  paymentIds,
  reassign,
  recordContact,
  recordPayment,
  recordPromise,
  setNextActionDate,
  useSyncWorld,
} from './helpers';

let world: World;
const { device } = useSyncWorld((w) => (world = w));

describe('sync client', () => {
  it('first sync gives an officer their cases and a manager the branch', async () => {
    const officer = await device('o1', world.users.officerA1);
    const manager = await device('m', world.users.managerA);
    await officer.engine.sync();
    await manager.engine.sync();
    expect(caseIds(officer.db)).toEqual([...world.cases.a1].sort());
    expect(caseIds(manager.db)).toEqual(
      [...world.cases.a1, ...world.cases.a2, ...world.cases.aUnassigned].sort(),
    );
    const status = officer.engine.status();
    expect(status).toMatchObject({
      enrolled: true,
      online: true,
      pendingCount: 0,
      firstDownload: null,
    });
    expect(status.lastSuccessAt).not.toBeNull();
    // Derived state is computed for pulled cases (loans with schedules arrived).
    const loans = officer.db.prepare('SELECT count(*) FROM instalments').pluck().get() as number;
    expect(loans).toBeGreaterThan(0);
    // The first download builds the search text once per borrower: the same text the
    // triggers give when every case is written again (and a borrower's name finds it).
    const searchText = () =>
      officer.db.prepare('SELECT id, search_text FROM cases ORDER BY id').all();
    const built = searchText();
    expect(built.every((r) => (r as { search_text: string }).search_text.length > 0)).toBe(true);
    officer.db.prepare('UPDATE cases SET borrower_id = borrower_id').run();
    expect(searchText()).toEqual(built);
    expect(officer.db.prepare('SELECT count(*) FROM search_text_deferred').pluck().get()).toBe(0);
  }, 60_000);

  it("an officer's day goes up in one push and reaches the manager in one pull", async () => {
    const officer = await device('o1-day', world.users.officerA1);
    const manager = await device('m-day', world.users.managerA);
    await officer.engine.sync();
    await manager.engine.sync();
    const cases = world.cases.a1;
    const payments: string[] = [];
    for (let i = 0; i < 40; i++) {
      const caseId = cases[i % cases.length]!;
      if (i % 4 === 0) payments.push(recordPayment(officer, caseId, 10_000 + i));
      else if (i % 4 === 1) recordPromise(officer, caseId, 20_000, '2026-12-05');
      else recordContact(officer, caseId, `visit ${i}`);
    }
    for (let i = 0; i < 10; i++)
      setNextActionDate(officer, cases[i % cases.length]!, `2026-12-${10 + i}`);
    expect(officer.engine.status().pendingCount).toBe(50);

    const pushesBefore = officer.requests.push;
    const up = await officer.engine.sync();
    expect(officer.requests.push - pushesBefore).toBe(1);
    expect(up).toMatchObject({ accepted: 50, refused: 0, pushRequests: 1 });
    expect(officer.engine.status().pendingCount).toBe(0);

    const pullsBefore = manager.requests.pull;
    await manager.engine.sync();
    expect(manager.requests.pull - pullsBefore).toBe(1);
    for (const p of payments) expect(paymentIds(manager.db)).toContain(p);
    for (const c of cases) expect(caseView(manager.db, c)).toEqual(caseView(officer.db, c));
  }, 60_000);

  it('retrying a push whose answer was lost records nothing twice', async () => {
    let dropNextPushAnswer = true;
    const lossy: typeof fetch = async (input, init) => {
      const res = await nodeHttpFetch(input, init);
      if (String(input).includes('/v1/sync/push') && dropNextPushAnswer) {
        dropNextPushAnswer = false;
        throw new TypeError('fetch failed: connection reset after the server answered');
      }
      return res;
    };
    const officer = await device('o1-lossy', world.users.officerA1, { fetch: lossy });
    await officer.engine.sync();
    const caseId = world.cases.a1[0]!;
    const paymentId = recordPayment(officer, caseId, 12_345);
    await expect(officer.engine.sync()).rejects.toThrow(/connection reset/);
    expect(officer.engine.status()).toMatchObject({ pendingCount: 1, online: false });
    await officer.engine.sync();
    expect(officer.engine.status().pendingCount).toBe(0);
    const onServer = await world.db.query<{ n: string }>(
      'select count(*)::text as n from facts where id = $1',
      [paymentId],
    );
    expect(onServer[0]?.n).toBe('1');
  }, 60_000);

  it('a refused mutation stays visible with its reason and does not block the rest', async () => {
    const officer = await device('o1-refused', world.users.officerA1);
    await officer.engine.sync();
    const mine = world.cases.a1[0]!;
    const before = recordContact(officer, mine, 'before');
    // A payment on a loan the server does not know is refused on its own.
    const ledger = officer.ledger();
    recordPayment(officer, mine, 5_000);
    const last = ledger.db.prepare('SELECT max(mutation_id) FROM outbox').pluck().get() as number;
    const row = ledger.db.prepare('SELECT payload FROM outbox WHERE mutation_id = ?').get(last) as {
      payload: string;
    };
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    ledger.db
      .prepare('UPDATE outbox SET payload = ? WHERE mutation_id = ?')
      .run(JSON.stringify({ ...payload, loanId: '0190a000-0000-7000-8000-000000000000' }), last);
    const after = recordContact(officer, mine, 'after');
    const run = await officer.engine.sync();
    expect(run).toMatchObject({ accepted: 2, refused: 1 });
    const status = officer.engine.status();
    expect(status.pendingCount).toBe(0);
    expect(status.refused).toHaveLength(1);
    expect(status.refused[0]).toMatchObject({
      mutationId: last,
      code: 'unknown_loan',
      caseId: mine,
    });
    expect(status.refused[0]?.message.length).toBeGreaterThan(0);
    const ids = await world.db.query<{ id: string }>('select id from facts where id = any($1)', [
      [before, after],
    ]);
    expect(ids).toHaveLength(2);
    // Still visible after another sync: a refusal is never silently dropped.
    await officer.engine.sync();
    expect(officer.engine.status().refused).toHaveLength(1);
  }, 60_000);

  it('reassignment: the old device pushes its pending work, then the case leaves it; the new device gets its history', async () => {
    const oldOfficer = await device('o1-move', world.users.officerA1);
    const newOfficer = await device('o2-move', world.users.officerA2);
    const manager = await device('m-move', world.users.managerA);
    await Promise.all([oldOfficer.engine.sync(), newOfficer.engine.sync(), manager.engine.sync()]);
    const moving = world.cases.a1[1]!;
    const earlier = recordPayment(oldOfficer, moving, 7_000);
    await oldOfficer.engine.sync();
    // Recorded offline before the old officer hears of the move.
    const pending = recordPayment(oldOfficer, moving, 8_000);
    reassign(manager, moving, world.users.officerA2.id);
    await manager.engine.sync();

    await oldOfficer.engine.sync();
    expect(caseIds(oldOfficer.db)).not.toContain(moving);
    const flags = await world.db.query<{ flags: string[] }>(
      'select flags from facts where id = $1',
      [pending],
    );
    expect(flags[0]?.flags).toContain('former_officer');
    // Nothing of the case is left on the old device except its outbox rows.
    expect(
      oldOfficer.db.prepare('SELECT count(*) FROM facts WHERE case_id = ?').pluck().get(moving),
    ).toBe(0);
    expect(
      oldOfficer.db.prepare('SELECT count(*) FROM loans WHERE case_id = ?').pluck().get(moving),
    ).toBe(0);

    await newOfficer.engine.sync();
    expect(caseIds(newOfficer.db)).toContain(moving);
    expect(paymentIds(newOfficer.db, [moving])).toEqual(expect.arrayContaining([earlier, pending]));
    await manager.engine.sync();
    expect(caseView(newOfficer.db, moving)).toEqual(caseView(manager.db, moving));
    const officerId = stmt<string>(newOfficer.db, 'SELECT officer_id FROM cases WHERE id = ?')
      .pluck()
      .get(moving);
    expect(officerId).toBe(world.users.officerA2.id);
  }, 60_000);

  it('an unknown cursor triggers a full resync that keeps every pending mutation', async () => {
    const officer = await device('o2-resync', world.users.officerA2);
    await officer.engine.sync();
    const caseId = caseIds(officer.db)[0]!;
    const contact = recordContact(officer, caseId, 'pending through a resync');
    // A cursor this server never issued (e.g. the server was restored from a backup).
    officer.db
      .prepare('UPDATE sync_cursors SET cursor = ? WHERE user_id = ?')
      .run('bm90LWEtcmVhbC1jdXJzb3I', world.users.officerA2.id);
    // Push goes first and keeps its work; make the pull hit the bad cursor with work pending.
    officer.db.prepare("UPDATE outbox SET proof = NULL WHERE status = 'pending'").run();
    officer.keys.clear();
    await expect(officer.engine.sync()).rejects.toBeInstanceOf(SyncHttpError);
    officer.keys.set(world.users.officerA2.id, world.users.officerA2.authKey);
    const run = await officer.engine.sync();
    expect(run.resynced).toBe(true);
    expect(run.accepted).toBe(1);
    expect(officer.db.prepare('SELECT id FROM facts WHERE id = ?').pluck().get(contact)).toBe(
      contact,
    );
    expect(getCursor(officer.db, world.users.officerA2.id)).not.toBe('bm90LWEtcmVhbC1jdXJzb3I');
  }, 60_000);

  it('a resync takes off the device the cases the server no longer lists for it', async () => {
    const officer = await device('o2-prune', world.users.officerA2);
    const manager = await device('m-prune', world.users.managerA);
    await officer.engine.sync();
    await manager.engine.sync();
    const held = caseIds(officer.db);
    const leaving = held[held.length - 1]!;
    reassign(manager, leaving, world.users.officerA1.id);
    await manager.engine.sync();
    // The device misses the removal: its cursor is lost (say, the feed was compacted).
    officer.db
      .prepare('UPDATE sync_cursors SET cursor = ? WHERE user_id = ?')
      .run('bm90LWEtcmVhbC1jdXJzb3I', world.users.officerA2.id);
    const run = await officer.engine.sync();
    expect(run.resynced).toBe(true);
    expect(caseIds(officer.db)).not.toContain(leaving);
    expect(caseIds(officer.db)).toEqual(held.filter((c) => c !== leaving));
  }, 60_000);

  it('a pull interrupted while applying page 2 resumes to the same state as an uninterrupted one', async () => {
    let crash = true;
    const crashing = await device('m-crash', world.users.managerA, {
      pullLimit: 2,
      hooks: {
        beforePageCommit(pageIndex: number) {
          if (pageIndex === 1 && crash) {
            crash = false;
            throw new Error('power cut while applying page 2');
          }
        },
      },
    });
    const steady = await device('m-steady', world.users.managerA, { pullLimit: 2 });
    await expect(crashing.engine.sync()).rejects.toThrow(/power cut/);
    // Page 1 is on disk with its cursor; page 2 left nothing behind.
    const afterCrash = caseIds(crashing.db).length;
    expect(afterCrash).toBeGreaterThan(0);
    expect(getCursor(crashing.db, world.users.managerA.id)).not.toBeNull();
    expect(crashing.engine.status().firstDownload).not.toBeNull();
    await crashing.engine.sync();
    await steady.engine.sync();
    expect(caseIds(crashing.db)).toEqual(caseIds(steady.db));
    for (const c of caseIds(steady.db))
      expect(caseView(crashing.db, c)).toEqual(caseView(steady.db, c));
    expect(crashing.engine.status().firstDownload).toBeNull();
  }, 60_000);

  it('the wipe answer to a revoked device calls wipe()', async () => {
    const officer = await device('o1-revoked', world.users.officerA1);
    await officer.engine.sync();
    const { revokeDevice } = await import('../../server/model/devices');
    const deviceId = officer.db
      .prepare("SELECT value FROM meta WHERE key = 'device_id'")
      .pluck()
      .get() as string;
    await world.db.transaction((tx) => revokeDevice(tx, deviceId, 'test'));
    await expect(officer.engine.sync()).rejects.toThrow(/revoked/);
    expect(officer.wiped).toBe(true);
  }, 60_000);
});
