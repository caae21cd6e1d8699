// What a manager decides on one device reaches the others as if decided there: an approved
// plan gives the officer's device the same schedule (and so the same arrears and DPD), a
// reassignment takes the case off one officer's device and brings it to the other's with
// its history, and a review of a conduct override shows on the branch's other manager
// device. Refused facts stop counting in derived state but stay visible; pulled items that
// arrive before what they need are kept and applied on a later pull.
import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { commitFact, stampFact } from '../../electron/ledger/commands/command';
import { proposePlan } from '../../electron/ledger/commands/propose-plan';
import { decidePlan } from '../../electron/ledger/manager/plan-decision';
import { listOverrides, reviewOverride } from '../../electron/ledger/manager/overrides';
import { reassignCases } from '../../electron/ledger/manager/reassign';
import { stmt } from '../../electron/ledger/statements';
import { applyPullPage } from '../../electron/ledger/sync/apply-pull';
import type { LedgerDb } from '../../electron/ledger/db';
import type { FactRecord as SyncFactRecord } from '../../shared/sync/records';
import type { World } from '../server/helpers/world';
import { caseIds, caseView, recordPayment, type TestDevice, useSyncWorld } from './helpers';

let world: World;
const { device } = useSyncWorld((w) => (world = w));

function schedule(db: LedgerDb, caseId: string): unknown {
  return db
    .prepare(
      `SELECT i.seq, i.due_date, i.principal_fen, i.interest_fen FROM instalments i
       JOIN loans l ON l.id = i.loan_id WHERE l.case_id = ? ORDER BY l.id, i.seq`,
    )
    .all(caseId);
}

function loanOf(db: LedgerDb, caseId: string): string {
  return stmt<string>(db, 'SELECT id FROM loans WHERE case_id = ? ORDER BY id LIMIT 1')
    .pluck()
    .get(caseId) as string;
}

