// Three officers' devices and a manager's make seeded random changes (contacts, promises,
// payments, reversals, next-action edits, reassignments) on overlapping cases through a
// proxy that drops, cuts, delays and duplicates requests. After the run the link is made
// good and every device syncs until quiet; then what a branch would check: every payment
// exactly once on the server and on every device entitled to it, the same case state
// everywhere, nothing pending lost, every refusal visible.
// Replay: FIELDBOOK_FAULT_SEED=<seed> FIELDBOOK_FAULT_ROUNDS=<n> npx vitest run test/sync/fault-scenario.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordCredential } from '../../shared/node/password';
import { setSyncState, SYNC_KEYS } from '../../electron/ledger/sync/sync-store';
import { addUser } from '../../server/model/users';
import { demoPortfolio, seededRandom } from '../../server/portfolio/demo-portfolio';
import { addPortfolioCases } from '../../server/portfolio/portfolio-writer';
import { testBackends } from '../server/helpers/backends';
import { createWorld, TEST_SCRYPT, type TestUser, type World } from '../server/helpers/world';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import {
  caseIds,
  caseView,
  makeDevice,
  paymentIds,
  reassign,
  recordContact,
  recordPayment,
  recordPromise,
  recordReversal,
  setNextActionDate,
  type TestDevice,
} from './helpers';

const SEED = Number(process.env.FIELDBOOK_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env.FIELDBOOK_FAULT_ROUNDS ?? 30);

const backend = testBackends()[0]!;
let world: World;
let proxy: FaultProxy;
const devices: TestDevice[] = [];

beforeAll(async () => {
  world = await createWorld(await backend.open());
}, 60_000);

afterAll(async () => {
  for (const d of devices) d.close();
  await proxy?.close();
  await world.close();
  await world.db.close();
});

