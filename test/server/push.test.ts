// POST /v1/sync/push: every mutation applied exactly once, refusals isolated and
// repeatable, the server's business rules on payments, reversals and reassignments.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationResult } from '../../shared/sync/protocol';
import { SyncHttpError } from '../../shared/node/sync-http';
import { createPasswordCredential } from '../../shared/node/password';
import { signMutation } from '../../shared/node/sync-http';
import type { Database } from '../../server/db/database';
import { assignCase } from '../../server/model/cases';
import { appendChanges } from '../../server/sync/change-feed';
import { testBackends } from './helpers/backends';
import {
  TEST_SCRYPT,
  contactPayload,
  createWorld,
  instant,
  loanOf,
  nextHlc,
  paymentPayload,
  type World,
} from './helpers/world';

function refusal(r: MutationResult | undefined): string | null {
  return r && r.status === 'refused' ? r.reason : null;
}

describe.each(testBackends())('push on $name', (backend) => {
  let db: Database;
  let w: World;
  beforeAll(async () => {
    db = await backend.open();
    w = await createWorld(db);
  });
  afterAll(async () => {
    await w?.close();
    await db?.close();
  });

  async function factCount(where = 'true', params: string[] = []): Promise<number> {
    const rows = await db.query<{ n: number }>(
      `select count(*)::int as n from facts where ${where}`,
      params,
    );
    return rows[0]?.n ?? 0;
  }

  it("accepts an officer's day in one request, and a retry of it changes nothing", async () => {
    const { officerA1 } = w.users;
    const [c1, c2] = w.cases.a1 as [string, string];
    const loan = await loanOf(db, c1);
    const batch = [
      w.mutation(w.devices.a1, officerA1, c1, 'fact', contactPayload()),
      w.mutation(w.devices.a1, officerA1, c1, 'fact', {
        factKind: 'promise',
        factId: uuidv7(),
        occurredAt: instant(),
        madeOn: '2026-11-28',
        dueDate: '2026-12-05',
        amountFen: 80_000,
        loanId: loan,
      }),
      w.mutation(w.devices.a1, officerA1, c1, 'fact', paymentPayload(loan, 'GZ-R-0001')),
      w.mutation(w.devices.a1, officerA1, c2, 'case_update', {
        nextActionDate: '2026-12-01',
        flags: { hardship: true },
      }),
    ];
    const first = await w.client.push(w.devices.a1, officerA1, batch);
    expect(first.results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);
    expect(first.results.every((r) => !r.duplicate)).toBe(true);
    expect(first.lastMutationId).toBe(batch[3]?.mutationId);
    const facts = await factCount('device_id = $1', [w.devices.a1.deviceId]);
    expect(facts).toBe(3);

    const again = await w.client.push(w.devices.a1, officerA1, batch);
    expect(again.results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);
    expect(again.results.every((r) => r.duplicate)).toBe(true);
    expect(again.results.map((r) => (r.status === 'accepted' ? r.factId : null))).toEqual(
      first.results.map((r) => (r.status === 'accepted' ? r.factId : null)),
    );
    expect(await factCount('device_id = $1', [w.devices.a1.deviceId])).toBe(3);
    const payments = await factCount(`receipt_no = 'GZ-R-0001'`);
    expect(payments).toBe(1);
    const updated = await db.query<{ next_action_date: string; flags: { hardship: boolean } }>(
      'select next_action_date, flags from cases where id = $1',
      [c2],
    );
    expect(updated[0]).toMatchObject({ next_action_date: '2026-12-01', flags: { hardship: true } });
  });

  it('the same batch pushed twice at once is still applied once', async () => {
    const { officerA1 } = w.users;
    const c = w.cases.a1[2] as string;
    const loan = await loanOf(db, c);
    const batch = [
      w.mutation(w.devices.a1, officerA1, c, 'fact', paymentPayload(loan, 'GZ-R-0100')),
      w.mutation(w.devices.a1, officerA1, c, 'fact', contactPayload()),
    ];
    const [x, y] = await Promise.all([
      w.client.push(w.devices.a1, officerA1, batch),
      w.client.push(w.devices.a1, officerA1, batch),
    ]);
    expect([...x.results, ...y.results].every((r) => r.status === 'accepted')).toBe(true);
    expect(x.results.some((r) => r.duplicate) || y.results.some((r) => r.duplicate)).toBe(true);
    expect(await factCount(`receipt_no = 'GZ-R-0100'`)).toBe(1);
  });

  it('refuses bad mutations one by one without blocking the rest, and repeats the same answers on retry', async () => {
    const { officerA1 } = w.users;
    const mine = w.cases.a1[0] as string;
    const batch = [
      w.mutation(w.devices.a1, officerA1, mine, 'fact', contactPayload({ note: 'first good' })),
      w.mutation(w.devices.a1, officerA1, mine, 'fact', {
        factKind: 'payment',
        factId: uuidv7(),
        occurredAt: instant(),
        amountFen: -5,
      }),
      w.mutation(w.devices.a1, officerA1, 'no-such-case', 'fact', contactPayload()),
      w.mutation(w.devices.a1, officerA1, w.cases.a2[0] as string, 'fact', contactPayload()),
      w.mutation(w.devices.a1, officerA1, w.cases.b1[0] as string, 'fact', contactPayload()),
      w.mutation(w.devices.a1, officerA1, mine, 'teleport', {}),
      w.mutation(w.devices.a1, officerA1, mine, 'fact', contactPayload({ note: 'last good' })),
    ];
    const res = await w.client.push(w.devices.a1, officerA1, batch);
    expect(res.results.map((r) => r.status)).toEqual([
      'accepted',
      'refused',
      'refused',
      'refused',
      'refused',
      'refused',
      'accepted',
    ]);
    expect(res.results.map(refusal)).toEqual([
      null,
      'invalid_payload',
      'unknown_case',
      'forbidden',
      'forbidden',
      'unknown_kind',
      null,
    ]);
    const invalid = res.results[1];
    expect(invalid?.status === 'refused' && invalid.message).toMatch(/Invalid/);
    const retry = await w.client.push(w.devices.a1, officerA1, batch);
    expect(retry.results.map(refusal)).toEqual(res.results.map(refusal));
    expect(retry.results.every((r) => r.duplicate)).toBe(true);
  });

  it('keeps a payment on a closed loan and flags it', async () => {
    const c = w.cases.a1[1] as string;
    const loan = await loanOf(db, c);
    await db.query(`update loans set status = 'closed' where id = $1`, [loan]);
    const res = await w.client.push(w.devices.a1, w.users.officerA1, [
      w.mutation(w.devices.a1, w.users.officerA1, c, 'fact', paymentPayload(loan, 'GZ-R-0200')),
    ]);
    expect(res.results[0]).toMatchObject({ status: 'accepted', flags: ['loan_closed'] });
    const stored = await db.query<{ flags: string[] }>(
      `select flags from facts where receipt_no = 'GZ-R-0200'`,
    );
    expect(stored[0]?.flags).toEqual(['loan_closed']);
    await db.query(`update loans set status = 'active' where id = $1`, [loan]);
  });

  it('uses a receipt number once per branch, whichever device records it', async () => {
    const a1Case = w.cases.a1[0] as string;
    const a2Case = w.cases.a2[0] as string;
    const first = await w.client.push(w.devices.a1, w.users.officerA1, [
      w.mutation(
        w.devices.a1,
        w.users.officerA1,
        a1Case,
        'fact',
        paymentPayload(await loanOf(db, a1Case), 'R-777'),
      ),
    ]);
    expect(first.results[0]?.status).toBe('accepted');
    const second = await w.client.push(w.devices.a2, w.users.officerA2, [
      w.mutation(
        w.devices.a2,
        w.users.officerA2,
        a2Case,
        'fact',
        paymentPayload(await loanOf(db, a2Case), 'R-777'),
      ),
    ]);
    expect(refusal(second.results[0])).toBe('duplicate_receipt');
    const otherBranch = w.cases.b1[0] as string;
    const third = await w.client.push(w.devices.b, w.users.officerB1, [
      w.mutation(
        w.devices.b,
        w.users.officerB1,
        otherBranch,
        'fact',
        paymentPayload(await loanOf(db, otherBranch), 'R-777'),
      ),
    ]);
    expect(third.results[0]?.status).toBe('accepted');
  });

  it('two devices racing with one receipt number: exactly one payment is kept', async () => {
    const a1Case = w.cases.a1[0] as string;
    const a2Case = w.cases.a2[1] as string;
    const [x, y] = await Promise.all([
      w.client.push(w.devices.a1, w.users.officerA1, [
        w.mutation(
          w.devices.a1,
          w.users.officerA1,
          a1Case,
          'fact',
          paymentPayload(await loanOf(db, a1Case), 'R-RACE'),
        ),
      ]),
      w.client.push(w.devices.a2, w.users.officerA2, [
        w.mutation(
          w.devices.a2,
          w.users.officerA2,
          a2Case,
          'fact',
          paymentPayload(await loanOf(db, a2Case), 'R-RACE'),
        ),
      ]),
    ]);
    expect([x.results[0]?.status, y.results[0]?.status].sort()).toEqual(['accepted', 'refused']);
    expect(await factCount(`receipt_no = 'R-RACE'`)).toBe(1);
  });

  it('reverses a payment once', async () => {
    const c = w.cases.a1[0] as string;
    const pay = w.mutation(
      w.devices.a1,
      w.users.officerA1,
      c,
      'fact',
      paymentPayload(await loanOf(db, c), 'R-REV-1'),
    );
    await w.client.push(w.devices.a1, w.users.officerA1, [pay]);
    const reversal = () => ({
      factKind: 'payment_reversal',
      factId: uuidv7(),
      occurredAt: instant(),
      paymentFactId: pay.payload.factId,
      reason: 'wrong amount',
    });
    const res = await w.client.push(w.devices.a1, w.users.officerA1, [
      w.mutation(w.devices.a1, w.users.officerA1, c, 'fact', reversal()),
      w.mutation(w.devices.a1, w.users.officerA1, c, 'fact', reversal()),
      w.mutation(w.devices.a1, w.users.officerA1, c, 'fact', {
        ...reversal(),
        paymentFactId: 'not-a-payment',
      }),
    ]);
    expect(res.results.map(refusal)).toEqual([null, 'already_reversed', 'unknown_fact']);
  });

  it('accepts a fact from an officer the case was moved away from, but not a field edit', async () => {
    const c = w.cases.a1[2] as string;
    await db.transaction(async (tx) => {
      const r = await assignCase(tx, {
        caseId: c,
        officerUsername: w.users.officerA2.username,
        mode: 'reassign',
        assignedBy: 'test',
      });
      await appendChanges(tx, [r.change]);
    });
    const res = await w.client.push(w.devices.a1, w.users.officerA1, [
      w.mutation(
        w.devices.a1,
        w.users.officerA1,
        c,
        'fact',
        paymentPayload(await loanOf(db, c), 'R-AFTER-MOVE'),
      ),
      w.mutation(w.devices.a1, w.users.officerA1, c, 'case_update', {
        nextActionDate: '2026-12-24',
      }),
    ]);
    expect(res.results[0]).toMatchObject({ status: 'accepted', flags: ['former_officer'] });
    expect(refusal(res.results[1])).toBe('case_reassigned');
    const fact = await db.query<{ recorded_by: string }>(
      `select recorded_by from facts where receipt_no = 'R-AFTER-MOVE'`,
    );
    expect(fact[0]?.recorded_by).toBe(w.users.officerA1.id);
  });

  it('lets managers reassign (the later stamp wins) and refuses officers', async () => {
    const c = w.cases.aUnassigned[0] as string;
    const reassign = (to: string) => ({
      factKind: 'reassignment',
      factId: uuidv7(),
      occurredAt: instant(),
      toOfficerId: to,
    });
    const byOfficer = await w.client.push(w.devices.a1, w.users.officerA1, [
      w.mutation(
        w.devices.a1,
        w.users.officerA1,
        w.cases.a1[0] as string,
        'fact',
        reassign(w.users.officerA2.id),
      ),
    ]);
    expect(refusal(byOfficer.results[0])).toBe('role_not_allowed');

    const late = nextHlc();
    const early = nextHlc().replace(/^\d{4}/, '2025');
    const res = await w.client.push(w.devices.a1, w.users.managerA, [
      w.mutation(w.devices.a1, w.users.managerA, c, 'fact', reassign(w.users.officerA1.id), {
        hlc: late,
      }),
      w.mutation(w.devices.a1, w.users.managerA, c, 'fact', reassign(w.users.officerA2.id), {
        hlc: early,
      }),
      w.mutation(w.devices.a1, w.users.managerA, c, 'fact', reassign(w.users.officerB1.id)),
    ]);
    expect(res.results[0]).toMatchObject({ status: 'accepted', flags: [] });
    expect(res.results[1]).toMatchObject({ status: 'accepted', flags: ['superseded'] });
    expect(refusal(res.results[2])).toBe('unknown_officer');
    const row = await db.query<{ officer_id: string }>(
      'select officer_id from cases where id = $1',
      [c],
    );
    expect(row[0]?.officer_id).toBe(w.users.officerA1.id);
  });

  it('resolves case fields last-writer-wins by HLC', async () => {
    const c = w.cases.a2[0] as string;
    const newer = nextHlc();
    const older = newer.replace(/^\d{4}/, '2020');
    const res = await w.client.push(w.devices.a2, w.users.officerA2, [
      w.mutation(
        w.devices.a2,
        w.users.officerA2,
        c,
        'case_update',
        { nextActionDate: '2026-12-10' },
        { hlc: newer },
      ),
      w.mutation(
        w.devices.a2,
        w.users.officerA2,
        c,
        'case_update',
        { nextActionDate: '2026-12-01' },
        { hlc: older },
      ),
    ]);
    expect(res.results.map((r) => r.status === 'accepted' && r.flags)).toEqual([
      [],
      ['superseded'],
    ]);
    const row = await db.query<{ next_action_date: string }>(
      'select next_action_date from cases where id = $1',
      [c],
    );
    expect(row[0]?.next_action_date).toBe('2026-12-10');
  });

  it('checks who recorded each mutation: signature, branch, disabled users, device, schema version', async () => {
    // Pushed by the manager, so each officer's mutation travels with its author's own proof.
    const c = w.cases.a1[0] as string;
    const forged = signMutation(
      (await createPasswordCredential('not the password', TEST_SCRYPT)).authKey,
      {
        deviceId: w.devices.a1.deviceId,
        mutationId: 9000,
        userId: w.users.officerA1.id,
        kind: 'fact',
        caseId: c,
        payload: contactPayload(),
        hlc: nextHlc(),
      },
    );
    const tampered = {
      ...w.mutation(w.devices.a1, w.users.officerA1, c, 'fact', contactPayload()),
      caseId: w.cases.a1[1] as string,
    };
    const res = await w.client.push(w.devices.a1, w.users.managerA, [
      forged,
      tampered,
      w.mutation(
        w.devices.a1,
        w.users.officerB1,
        w.cases.b1[0] as string,
        'fact',
        contactPayload(),
      ),
      w.mutation(w.devices.a1, w.users.disabledA, c, 'fact', contactPayload()),
      {
        ...w.mutation(w.devices.a2, w.users.officerA1, c, 'fact', contactPayload()),
        mutationId: 9100,
      },
      signMutation(w.users.officerA1.authKey, {
        deviceId: w.devices.a1.deviceId,
        mutationId: 9200,
        schemaVersion: 99,
        userId: w.users.officerA1.id,
        kind: 'fact',
        caseId: c,
        payload: contactPayload(),
        hlc: nextHlc(),
      }),
      w.mutation(w.devices.a1, { ...w.users.officerA1, id: 'nobody' }, c, 'fact', contactPayload()),
    ]);
    expect(res.results.map(refusal)).toEqual([
      'bad_author_proof',
      'bad_author_proof',
      'author_not_on_device',
      'author_disabled',
      'device_mismatch',
      'unsupported_schema_version',
      'unknown_author',
    ]);
  });

  it("on a shared laptop, pushes another user's mutations signed when they recorded them", async () => {
    const c = w.cases.a2[1] as string;
    const byA2 = w.mutation(w.devices.a1, w.users.officerA2, c, 'fact', contactPayload());
    const res = await w.client.push(w.devices.a1, w.users.managerA, [byA2]);
    expect(res.results[0]?.status).toBe('accepted');
    const fact = await db.query<{ recorded_by: string; device_id: string }>(
      'select recorded_by, device_id from facts where id = $1',
      [byA2.payload.factId as string],
    );
    expect(fact[0]).toEqual({
      recorded_by: w.users.officerA2.id,
      device_id: w.devices.a1.deviceId,
    });
  });

  it('rejects a malformed batch as a whole with a readable error', async () => {
    const err = await w.client.push(w.devices.a1, w.users.officerA1, []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncHttpError);
    expect((err as SyncHttpError).code).toBe('invalid_input');
    expect((err as SyncHttpError).message).toMatch(/mutations/);
  });
});