function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('manager facts across devices', () => {
  it('an approved plan and a reassignment look the same on the officers’ devices as on the manager’s', async () => {
    const officer1 = await device('plan-o1', world.users.officerA1);
    const officer2 = await device('plan-o2', world.users.officerA2);
    const manager = await device('plan-m', world.users.managerA);
    for (const d of [officer1, manager, officer2]) await d.engine.sync();

    const [planCase, movedCase] = world.cases.a1 as [string, string];
    const ledger1 = officer1.ledger();
    const outstanding = stmt<number>(ledger1.db, 'SELECT outstanding_fen FROM cases WHERE id = ?')
      .pluck()
      .get(planCase) as number;
    const today = ledger1.db
      .prepare("SELECT value FROM meta WHERE key = 'derived_as_of'")
      .pluck()
      .get() as string | undefined;
    const proposal = proposePlan(ledger1, officer1.user.id, {
      caseId: planCase,
      loanId: loanOf(ledger1.db, planCase),
      hardshipReasons: ['illness_or_injury'],
      monthlyIncomeFen: 10_000_00,
      essentialExpensesFen: 1_000_00,
      otherDebtPaymentsFen: 0,
      monthlyFen: Math.ceil(outstanding / 6) + 100_00,
      startDate: plusDays(today ?? new Date().toISOString().slice(0, 10), 7),
      note: '住院三个月',
    });
    const before = schedule(officer1.db, planCase);
    expect((await officer1.engine.sync()).refused).toBe(0);
    const mPull = await manager.engine.sync();
    expect(mPull.unapplied).toEqual([]);

    const mLedger = manager.ledger();
    const actor = { id: manager.user.id, role: 'manager' as const };
    const decided = decidePlan(mLedger, actor, {
      planFactId: proposal.factId,
      decision: 'approved',
      comment: '同意',
    });
    expect(decided.effectiveOn).not.toBeNull();
    reassignCases(mLedger, actor, {
      caseIds: [movedCase],
      toOfficerId: world.users.officerA2.id,
      reason: '片区调整',
    });
    const approved = schedule(manager.db, planCase);
    expect(approved).not.toEqual(before);

    await manager.engine.sync();
    const pull1 = await officer1.engine.sync();
    const pull2 = await officer2.engine.sync();
    expect(pull1.unapplied).toEqual([]);
    expect(pull2.unapplied).toEqual([]);

    // The officer sees the plan's schedule, its status, and the arrears that follow from it.
    expect(schedule(officer1.db, planCase)).toEqual(approved);
    expect(
      officer1.db
        .prepare('SELECT decision FROM plan_decisions WHERE proposal_fact_id = ?')
        .pluck()
        .get(proposal.factId),
    ).toBe('approved');
    expect(
      officer1.db.prepare('SELECT effective_on FROM loan_restructurings').pluck().all(),
    ).toEqual([decided.effectiveOn]);
    expect(caseView(officer1.db, planCase)).toEqual(caseView(manager.db, planCase));

    // The moved case left officer 1 and arrived on officer 2 with its history.
    expect(caseIds(officer1.db)).not.toContain(movedCase);
    expect(caseIds(officer2.db)).toContain(movedCase);
    expect(
      officer2.db
        .prepare(
          'SELECT from_officer_id, to_officer_id, reason FROM case_reassignments WHERE case_id = ?',
        )
        .all(movedCase),
    ).toEqual([
      {
        from_officer_id: world.users.officerA1.id,
        to_officer_id: world.users.officerA2.id,
        reason: '片区调整',
      },
    ]);
    expect(caseView(officer2.db, movedCase)).toEqual(caseView(manager.db, movedCase));

    // Pulling again changes nothing (idempotent).
    const again = await officer1.engine.sync();
    expect(again.itemsApplied).toBe(0);
    expect(schedule(officer1.db, planCase)).toEqual(approved);
  }, 120_000);

  it('a conduct override recorded by an officer is reviewed on one manager device and shows reviewed on another', async () => {
    const officer = await device('ovr-o1', world.users.officerA1);
    const managerA = await device('ovr-m1', world.users.managerA);
    const managerB = await device('ovr-m2', world.users.managerA);
    for (const d of [officer, managerA, managerB]) await d.engine.sync();
    const caseId = caseIds(officer.db)[0]!;
    const ledger = officer.ledger();
    const contactId = ledger.db
      .transaction(() => {
        const s = stampFact(ledger);
        commitFact(ledger, 'contact.record', {
          ...s,
          caseId,
          recordedBy: officer.user.id,
          kind: 'contact',
          payload: {
            channel: 'call',
            party: 'borrower',
            contactPointId: null,
            outcome: 'no_answer',
            note: null,
            nextActionDate: null,
            secondCollectorId: null,
            override: { reason: '借款人要求晚上回电', ruleCodes: ['quiet_hours'] },
          },
        });
        return s.id;
      })
      .immediate();
    await officer.engine.sync();
    await managerA.engine.sync();
    await managerB.engine.sync();
    const waiting = listOverrides(managerB.ledger(), false).map((o) => o.factId);
    expect(waiting).toContain(contactId);

    reviewOverride(
      managerA.ledger(),
      { id: managerA.user.id, role: 'manager' },
      {
        overrideFactId: contactId,
        comment: '已核实',
      },
    );
    expect(managerA.engine.status().pendingCount).toBe(1);
    await managerA.engine.sync();
    expect(managerA.engine.status().pendingCount).toBe(0);
    await managerB.engine.sync();
    const reviewed = listOverrides(managerB.ledger(), true).find((o) => o.factId === contactId);
    expect(reviewed?.review).toMatchObject({ comment: '已核实', by: { id: managerA.user.id } });
  }, 120_000);

  it('a payment the server refused stays listed with its reason but no longer lowers the balance', async () => {
    const officer = await device('ref-o1', world.users.officerA1);
    const manager = await device('ref-m', world.users.managerA);
    await officer.engine.sync();
    await manager.engine.sync();
    const caseId = world.cases.a1[2]!;
    const taken = recordPayment(manager, caseId, 50_00);
    await manager.engine.sync();
    const receipt = stmt<string>(manager.db, 'SELECT receipt_no FROM payments WHERE fact_id = ?')
      .pluck()
      .get(taken) as string;
    const balanceBefore = caseView(officer.db, caseId);
    // The officer writes the same paper receipt number on another payment, offline.
    const ledger = officer.ledger();
    const refusedId = ledger.db
      .transaction(() => {
        const s = stampFact(ledger);
        commitFact(ledger, 'payment.record', {
          ...s,
          caseId,
          recordedBy: officer.user.id,
          kind: 'payment',
          payload: {
            loanId: loanOf(ledger.db, caseId),
            amountFen: 300_00,
            method: 'cash',
            receiptNo: receipt,
            paidOn: s.businessDate,
            note: null,
          },
        });
        return s.id;
      })
      .immediate();
    expect(caseView(officer.db, caseId)).not.toEqual(balanceBefore);
    const run = await officer.engine.sync();
    expect(run.refused).toBe(1);
    expect(run.unapplied).toEqual([]);
    const status = officer.engine.status();
    expect(status.refused).toMatchObject([{ code: 'duplicate_receipt', caseId }]);
    // Still on the timeline, but the balance is what the server (and the manager) has.
    expect(officer.db.prepare('SELECT 1 FROM facts WHERE id = ?').pluck().get(refusedId)).toBe(1);
    expect(caseView(officer.db, caseId)).toMatchObject({
      c: (caseView(manager.db, caseId) as { c: unknown }).c,
    });
    expect(
      officer.db.prepare('SELECT fact_id FROM payments WHERE case_id = ?').pluck().all(caseId),
    ).toEqual([taken]);
  }, 120_000);

  it('two managers decide one plan offline: the refused decision is undone and the accepted one applies', async () => {
    const officer = await device('two-o1', world.users.officerA1);
    const first = await device('two-m1', world.users.managerA);
    const second = await device('two-m2', world.users.managerA);
    for (const d of [officer, first, second]) await d.engine.sync();
    const caseId = caseIds(officer.db).at(-1)!;
    const ledger = officer.ledger();
    const outstanding = stmt<number>(ledger.db, 'SELECT outstanding_fen FROM cases WHERE id = ?')
      .pluck()
      .get(caseId) as number;
    const today = ledger.db
      .prepare("SELECT value FROM meta WHERE key = 'derived_as_of'")
      .pluck()
      .get() as string | undefined;
    const proposal = proposePlan(ledger, officer.user.id, {
      caseId,
      loanId: loanOf(ledger.db, caseId),
      hardshipReasons: ['business_or_job_loss'],
      monthlyIncomeFen: 10_000_00,
      essentialExpensesFen: 1_000_00,
      otherDebtPaymentsFen: 0,
      monthlyFen: Math.ceil(outstanding / 6) + 100_00,
      startDate: plusDays(today ?? new Date().toISOString().slice(0, 10), 7),
      note: '失业',
    });
    await officer.engine.sync();
    await first.engine.sync();
    await second.engine.sync();
    const original = schedule(second.db, caseId);
    const actor = (d: TestDevice) => ({ id: d.user.id, role: 'manager' as const });
    decidePlan(first.ledger(), actor(first), {
      planFactId: proposal.factId,
      decision: 'approved',
      comment: '',
    });
    decidePlan(second.ledger(), actor(second), {
      planFactId: proposal.factId,
      decision: 'rejected',
      comment: '收入不稳定',
    });
    await first.engine.sync();
    const run = await second.engine.sync();
    expect(run.refused).toBe(1);
    expect(second.engine.status().refused).toMatchObject([{ code: 'already_decided' }]);
    // The second manager's device now shows the approval, and the plan's schedule.
    expect(
      second.db
        .prepare('SELECT decision FROM plan_decisions WHERE proposal_fact_id = ?')
        .pluck()
        .all(proposal.factId),
    ).toEqual(['approved']);
    expect(schedule(second.db, caseId)).toEqual(schedule(first.db, caseId));
    expect(schedule(second.db, caseId)).not.toEqual(original);
    expect(second.db.prepare('SELECT count(*) FROM sync_pending_items').pluck().get()).toBe(0);
  }, 120_000);

  it('a pulled item that arrives before what it needs is kept and applied on a later pull', async () => {
    const officer = await device('pend-o1', world.users.officerA1);
    await officer.engine.sync();
    const db = officer.db;
    const caseId = caseIds(db).at(-1)!;
    const loanId = loanOf(db, caseId);
    const now = new Date().toISOString();
    const fact = (
      kind: 'payment' | 'payment_reversal',
      payload: Record<string, unknown>,
    ): SyncFactRecord => {
      const id = uuidv7();
      return {
        id,
        caseId,
        kind,
        recordedBy: world.users.managerA.id,
        deviceId: 'another-device',
        occurredAt: now,
        hlc: `${now}-0000-00000000000000ff`,
        payload: { factKind: kind, factId: id, occurredAt: now, ...payload },
        flags: [],
        receivedAt: now,
      };
    };
    const payment = fact('payment', {
      loanId,
      paidOn: now.slice(0, 10),
      amountFen: 123_00,
      method: 'cash',
      receiptNo: `PEND-${uuidv7().slice(-8)}`,
    });
    const reversal = fact('payment_reversal', { paymentFactId: payment.id, reason: '录重了' });
    const page = (items: SyncFactRecord[]) =>
      db.transaction(() =>
        applyPullPage(
          db,
          items.map((f) => ({ type: 'fact' as const, fact: f })),
          Date.now(),
        ),
      )();

    const first = page([reversal]);
    expect(first.unapplied).toEqual([
      { type: 'fact', id: reversal.id, why: 'reverses a payment this device does not hold' },
    ]);
    expect(db.prepare('SELECT count(*) FROM sync_pending_items').pluck().get()).toBe(1);
    // A page with something else leaves it waiting (and counts the attempt).
    page([]);
    expect(db.prepare('SELECT attempts FROM sync_pending_items').pluck().get()).toBe(2);

    const second = page([payment]);
    expect(second.unapplied).toEqual([]);
    expect(second.retried).toBe(1);
    expect(db.prepare('SELECT count(*) FROM sync_pending_items').pluck().get()).toBe(0);
    expect(
      db
        .prepare('SELECT reverses_fact_id FROM payment_reversals WHERE fact_id = ?')
        .pluck()
        .get(reversal.id),
    ).toBe(payment.id);
  }, 60_000);
});
