// A fact head office refused stays on its device with its reason until someone deals with
// it (issue #5, item 3) — also when its case is reassigned away and later comes back: the
// server's history has no refused fact, so the device keeps the fact's row while the case
// is away and puts it back on the timeline when the case returns, marked refused and still
// counting nowhere. "Dealt with" (dismiss) takes it off the sync status's list whether or
// not its case is on the device.
import { describe, expect, it } from 'vitest';
import { commitFact, stampFact } from '../../electron/ledger/commands/command';
import type { LedgerDb } from '../../electron/ledger/db';
import { readBranch } from '../../electron/ledger/ledger';
import { reassignCases } from '../../electron/ledger/manager/reassign';
import { migrate } from '../../electron/ledger/migrations';
import { openLedger } from '../../electron/ledger/db';
import { ledgerPolicyFor } from '../../electron/ledger/policy';
import { caseFile } from '../../electron/ledger/queries/case-file';
import { stmt } from '../../electron/ledger/statements';
import { dismissRefusal } from '../../electron/ledger/sync/refusals';
import type { World } from '../server/helpers/world';
import { caseView, recordPayment, recordReversal, type TestDevice, useSyncWorld } from './helpers';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let world: World;
const { device } = useSyncWorld((w) => (world = w));

function fileOf(db: LedgerDb, caseId: string) {
  const branch = readBranch(db)!;
  return caseFile(db, caseId, '2026-12-31', ledgerPolicyFor(branch.policyPackId));
}

/** A payment written with a receipt number someone else already used (refused on push). */
function paymentWithReceipt(d: TestDevice, caseId: string, receiptNo: string): string {
  const ledger = d.ledger();
  const loanId = stmt<string>(ledger.db, 'SELECT id FROM loans WHERE case_id = ? ORDER BY id')
    .pluck()
    .get(caseId) as string;
  return ledger.db
    .transaction(() => {
      const s = stampFact(ledger);
      commitFact(ledger, 'payment.record', {
        ...s,
        caseId,
        recordedBy: d.user.id,
        kind: 'payment',
        payload: {
          loanId,
          amountFen: 420_00,
          method: 'cash',
          receiptNo,
          paidOn: s.businessDate,
          note: null,
        },
      });
      return s.id;
    })
    .immediate();
}

