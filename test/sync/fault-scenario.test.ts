// The fault harness (issue #5, item 8). Three officers' devices and a manager's make
// seeded random changes (contacts, promises, payments, reversals, next-action edits,
// reassignments) on overlapping cases, through a proxy that drops, cuts, delays and
// duplicates requests and answers, while — in the same seeded run — devices' clocks are
// a day ahead and a day behind, the server is restarted in the middle of the devices'
// syncs, and a device process is SIGKILLed in the middle of a push (the server applied it,
// the device never heard) and in the middle of applying a pull page. After the run the link
// is made good and every device syncs until quiet; then what a branch would check:
//   - every payment exists exactly once on the server and on every device entitled to it
//     (a refused one nowhere but in its device's refused list);
//   - balances, promise statuses and case fields are the same everywhere;
//   - nothing pending was lost (every mutation answered, no pulled item left waiting);
//   - every refused mutation is visible on its device: listed in its sync status until
//     someone dismisses it (the run dismisses some at random, whether or not their case is
//     on the device then), and every refused fact whose case is on the device — including
//     a case that was reassigned away and came back with the server's history — is on the
//     case file's timeline marked refused with its reason, and counts in no figure (no
//     side row, the contact tally as recomputed, the same balances as the manager's).
// Default: seed 20261128, 300 rounds: about 35 s on the 2-core development machine (load
// 4), 80–120 s when it is shared by many jobs (about 28 s of CPU either way).
// Replay: FIELDBOOK_FAULT_SEED=<seed> FIELDBOOK_FAULT_ROUNDS=<n> npx vitest run test/sync/fault-scenario.test.ts
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordCredential } from '../../shared/node/password';
import { refreshDerived } from '../../electron/ledger/derive';
import { caseFile } from '../../electron/ledger/queries/case-file';
import { dismissRefusal } from '../../electron/ledger/sync/refusals';
import { ledgerPolicyFor } from '../../electron/ledger/policy';
import { readBranch } from '../../electron/ledger/ledger';
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
  serveAgain,
  setNextActionDate,
  type TestDevice,
} from './helpers';
import { runChildUntilKill } from './kill-runner';

const SEED = Number(process.env.FIELDBOOK_FAULT_SEED ?? 20261128);
const ROUNDS = Number(process.env.FIELDBOOK_FAULT_ROUNDS ?? 300);
const DAY = 86_400_000;

const backend = testBackends()[0]!;
let world: World;
let proxy: FaultProxy;
let server: FastifyInstance;
const devices: TestDevice[] = [];

beforeAll(async () => {
  world = await createWorld(await backend.open());
  server = world.app;
}, 60_000);

afterAll(async () => {
  for (const d of devices) d.close();
  await proxy?.close();
  if (server !== world.app) await server.close();
  await world.close();
  await world.db.close();
});

/** Closes the server with its connections (requests in flight are cut) and starts it again. */
async function restartServer(): Promise<void> {
  const port = (server.server.address() as AddressInfo).port;
  const closing = server.close();
  server.server.closeAllConnections();
  await closing;
  server = await serveAgain(world, port, 100_000);
}

/** Refused facts whose case is not on the device now (left with its case). */
function refusedCasesAway(d: TestDevice): string[] {
  return d.db
    .prepare(
      `SELECT DISTINCT case_id FROM outbox WHERE status = 'refused' AND kind = 'fact'
       AND case_id NOT IN (SELECT id FROM cases)`,
    )
    .pluck()
    .all() as string[];
}

/** A receipt number another device holds and this one does not (its write would succeed here). */
function receiptUsedElsewhere(d: TestDevice, random: () => number): string | undefined {
  const others = devices.filter((x) => x !== d);
  const from = others[Math.floor(random() * others.length)]!;
  const theirs = from.db
    .prepare('SELECT receipt_no FROM payments ORDER BY receipt_no')
    .pluck()
    .all() as string[];
  const usable = theirs.filter(
    (r) => d.db.prepare('SELECT 1 FROM payments WHERE receipt_no = ?').pluck().get(r) === undefined,
  );
  return usable.length > 0 ? usable[Math.floor(random() * usable.length)] : undefined;
}