describe('fault harness', () => {
  it(`seed ${SEED}, ${ROUNDS} rounds: nothing lost, nothing doubled, same state everywhere`, async () => {
    console.log(`fault scenario: FIELDBOOK_FAULT_SEED=${SEED} FIELDBOOK_FAULT_ROUNDS=${ROUNDS}`);
    const random = seededRandom(SEED);
    const password = 'pw-officerA3-secret';
    const credential = await createPasswordCredential(password, TEST_SCRYPT);
    const a3row = await world.db.transaction((tx) =>
      addUser(tx, {
        branchId: world.branches.a.id,
        username: 'officera3',
        name: '周杰',
        role: 'officer',
        credential,
      }),
    );
    const officerA3: TestUser = {
      id: a3row.id,
      username: 'officera3',
      role: 'officer',
      branchId: world.branches.a.id,
      password,
      authKey: credential.authKey,
    };
    await world.db.transaction((tx) =>
      addPortfolioCases(
        tx,
        world.branches.a.id,
        demoPortfolio({ count: 3, officerIds: [officerA3.id], seed: 15, loanNoPrefix: 'A3' }),
        { assignedBy: 'test' },
      ),
    );
    proxy = await startFaultProxy({ target: world.baseUrl, random });
    const officers = [world.users.officerA1, world.users.officerA2, officerA3];
    for (const [i, u] of officers.entries())
      devices.push(await makeDevice(world, `officer${i + 1}`, u));
    const manager = await makeDevice(world, 'manager', world.users.managerA);
    devices.push(manager);
    for (const d of devices) setSyncState(d.db, SYNC_KEYS.serverUrl, proxy.url);

    const recordedPayments = new Set<string>();
    const unapplied: unknown[] = [];
    const syncQuietly = async (d: TestDevice) => {
      try {
        unapplied.push(...(await d.engine.sync()).unapplied);
      } catch {
        // A bad link: the next round (or the drain) picks up where this stopped.
      }
    };
    let actions = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const d of devices) {
        const visible = caseIds(d.db).filter(
          (id) => d.db.prepare('SELECT status FROM cases WHERE id = ?').pluck().get(id) === 'open',
        );
        if (visible.length === 0) continue;
        const caseId = visible[Math.floor(random() * visible.length)]!;
        const roll = random();
        if (d === manager && roll < 0.12) {
          reassign(d, caseId, officers[Math.floor(random() * officers.length)]!.id);
        } else if (d === manager && roll < 0.25) {
          // Only the manager reverses: two devices reversing one payment would be a refusal
          // whose local effect the scenario would then have to discount.
          const paid = paymentIds(d.db, [caseId]);
          if (paid.length > 0) recordReversal(d, paid[Math.floor(random() * paid.length)]!);
        } else if (roll < 0.45) {
          recordedPayments.add(recordPayment(d, caseId, 1_000 + Math.floor(random() * 50_000)));
        } else if (roll < 0.65) {
          recordPromise(
            d,
            caseId,
            10_000,
            `2026-12-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
          );
        } else if (roll < 0.85) {
          recordContact(d, caseId, `round ${round}`);
        } else {
          setNextActionDate(
            d,
            caseId,
            `2026-12-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
          );
        }
        actions++;
      }
      // Devices sync concurrently, in a seeded subset, through the faulty link.
      await Promise.all(devices.filter(() => random() < 0.6).map(syncQuietly));
    }

    proxy.enabled = false;
    for (let pass = 0; pass < 4; pass++)
      for (const d of devices) unapplied.push(...(await d.engine.sync()).unapplied);
    console.log(`fault scenario: ${actions} actions, faults ${JSON.stringify(proxy.counts)}`);
    expect(proxy.counts.none).toBeGreaterThan(0);
    expect(unapplied).toEqual([]);

    // Nothing pending lost: every mutation was answered; refusals are all listed.
    const refusedOnServer = await world.db.query<{ n: string }>(
      `select count(*)::text as n from mutation_results where status = 'refused' and device_id = any($1)`,
      [
        devices.map(
          (d) =>
            d.db.prepare("SELECT value FROM meta WHERE key = 'device_id'").pluck().get() as string,
        ),
      ],
    );
    const moved = await world.db
      .query<{ n: string }>(
        `select count(*)::text as n from facts where kind = 'reassignment' and branch_id = $1`,
        [world.branches.a.id],
      )
      .catch(() => [{ n: '?' }]);
    let refusedOnDevices = 0;
    for (const d of devices) {
      const s = d.engine.status();
      expect(s.pendingCount, d.name).toBe(0);
      refusedOnDevices += s.refused.length;
      const outboxRefused = d.db
        .prepare("SELECT count(*) FROM outbox WHERE status = 'refused'")
        .pluck()
        .get();
      expect(s.refused.length).toBe(outboxRefused);
    }
    console.log(
      `fault scenario: ${refusedOnDevices} refused mutations, ${moved[0]?.n} reassignments, ${recordedPayments.size} payments`,
    );
    expect(refusedOnDevices).toBe(Number(refusedOnServer[0]?.n));

    // Every payment recorded on a device exists exactly once on the server (none was refused).
    const serverPayments = await world.db.query<{ id: string; case_id: string }>(
      `select id, case_id from facts where kind = 'payment'`,
    );
    const serverIds = serverPayments.map((p) => p.id);
    expect(new Set(serverIds).size).toBe(serverIds.length);
    for (const p of recordedPayments) expect(serverIds).toContain(p);

    // Every device holds exactly the server's payments of the cases it may see.
    const assignments = await world.db.query<{
      id: string;
      officer_id: string | null;
      next_action_date: string | null;
    }>(`select id, officer_id, next_action_date::text from cases where branch_id = $1`, [
      world.branches.a.id,
    ]);
    for (const d of devices) {
      const entitled = assignments
        .filter((c) => d === manager || c.officer_id === d.user.id)
        .map((c) => c.id)
        .sort();
      expect(caseIds(d.db), d.name).toEqual(entitled);
      const expected = serverPayments
        .filter((p) => entitled.includes(p.case_id))
        .map((p) => p.id)
        .sort();
      expect(paymentIds(d.db), d.name).toEqual(expected);
      for (const c of assignments.filter((a) => entitled.includes(a.id))) {
        const row = d.db
          .prepare('SELECT officer_id, next_action_date FROM cases WHERE id = ?')
          .get(c.id) as {
          officer_id: string;
          next_action_date: string | null;
        };
        expect(row.officer_id).toBe(c.officer_id ?? 'unassigned');
        expect(row.next_action_date?.slice(0, 10) ?? null).toBe(
          c.next_action_date?.slice(0, 10) ?? null,
        );
      }
    }
    // Balances, promise statuses and case fields agree between each officer and the manager.
    for (const d of devices.filter((x) => x !== manager)) {
      for (const c of caseIds(d.db))
        expect(caseView(d.db, c), `${d.name} ${c}`).toEqual(caseView(manager.db, c));
    }
  }, 300_000);
});