describe('a refused fact and its case leaving and coming back', () => {
  it('keeps the refused facts while the case is away, puts them back on its return, and dismisses either way', async () => {
    const officer = await device('rr-o1', world.users.officerA1);
    const other = await device('rr-o2', world.users.officerA2);
    const manager = await device('rr-m', world.users.managerA);
    for (const d of [officer, other, manager]) await d.engine.sync();
    const caseId = world.cases.a1[1]!;

    // The manager takes a payment the officer's device gets; then, while the officer is
    // offline, the manager reverses it and takes another. The officer reverses the first
    // payment too and writes the second one's receipt number on a payment of its own.
    const taken = recordPayment(manager, caseId, 50_00);
    await manager.engine.sync();
    await officer.engine.sync();
    expect(recordReversal(manager, taken)).not.toBeNull();
    const second = recordPayment(manager, caseId, 60_00);
    await manager.engine.sync();
    const receipt = stmt<string>(manager.db, 'SELECT receipt_no FROM payments WHERE fact_id = ?')
      .pluck()
      .get(second) as string;
    const lateReversal = recordReversal(officer, taken)!;
    expect(lateReversal).not.toBeNull();
    const duplicate = paymentWithReceipt(officer, caseId, receipt);
    const run = await officer.engine.sync();
    expect(run.refused).toBe(2);
    const codes = officer.engine
      .status()
      .refused.map((r) => r.code)
      .sort();
    expect(codes).toEqual(['already_reversed', 'duplicate_receipt']);

    const marked = (db: LedgerDb) =>
      Object.fromEntries(
        fileOf(db, caseId)
          .timeline.filter((e) => e.refusal)
          .map((e) => [e.factId, e.refusal]),
      );
    expect(marked(officer.db)).toEqual({
      [duplicate]: { code: 'duplicate_receipt', message: expect.any(String), dismissed: false },
      [lateReversal]: { code: 'already_reversed', message: expect.any(String), dismissed: false },
    });
    const sameAsManager = () =>
      expect(caseView(officer.db, caseId)).toEqual(caseView(manager.db, caseId));
    sameAsManager();
    expect(fileOf(officer.db, caseId).payments.find((p) => p.factId === duplicate)).toMatchObject({
      refused: true,
    });

    // The case moves to another officer: it leaves this device, the refusals stay listed.
    const actor = { id: manager.user.id, role: 'manager' as const };
    reassignCases(manager.ledger(), actor, {
      caseIds: [caseId],
      toOfficerId: world.users.officerA2.id,
      reason: '片区调整',
    });
    await manager.engine.sync();
    await officer.engine.sync();
    await other.engine.sync();
    expect(officer.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId)).toBeUndefined();
    expect(
      officer.db.prepare('SELECT count(*) FROM facts WHERE case_id = ?').pluck().get(caseId),
    ).toBe(0);
    expect(officer.engine.status().refused).toHaveLength(2);
    expect(
      officer.db.prepare('SELECT fact_id FROM refused_facts_away ORDER BY fact_id').pluck().all(),
    ).toEqual([duplicate, lateReversal].sort());
    // The other officer gets the server's history: no refused fact.
    expect(
      other.db
        .prepare('SELECT count(*) FROM facts WHERE id IN (?, ?)')
        .pluck()
        .get(duplicate, lateReversal),
    ).toBe(0);

    // Dealt with while the case is away.
    const reversalRefusal = officer.engine
      .status()
      .refused.find((r) => r.code === 'already_reversed')!;
    expect(
      dismissRefusal(
        officer.db,
        reversalRefusal.mutationId,
        officer.user.id,
        '2026-11-28T09:00:00.000Z',
      ),
    ).toEqual({ dismissed: true });
    expect(officer.engine.status().refused.map((r) => r.code)).toEqual(['duplicate_receipt']);

    // The case comes back with the server's history: the refused facts are on its timeline
    // again, marked, and count nowhere (the same figures as the manager's device).
    reassignCases(manager.ledger(), actor, {
      caseIds: [caseId],
      toOfficerId: world.users.officerA1.id,
      reason: '调回',
    });
    await manager.engine.sync();
    const back = await officer.engine.sync();
    expect(back.unapplied).toEqual([]);
    expect(officer.db.prepare('SELECT 1 FROM cases WHERE id = ?').pluck().get(caseId)).toBe(1);
    expect(marked(officer.db)).toEqual({
      [duplicate]: { code: 'duplicate_receipt', message: expect.any(String), dismissed: false },
      [lateReversal]: { code: 'already_reversed', message: expect.any(String), dismissed: true },
    });
    expect(officer.db.prepare('SELECT count(*) FROM refused_facts_away').pluck().get()).toBe(0);
    sameAsManager();
    expect(
      officer.db.prepare('SELECT fact_id FROM payments WHERE case_id = ?').pluck().all(caseId),
    ).toEqual([taken, second].sort());
    expect(
      officer.db
        .prepare('SELECT count(*) FROM payment_reversals WHERE fact_id = ?')
        .pluck()
        .get(lateReversal),
    ).toBe(0);
    const file = fileOf(officer.db, caseId);
    expect(file.payments.map((p) => [p.factId, p.reversed, p.refused ?? false])).toEqual(
      expect.arrayContaining([
        [taken, true, false],
        [duplicate, false, true],
      ]),
    );

    // Dealt with while the case is here: off the list, still on the timeline, marked.
    const paymentRefusal = officer.engine.status().refused[0]!;
    expect(
      dismissRefusal(
        officer.db,
        paymentRefusal.mutationId,
        officer.user.id,
        '2026-11-28T10:00:00.000Z',
      ),
    ).toEqual({ dismissed: true });
    expect(officer.engine.status().refused).toEqual([]);
    expect(marked(officer.db)[duplicate]).toMatchObject({ dismissed: true });
    // Twice changes nothing; an unknown or accepted mutation is not a refusal to dismiss.
    expect(
      dismissRefusal(
        officer.db,
        paymentRefusal.mutationId,
        officer.user.id,
        '2026-11-28T10:01:00.000Z',
      ),
    ).toEqual({ dismissed: false });
    expect(() =>
      dismissRefusal(officer.db, 999_999, officer.user.id, '2026-11-28T10:02:00.000Z'),
    ).toThrow(/No such refused change/);
    const accepted = officer.db
      .prepare("SELECT mutation_id FROM outbox WHERE status = 'sent' LIMIT 1")
      .pluck()
      .get() as number | undefined;
    if (accepted !== undefined)
      expect(() =>
        dismissRefusal(officer.db, accepted, officer.user.id, '2026-11-28T10:03:00.000Z'),
      ).toThrow(/No such refused change/);
    // Each dismissal is in the audit trail, by who and when.
    expect(
      officer.db
        .prepare(
          "SELECT actor_id, entity_id FROM audit WHERE action = 'sync.refusal.dismiss' ORDER BY seq",
        )
        .all(),
    ).toEqual([
      { actor_id: officer.user.id, entity_id: String(reversalRefusal.mutationId) },
      { actor_id: officer.user.id, entity_id: String(paymentRefusal.mutationId) },
    ]);

    // And once more away and back: dismissed refusals come back too, still marked.
    reassignCases(manager.ledger(), actor, {
      caseIds: [caseId],
      toOfficerId: world.users.officerA2.id,
      reason: '再次调整',
    });
    await manager.engine.sync();
    await officer.engine.sync();
    expect(officer.db.prepare('SELECT count(*) FROM refused_facts_away').pluck().get()).toBe(2);
    reassignCases(manager.ledger(), actor, {
      caseIds: [caseId],
      toOfficerId: world.users.officerA1.id,
      reason: '调回',
    });
    await manager.engine.sync();
    await officer.engine.sync();
    expect(Object.keys(marked(officer.db)).sort()).toEqual([duplicate, lateReversal].sort());
    sameAsManager();
  }, 120_000);
});

describe('ledger migration 0009', () => {
  it('adds the away table and the dismissal columns to a v7 ledger without touching its refusals', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-m0009-'));
    try {
      const db = openLedger({ file: path.join(dir, 'ledger.db'), key: crypto.randomBytes(32) });
      migrate(db, 7);
      db.prepare(
        `INSERT INTO outbox (kind, case_id, user_id, payload, hlc, schema_version, created_at, status, refusal_code, refusal_reason)
         VALUES ('fact', 'c1', 'u1', '{"factId":"f1"}', 'h', 3, '2026-11-28T00:00:00.000Z', 'refused', 'duplicate_receipt', 'used')`,
      ).run();
      expect(migrate(db)).toContain(9);
      expect(
        db.prepare('SELECT status, refusal_code, handled_at, handled_by FROM outbox').get(),
      ).toEqual({
        status: 'refused',
        refusal_code: 'duplicate_receipt',
        handled_at: null,
        handled_by: null,
      });
      expect(db.prepare('SELECT count(*) FROM refused_facts_away').pluck().get()).toBe(0);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
