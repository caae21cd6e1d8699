// The branch summary kept in the ledger (migration 0011, kept-summary.ts): a restart on the
// same day answers the first dashboard from it, and any write to what it was computed from
// forgets it, so what the manager sees always equals a fresh computation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagerDashboard } from '../../shared/api/manager-contract';
import { addDays } from '../../shared/dates';
import type { DashboardSummary } from '../../shared/domain/portfolio';
import { refreshPositions } from '../../electron/ledger/manager/loan-positions';
import { KEPT_SUMMARY_SOURCES } from '../../electron/ledger/migrations/0011-kept-dashboard';
import { okOp } from '../integration/ledger-fixture';
import {
  branchDashboard,
  casesInArrears,
  freshSummary,
  openDemoBranch,
  type DemoBranch,
} from './helpers';

let branch: DemoBranch;

beforeAll(() => {
  branch = openDemoBranch('kept-summary', 120, 11);
});
afterAll(() => branch?.close());

function keptRows(): { as_of: string; summary: string }[] {
  return branch.ledger.db.prepare('SELECT as_of, summary FROM dashboard_kept_summary').all() as {
    as_of: string;
    summary: string;
  }[];
}

const dashboard = (): Promise<ManagerDashboard> => branchDashboard(branch);

const fresh = (): DashboardSummary => freshSummary(branch);

/** A dashboard computed and the ledger closed and opened again: the summary is kept. */
async function keepByRestart(): Promise<void> {
  await dashboard();
  branch.reopen();
  expect(keptRows()).toHaveLength(1);
}

describe('the dashboard summary kept in the ledger', () => {
  it('answers the first dashboard after a same-day restart from the kept summary', async () => {
    const computed = await dashboard();
    expect(computed.dashboard).toEqual(fresh());
    branch.reopen();
    const [kept] = keptRows();
    expect(kept?.as_of).toBe('2026-11-28');

    // Proof that it is read, not computed: a marked copy comes back as it is.
    const marked = JSON.parse(kept!.summary) as { summary: { arrears: { ratio: number } } };
    marked.summary.arrears.ratio = 0.123456;
    branch.ledger.db
      .prepare('UPDATE dashboard_kept_summary SET summary = ?')
      .run(JSON.stringify(marked));
    branch.reopen();
    expect((await dashboard()).dashboard.arrears.ratio).toBe(0.123456);

    // Unmarked, it is the same as the fresh computation.
    branch.ledger.db.prepare('UPDATE dashboard_kept_summary SET summary = ?').run(kept!.summary);
    branch.reopen();
    const answered = await dashboard();
    expect(answered.dashboard).toEqual(computed.dashboard);
    expect(answered.dashboard).toEqual(fresh());
  });

  it('is forgotten by every kind of change, and the next dashboard is computed afresh', async () => {
    const cases = casesInArrears(branch.ledger, 6);
    const [a, b, c, d] = cases;
    const today = branch.ledger.today();
    const changes: [string, () => Promise<unknown> | unknown][] = [
      [
        'a contact',
        () =>
          okOp(
            branch.ledger,
            'contact.record',
            { caseId: a!.id, channel: 'call', party: 'borrower', outcome: 'no_answer' },
            a!.officer_id,
          ),
      ],
      [
        'a promise',
        () =>
          okOp(
            branch.ledger,
            'promise.record',
            { caseId: b!.id, dueDate: addDays(today, 3), amountFen: 50_000 },
            b!.officer_id,
          ),
      ],
      [
        'a payment and its reversal',
        async () => {
          const paid = await okOp<{ factId: string }>(
            branch.ledger,
            'payment.record',
            { caseId: c!.id, amountFen: 20_000, method: 'cash' },
            c!.officer_id,
          );
          await dashboard();
          branch.reopen();
          expect(keptRows()).toHaveLength(1);
          await okOp(
            branch.ledger,
            'payment.reverse',
            { paymentFactId: paid.factId, reason: 'wrong case' },
            c!.officer_id,
          );
        },
      ],
      [
        'a reassignment',
        () =>
          okOp(
            branch.ledger,
            'cases.reassign',
            {
              caseIds: [d!.id],
              toOfficerId: branch.officerIds.find((o) => o !== d!.officer_id)!,
              reason: 'route change',
            },
            branch.managerId,
          ),
      ],
      [
        'an officer leaving',
        () =>
          branch.ledger.db
            .prepare('UPDATE users SET active = 0 WHERE id = ?')
            .run(branch.officerIds[2]),
      ],
      [
        'a core-banking change marking a case dirty',
        () =>
          branch.ledger.db
            .prepare('INSERT INTO dashboard_dirty_cases (case_id) VALUES (?)')
            .run(cases[4]!.id),
      ],
    ];
    for (const [what, change] of changes) {
      await keepByRestart();
      await change();
      expect(keptRows(), what).toHaveLength(0);
      // Closed right after the change: nothing in memory is current, so nothing is kept.
      branch.reopen();
      expect(keptRows(), what).toHaveLength(0);
      expect((await dashboard()).dashboard, what).toEqual(fresh());
    }
  });

  it('is forgotten when the loan positions are written (they have no trigger)', async () => {
    await keepByRestart();
    const tomorrow = addDays(branch.ledger.today(), 1);
    expect(refreshPositions(branch.ledger.ledger, tomorrow).kind).not.toBe('current');
    expect(keptRows()).toHaveLength(0);
  });

  it('is not forgotten by a sign-in or a password change', async () => {
    await keepByRestart();
    branch.ledger.db
      .prepare('UPDATE users SET password_verifier = ? WHERE id = ?')
      .run('scrypt$changed', branch.managerId);
    expect(keptRows()).toHaveLength(1);
  });

  it('is not used for another policy or app version, and a new day keeps that day’s summary', async () => {
    await keepByRestart();
    const policy = branch.ledger.db
      .prepare('SELECT policy FROM dashboard_kept_summary')
      .pluck()
      .get() as string;
    expect(JSON.parse(policy)).toMatchObject({ app: 'dev', promiseGraceDays: expect.any(Number) });
    branch.ledger.db.prepare(`UPDATE dashboard_kept_summary SET policy = '{}'`).run();
    branch.reopen();
    const answered = await dashboard();
    expect(answered.dashboard).toEqual(fresh());

    // The morning refresh of the next day computes and keeps the new day's summary.
    branch.clock.set(`${addDays('2026-11-28', 1)}T08:00:00+08:00`);
    branch.reopen();
    expect(keptRows().map((r) => r.as_of)).toEqual(['2026-11-29']);
    expect((await dashboard()).dashboard).toEqual(fresh());
  });

  it('has its forgetting triggers on every listed table', () => {
    const triggers = new Set(
      branch.ledger.db
        .prepare(
          `SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dashboard_kept_forget_%'`,
        )
        .pluck()
        .all() as string[],
    );
    for (const { table } of KEPT_SUMMARY_SOURCES) expect(triggers, table).toContain(table);
  });
});
