// The server restarted in the middle of a device's pull, and devices whose clocks are a
// day ahead or behind: sync resumes where it stopped, and per-field last-writer-wins
// still converges (the hybrid logical clock orders a change made after seeing another
// one after it, whatever the wall clocks say).
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDerived } from '../../electron/ledger/derive';
import { nodeHttpFetch } from '../../shared/node/node-http-fetch';
import { ledgerPolicyFor } from '../../electron/ledger/policy';
import { testBackends } from '../server/helpers/backends';
import { createWorld, type World } from '../server/helpers/world';
import {
  caseIds,
  caseView,
  makeDevice,
  paymentIds,
  recordPayment,
  serveAgain,
  setNextActionDate,
  type TestDevice,
} from './helpers';

const backend = testBackends()[0]!;
const DAY = 86_400_000;
let world: World;
let restarted: FastifyInstance | null = null;
const devices: TestDevice[] = [];

beforeAll(async () => {
  world = await createWorld(await backend.open());
}, 60_000);
afterAll(async () => {
  for (const d of devices) d.close();
  await restarted?.close();
  await world.close();
  await world.db.close();
});

describe('server restart and clock skew', () => {
  it('a pull cut by a server restart resumes after it and ends like an uninterrupted one', async () => {
    const port = (world.app.server.address() as AddressInfo).port;
    let pulls = 0;
    let restart: Promise<void> | null = null;
    const restartingFetch: typeof fetch = async (input, init) => {
      if (String(input).includes('/v1/sync/pull') && ++pulls === 2) {
        // The server goes down between two pages of this device's first download.
        restart = (async () => {
          await world.app.close();
        })();
        await restart;
      }
      return nodeHttpFetch(input, init);
    };
    const manager = await makeDevice(world, 'm-restart', world.users.managerA, {
      fetch: restartingFetch,
      pullLimit: 2,
    });
    devices.push(manager);
    await expect(manager.engine.sync()).rejects.toThrow();
    const partial = caseIds(manager.db).length;
    expect(partial).toBeGreaterThan(0);
    restarted = await serveAgain(world, port);
    await manager.engine.sync();
    const steady = await makeDevice(world, 'm-steady', world.users.managerA);
    devices.push(steady);
    await steady.engine.sync();
    expect(caseIds(manager.db)).toEqual(caseIds(steady.db));
    for (const c of caseIds(steady.db))
      expect(caseView(manager.db, c)).toEqual(caseView(steady.db, c));
  }, 60_000);

  it('devices a day ahead and a day behind converge, and payments arrive once', async () => {
    const ahead = await makeDevice(world, 'o-ahead', world.users.officerA1, { clockOffsetMs: DAY });
    const behind = await makeDevice(world, 'm-behind', world.users.managerA, {
      clockOffsetMs: -DAY,
    });
    devices.push(ahead, behind);
    await ahead.engine.sync();
    await behind.engine.sync();
    const caseId = world.cases.a1[2]!;
    const p1 = recordPayment(ahead, caseId, 4_400);
    const p2 = recordPayment(behind, caseId, 5_500);
    setNextActionDate(ahead, caseId, '2026-12-20');
    await ahead.engine.sync();
    // The manager, a day behind, sees the officer's edit and then changes the date: their
    // change comes later in causal order, so it must win everywhere despite the older wall clock.
    await behind.engine.sync();
    setNextActionDate(behind, caseId, '2026-12-24');
    await behind.engine.sync();
    await ahead.engine.sync();
    await behind.engine.sync();
    const row = (d: TestDevice) =>
      d.db.prepare('SELECT next_action_date FROM cases WHERE id = ?').pluck().get(caseId);
    expect(row(ahead)).toBe('2026-12-24');
    expect(row(behind)).toBe('2026-12-24');
    const server = await world.db.query<{ d: string }>(
      'select next_action_date::text as d from cases where id = $1',
      [caseId],
    );
    expect(server[0]?.d).toBe('2026-12-24');
    expect(paymentIds(ahead.db, [caseId])).toEqual(expect.arrayContaining([p1, p2]));
    expect(paymentIds(ahead.db, [caseId])).toEqual(paymentIds(behind.db, [caseId]));
    // Derived state (DPD, arrears) is for each device's own business date, which the skew
    // moves by two days; computed for the same date, balances agree.
    for (const d of [ahead, behind])
      refreshDerived(d.db, '2026-12-31', ledgerPolicyFor('cn-default'));
    expect(caseView(ahead.db, caseId)).toEqual(caseView(behind.db, caseId));
  }, 60_000);
});