function outboxRefusedFacts(d: TestDevice, factKind: string): string[] {
  return d.db
    .prepare(
      `SELECT json_extract(payload, '$.factId') FROM outbox
       WHERE status = 'refused' AND kind = 'fact' AND json_extract(payload, '$.factKind') = ?`,
    )
    .pluck()
    .all(factKind) as string[];
}

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
    // The link has its own stream, so the faults it draws (in the order requests happen to
    // arrive) do not shift the scenario's own choices.
    proxy = await startFaultProxy({ target: world.baseUrl, random: seededRandom(SEED + 1) });
    const officers = [world.users.officerA1, world.users.officerA2, officerA3];
    // Clocks: officer 1 a day ahead, officer 3 a day behind, the others on time.
    const skews = [DAY, 0, -DAY];
    for (const [i, u] of officers.entries())
      devices.push(await makeDevice(world, `officer${i + 1}`, u, { clockOffsetMs: skews[i] }));
    const manager = await makeDevice(world, 'manager', world.users.managerA);
    devices.push(manager);
    for (const d of devices) setSyncState(d.db, SYNC_KEYS.serverUrl, proxy.url);

    // The disruptions of this run, at seeded rounds: for every 150 rounds (at least one
    // each) a server restart in the middle of the devices' syncs, a SIGKILL of a seeded
    // device mid-push and another's mid-pull; plus one more restart.
    const per150 = Math.max(1, Math.round(ROUNDS / 150));
    const pickRound = () => Math.floor(ROUNDS * (0.1 + 0.8 * random()));
    const pickDevice = () => devices[Math.floor(random() * devices.length)]!;
    const restartRounds = new Set(Array.from({ length: per150 + 1 }, pickRound));
    const killsAt = (n: number) => {
      const at = new Map<number, TestDevice>();
      while (at.size < n) at.set(pickRound(), pickDevice());
      return at;
    };
    const killPush = killsAt(per150);
    const killPull = killsAt(per150);
    const disruptions = { restarts: 0, killedMidPush: 0, killedMidPull: 0 };

    const recordedPayments = new Set<string>();
    let transientUnapplied = 0;
    const syncQuietly = async (d: TestDevice) => {
      try {
        transientUnapplied += (await d.engine.sync()).unapplied.length;
      } catch {
        // A bad link or a server restart: the next round (or the drain) picks up from here.
      }
    };
    const kill = async (d: TestDevice, mode: 'push' | 'pull') => {
      d.db.close();
      const out = await runChildUntilKill(
        {
          dir: d.dir,
          key: d.key,
          username: d.user.username,
          password: d.user.password,
          serverUrl: world.baseUrl,
        },
        mode,
      );
      expect(out).toContain('KILL-ME');
      await d.reopen();
    };

    let actions = 0;
    /** Per device, cases with a refused fact that were off the device at some round. */
    const wasAway = new Map<TestDevice, Set<string>>(devices.map((d) => [d, new Set()]));
    const dismissals = { caseHere: 0, caseAway: 0 };
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
        } else if (roll < (d === manager ? 0.25 : 0.06)) {
          // Any device may reverse; two reversing one payment is refused on the second.
          const paid = paymentIds(d.db, [caseId]);
          if (paid.length > 0) recordReversal(d, paid[Math.floor(random() * paid.length)]!);
        } else if (roll < 0.45) {
          // Now and then the officer copies a receipt number another device already used
          // (head office refuses it as a duplicate): a refused fact that must stay visible.
          const copied = random() < 0.15 ? receiptUsedElsewhere(d, random) : undefined;
          recordedPayments.add(
            recordPayment(d, caseId, 1_000 + Math.floor(random() * 50_000), 'cash', copied),
          );
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
      const pushVictim = killPush.get(round);
      if (pushVictim) {
        // Something to push, so the kill lands after the server applied it.
        const held = caseIds(pushVictim.db);
        if (pushVictim.engine.status().pendingCount === 0 && held.length > 0)
          recordContact(pushVictim, held[0]!, `before the kill in round ${round}`);
        if (pushVictim.engine.status().pendingCount > 0) {
          await kill(pushVictim, 'push');
          disruptions.killedMidPush++;
        }
      }
      const pullVictim = killPull.get(round);
      if (pullVictim) {
        await kill(pullVictim, 'pull');
        disruptions.killedMidPull++;
      }
      // Devices sync concurrently, in a seeded subset, through the faulty link.
      const syncing = Promise.all(devices.filter(() => random() < 0.6).map(syncQuietly));
      if (restartRounds.has(round)) {
        await new Promise((r) => setTimeout(r, random() * 30));
        await restartServer();
        disruptions.restarts++;
      }
      await syncing;
      for (const d of devices) {
        for (const id of refusedCasesAway(d)) wasAway.get(d)!.add(id);
        // Someone deals with a refusal now and then, its case on the device or not.
        const open = d.engine.status().refused;
        if (open.length === 0 || random() >= 0.04) continue;
        const r = open[Math.floor(random() * open.length)]!;
        const here = d.db.prepare('SELECT 1 FROM cases WHERE id = ?').pluck().get(r.caseId) === 1;
        expect(dismissRefusal(d.db, r.mutationId, d.user.id, new Date().toISOString())).toEqual({
          dismissed: true,
        });
        dismissals[here ? 'caseHere' : 'caseAway']++;
      }
    }

    proxy.enabled = false;
    for (let pass = 0; pass < 4; pass++) for (const d of devices) await d.engine.sync();
    console.log(
      `fault scenario: ${actions} actions, disruptions ${JSON.stringify(disruptions)}, faults ${JSON.stringify(proxy.counts)}, ${transientUnapplied} pulled items waited for a later page`,
    );
    expect(proxy.counts.none).toBeGreaterThan(0);
    expect(disruptions.restarts).toBe(restartRounds.size);
    expect(disruptions.killedMidPull).toBe(killPull.size);
    expect(disruptions.killedMidPush).toBeGreaterThan(0);

    // Nothing pending lost: every mutation answered, every pulled item applied, and every
    // refusal listed on its device (as many as the server gave).
    const deviceIds = devices.map(
      (d) => d.db.prepare("SELECT value FROM meta WHERE key = 'device_id'").pluck().get() as string,
    );
    const refusedOnServer = await world.db.query<{ n: string }>(
      `select count(*)::text as n from mutation_results where status = 'refused' and device_id = any($1)`,
      [deviceIds],
    );
    let refusedOnDevices = 0;
    for (const d of devices) {
      const s = d.engine.status();
      expect(s.pendingCount, d.name).toBe(0);
      expect(d.db.prepare('SELECT count(*) FROM sync_pending_items').pluck().get(), d.name).toBe(0);
      const outboxRefused = d.db
        .prepare(
          "SELECT count(*) AS n, count(handled_at) AS handled FROM outbox WHERE status = 'refused'",
        )
        .get() as { n: number; handled: number };
      refusedOnDevices += outboxRefused.n;
      // Listed until someone dismissed it.
      expect(s.refused.length, d.name).toBe(outboxRefused.n - outboxRefused.handled);
    }
    expect(refusedOnDevices).toBe(Number(refusedOnServer[0]?.n));

    // Every payment recorded on a device exists exactly once on the server, unless refused.
    const refusedPayments = new Set(devices.flatMap((d) => outboxRefusedFacts(d, 'payment')));
    const serverPayments = await world.db.query<{ id: string; case_id: string }>(
      `select id, case_id from facts where kind = 'payment'`,
    );
    const serverIds = serverPayments.map((p) => p.id);
    expect(new Set(serverIds).size).toBe(serverIds.length);
    for (const p of recordedPayments) {
      if (refusedPayments.has(p)) expect(serverIds).not.toContain(p);
      else expect(serverIds).toContain(p);
    }

    // Every device holds exactly the server's cases and payments it may see, and the
    // server's value of every case field.
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
          .get(c.id) as { officer_id: string; next_action_date: string | null };
        expect(row.officer_id).toBe(c.officer_id ?? 'unassigned');
        expect(row.next_action_date?.slice(0, 10) ?? null).toBe(
          c.next_action_date?.slice(0, 10) ?? null,
        );
      }
    }

    // Balances and promise statuses agree between each officer and the manager, as of one
    // business date (the devices' own "today" differs by their skew).
    const branch = readBranch(manager.db)!;
    const asOf = '2026-12-31';
    const policy = ledgerPolicyFor(branch.policyPackId);
    for (const d of devices) refreshDerived(d.db, asOf, policy);
    for (const d of devices.filter((x) => x !== manager)) {
      for (const c of caseIds(d.db))
        expect(caseView(d.db, c), `${d.name} ${c}`).toEqual(caseView(manager.db, c));
    }

    // Every refused fact whose case is on its device is on the case file's timeline, marked
    // refused with its reason — whether the case never moved or left and came back — and
    // counts nowhere: no side row, and the contact tally is what the counted contacts make.
    let onTimeline = 0;
    let cameBack = 0;
    for (const d of devices) {
      const refusedFacts = d.db
        .prepare(
          `SELECT json_extract(payload, '$.factId') AS id, json_extract(payload, '$.factKind') AS kind,
             case_id, refusal_code, handled_at FROM outbox WHERE status = 'refused' AND kind = 'fact'`,
        )
        .all() as {
        id: string;
        kind: string;
        case_id: string;
        refusal_code: string;
        handled_at: string | null;
      }[];
      const files = new Map<string, ReturnType<typeof caseFile>>();
      for (const r of refusedFacts) {
        const caseHere =
          d.db.prepare('SELECT 1 FROM cases WHERE id = ?').pluck().get(r.case_id) === 1;
        const label = `${d.name} refused ${r.kind} ${r.id} on ${r.case_id}`;
        if (!caseHere) {
          // Away: its row waits for the case to come back.
          expect(
            d.db.prepare('SELECT 1 FROM refused_facts_away WHERE fact_id = ?').pluck().get(r.id),
            label,
          ).toBe(1);
          continue;
        }
        let file = files.get(r.case_id);
        if (!file) {
          file = caseFile(d.db, r.case_id, asOf, policy);
          files.set(r.case_id, file);
        }
        const entry = file.timeline.find((e) => e.factId === r.id);
        expect(entry?.refusal, label).toEqual({
          code: r.refusal_code,
          message: expect.any(String),
          dismissed: r.handled_at !== null,
        });
        onTimeline++;
        if (wasAway.get(d)!.has(r.case_id)) cameBack++;
        if (r.kind === 'payment')
          expect(file.payments.find((p) => p.factId === r.id)?.refused, label).toBe(true);
        for (const table of ['payments', 'payment_reversals', 'promises', 'contacts'])
          expect(
            d.db.prepare(`SELECT count(*) FROM ${table} WHERE fact_id = ?`).pluck().get(r.id),
            `${label} in ${table}`,
          ).toBe(0);
      }
      expect(
        d.db
          .prepare(
            'SELECT count(*) FROM refused_facts_away WHERE case_id IN (SELECT id FROM cases)',
          )
          .pluck()
          .get(),
        d.name,
      ).toBe(0);
      const tally = d.db
        .prepare(
          `SELECT business_date, officer_id, party, outcome, contacts FROM dashboard_contact_tally
           WHERE contacts > 0 ORDER BY 1, 2, 3, 4`,
        )
        .all();
      const counted = d.db
        .prepare(
          `SELECT c.business_date, f.recorded_by AS officer_id, c.party, c.outcome, count(*) AS contacts
           FROM contacts c JOIN facts f ON f.id = c.fact_id GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        )
        .all();
      expect(tally, `${d.name} contact tally`).toEqual(counted);
    }
    console.log(
      `fault scenario: ${refusedOnDevices} refused mutations, ${recordedPayments.size} payments (${refusedPayments.size} refused); ${onTimeline} refused facts on their timelines, ${cameBack} of them on a case that left the device and came back; dismissed ${dismissals.caseHere} with the case on the device, ${dismissals.caseAway} with it away`,
    );
  }, 240_000);
});
