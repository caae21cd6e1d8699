// GET /v1/sync/pull: paging, partial replication by role, reassignment moving a case
// between devices with its history, and resync_required for cursors the server cannot honour.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncHttpError } from '../../shared/node/sync-http';
import { pullItemId, type PullItem } from '../../shared/sync/records';
import type { Database } from '../../server/db/database';
import { assignCase } from '../../server/model/cases';
import { appendChanges } from '../../server/sync/change-feed';
import { compactChangeFeed } from '../../server/sync/compaction';
import { encodeCursor } from '../../server/sync/cursor';
import { testBackends } from './helpers/backends';
import {
  contactPayload,
  createWorld,
  instant,
  loanOf,
  paymentPayload,
  type TestDevice,
  type TestUser,
  type World,
} from './helpers/world';

interface Synced {
  items: PullItem[];
  cursor: string;
  pages: number;
}

function idsOf(items: readonly PullItem[], type: PullItem['type']): string[] {
  return items
    .filter((i) => i.type === type)
    .map(pullItemId)
    .sort();
}

describe.each(testBackends())('pull on $name', (backend) => {
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

  async function syncAll(
    device: TestDevice,
    user: TestUser,
    cursor: string | null = null,
    limit?: number,
  ): Promise<Synced> {
    const items: PullItem[] = [];
    let pages = 0;
    let next = cursor;
    for (;;) {
      const page = await w.client.pull(device, user, next, limit);
      pages++;
      items.push(...page.items);
      next = page.cursor;
      if (!page.hasMore) return { items, cursor: page.cursor, pages };
      if (pages > 200) throw new Error('pull never finished');
    }
  }

  it("gives an officer's first sync their cases whole, the branch's users, and nothing else", async () => {
    const { items } = await syncAll(w.devices.a1, w.users.officerA1);
    expect(idsOf(items, 'case')).toEqual([...w.cases.a1].sort());
    expect(idsOf(items, 'branch')).toEqual([w.branches.a.id]);
    const users = items.flatMap((i) => (i.type === 'user' ? [i.user] : []));
    expect(users.map((u) => u.username).sort()).toEqual([
      'disableda',
      'managera',
      'officera1',
      'officera2',
    ]);
    expect(users.find((u) => u.username === 'officera1')?.passwordVerifier).toMatch(
      /^\$fbscrypt\$v=1\$/,
    );
    expect(users.find((u) => u.username === 'disableda')).toMatchObject({
      disabled: true,
      passwordVerifier: null,
    });
    const borrowers = items.flatMap((i) => (i.type === 'borrower' ? [i.borrower] : []));
    expect(borrowers).toHaveLength(3);
    for (const b of borrowers) expect(b.idNumberMasked).toMatch(/^\d{3}\*+\d{3}X$/);
    expect(idsOf(items, 'loan')).toHaveLength(3);
    expect(idsOf(items, 'loan_snapshot')).toHaveLength(3);
    expect(idsOf(items, 'contact_point')).toHaveLength(6);
    // Parents before children within a page.
    const order = items.map((i) => i.type);
    expect(order.indexOf('case')).toBeLessThan(order.indexOf('loan'));
  });

  it('pages a first sync and ends with a cursor that has nothing more', async () => {
    const whole = await syncAll(w.devices.a1, w.users.managerA);
    const paged = await syncAll(w.devices.a1, w.users.managerA, null, 5);
    expect(paged.pages).toBeGreaterThan(3);
    expect(idsOf(paged.items, 'case')).toEqual(idsOf(whole.items, 'case'));
    expect(new Set(idsOf(paged.items, 'loan'))).toEqual(new Set(idsOf(whole.items, 'loan')));
    expect(idsOf(whole.items, 'case')).toEqual(
      [...w.cases.a1, ...w.cases.a2, ...w.cases.aUnassigned].sort(),
    );
    const after = await w.client.pull(w.devices.a1, w.users.managerA, paged.cursor);
    expect(after).toMatchObject({ items: [], hasMore: false });
  });

  it('loses nothing pushed between the pages of a first sync', async () => {
    const first = await w.client.pull(w.devices.a2, w.users.officerA2, null, 3);
    expect(first.hasMore).toBe(true);
    const delivered = idsOf(first.items, 'case');
    const c = delivered[0] as string;
    const m = w.mutation(w.devices.a1, w.users.managerA, c, 'fact', contactPayload());
    await w.client.push(w.devices.a1, w.users.managerA, [m]);
    const rest = await syncAll(w.devices.a2, w.users.officerA2, first.cursor, 3);
    expect(idsOf(rest.items, 'fact')).toContain(m.payload.factId);
  });

  it("sends a fact to the officer's manager but not to other officers, and not back to its own device", async () => {
    const a1 = await syncAll(w.devices.a1, w.users.officerA1);
    const a2 = await syncAll(w.devices.a2, w.users.officerA2);
    const mgr = await syncAll(w.devices.a1, w.users.managerA);
    const b = await syncAll(w.devices.b, w.users.managerB);
    const c = w.cases.a1[0] as string;
    const m = w.mutation(
      w.devices.a1,
      w.users.officerA1,
      c,
      'fact',
      paymentPayload(await loanOf(db, c), 'P-FEED-1'),
    );
    await w.client.push(w.devices.a1, w.users.officerA1, [m]);

    const a1Next = await syncAll(w.devices.a1, w.users.officerA1, a1.cursor);
    expect(idsOf(a1Next.items, 'fact')).toEqual([]);
    const a2Next = await syncAll(w.devices.a2, w.users.officerA2, a2.cursor);
    expect(idsOf(a2Next.items, 'fact')).toEqual([]);
    const bNext = await syncAll(w.devices.b, w.users.managerB, b.cursor);
    expect(bNext.items).toEqual([]);
    // The manager on another laptop of the branch gets it in one request.
    const mgrOther = await syncAll(w.devices.a2, w.users.managerA, null);
    expect(idsOf(mgrOther.items, 'fact')).toContain(m.payload.factId);
    const mgrNext = await w.client.pull(w.devices.a1, w.users.managerA, mgr.cursor);
    expect(mgrNext.hasMore).toBe(false);
    expect(idsOf(mgrNext.items, 'fact')).toEqual([]); // same device that pushed it
  });

  it('moves a reassigned case off the old device and onto the new one with its whole history', async () => {
    const c = w.cases.a1[1] as string;
    const a1 = await syncAll(w.devices.a1, w.users.officerA1);
    const a2 = await syncAll(w.devices.a2, w.users.officerA2);
    const old = w.mutation(w.devices.a1, w.users.officerA1, c, 'fact', contactPayload());
    await w.client.push(w.devices.a1, w.users.officerA1, [old]);

    await db.transaction(async (tx) => {
      const r = await assignCase(tx, {
        caseId: c,
        officerUsername: w.users.officerA2.username,
        mode: 'reassign',
        assignedBy: 'test',
      });
      await appendChanges(tx, [r.change]);
    });
    // A fact recorded on the old device before it heard of the move is still accepted...
    const pending = w.mutation(w.devices.a1, w.users.officerA1, c, 'fact', {
      factKind: 'note',
      factId: uuidv7(),
      occurredAt: instant(),
      text: 'left a card',
    });
    const res = await w.client.push(w.devices.a1, w.users.officerA1, [pending]);
    expect(res.results[0]).toMatchObject({ status: 'accepted', flags: ['former_officer'] });

    const a1Next = await syncAll(w.devices.a1, w.users.officerA1, a1.cursor);
    expect(idsOf(a1Next.items, 'case_removed')).toEqual([c]);
    expect(idsOf(a1Next.items, 'case')).not.toContain(c);
    expect(a1Next.items.some((i) => i.type === 'fact' && i.fact.caseId === c)).toBe(false);

    // ...and reaches the new officer, with everything recorded before the move.
    const a2Next = await syncAll(w.devices.a2, w.users.officerA2, a2.cursor);
    expect(idsOf(a2Next.items, 'case')).toContain(c);
    const facts = idsOf(a2Next.items, 'fact');
    expect(facts).toEqual(
      expect.arrayContaining([old.payload.factId as string, pending.payload.factId as string]),
    );
    expect(idsOf(a2Next.items, 'borrower')).toHaveLength(1);
    expect(idsOf(a2Next.items, 'loan')).toHaveLength(1);
    expect(idsOf(a2Next.items, 'case_removed')).toEqual([]);
  });

  it('gives a manager their branch and an admin every branch', async () => {
    const mgrB = await syncAll(w.devices.b, w.users.managerB);
    expect(idsOf(mgrB.items, 'case')).toEqual([...w.cases.b1].sort());
    expect(idsOf(mgrB.items, 'branch')).toEqual([w.branches.b.id]);
    const admin = await syncAll(w.devices.hq, w.users.admin);
    const every = (await db.query<{ id: string }>('select id from cases order by id')).map(
      (r) => r.id,
    );
    expect(idsOf(admin.items, 'case')).toEqual(every);
    expect(idsOf(admin.items, 'branch')).toEqual([w.branches.a.id, w.branches.b.id].sort());
    // A head-office laptop holds the sign-in data of head-office users only.
    expect(admin.items.flatMap((i) => (i.type === 'user' ? [i.user.username] : []))).toEqual([
      'admin',
    ]);
  });

  it('answers cursors it cannot honour with resync_required', async () => {
    const mine = await syncAll(w.devices.a1, w.users.officerA1);
    const bad = async (user: TestUser, cursor: string) => {
      const err = await w.client.pull(w.devices.a1, user, cursor).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SyncHttpError);
      expect((err as SyncHttpError).code).toBe('resync_required');
      expect((err as SyncHttpError).status).toBe(409);
    };
    await bad(w.users.officerA1, 'not-a-cursor');
    await bad(w.users.managerA, mine.cursor);
    const state = await db.query<{ instance_id: string }>('select instance_id from server_state');
    await bad(
      w.users.officerA1,
      encodeCursor({
        v: 1,
        i: state[0]?.instance_id as string,
        u: w.users.officerA1.id,
        m: 'f',
        s: 1e9,
      }),
    );
    await bad(
      w.users.officerA1,
      encodeCursor({ v: 1, i: 'another-server', u: w.users.officerA1.id, m: 'f', s: 1 }),
    );

    const old = encodeCursor({
      v: 1,
      i: state[0]?.instance_id as string,
      u: w.users.officerA1.id,
      m: 'f',
      s: 1,
    });
    await db.query(`update changes set created_at = now() - interval '40 days' where seq <= 3`);
    const compacted = await compactChangeFeed(db, 30);
    expect(compacted.removed).toBe(3);
    await bad(w.users.officerA1, old);
    // A device that follows the advice gets everything again.
    const again = await syncAll(w.devices.a1, w.users.officerA1);
    expect(idsOf(again.items, 'case')).toEqual(idsOf(mine.items, 'case'));
  });

  it('validates the query', async () => {
    const err = await w.client
      .pull(w.devices.a1, w.users.officerA1, null, 0)
      .catch((e: unknown) => e);
    expect((err as SyncHttpError).code).toBe('invalid_input');
  });
});
