// The loan positions the dashboard keeps between calls (loan-positions.ts) must give, on
// every date, exactly the snapshot computed afresh from schedules and payments: checked
// day by day on a generated branch across month ends, with payments, reversals and
// reassignments recorded on the way. Also the closed days written from them, and the
// summary counted from the contact tally against the one counted from contact rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/dates';
import type { LoanSnapshot } from '../../shared/domain/portfolio';
import type { CaseLedger } from '../../electron/ledger/index';
import {
  positionSnapshots,
  refreshPositions,
  writeSnapshotFromPositions,
} from '../../electron/ledger/manager/loan-positions';
import { computeSnapshots, readSnapshots } from '../../electron/ledger/manager/snapshots';
import { readDashboardInput } from '../../electron/ledger/manager/dashboard-input';
import type { ManagerDashboard } from '../../shared/api/manager-contract';
import type { WorklistPage } from '../../shared/api/contract';
import { portfolioDashboard } from '../../shared/domain/portfolio';
import { okOp, type MovableClock } from '../integration/ledger-fixture';
import { casesInArrears, openDemoBranch, payReverseReassign, type DemoBranch } from './helpers';

let branch: DemoBranch;
let ledger: CaseLedger;
let clock: MovableClock;

beforeAll(() => {
  branch = openDemoBranch('positions', 240, 11);
  ({ ledger, clock } = branch);
});

afterAll(() => branch?.close());

const byLoan = (rows: readonly LoanSnapshot[]): LoanSnapshot[] =>
  [...rows].sort((a, b) => (a.loanId < b.loanId ? -1 : a.loanId > b.loanId ? 1 : 0));

function expectSameAsFresh(asOf: string): void {
  refreshPositions(ledger.ledger, asOf);
  const kept = byLoan(positionSnapshots(ledger.ledger, asOf));
  const fresh = byLoan(computeSnapshots(ledger.ledger, asOf));
  expect(kept.length).toBe(fresh.length);
  expect(kept).toEqual(fresh);
}

describe('loan positions kept between dashboards', () => {
  it('equal a fresh computation on every day, across month ends and a long gap', () => {
    // Starts before the demo history ends, so later payments are already known.
    for (let d = '2026-09-20'; d <= '2026-11-28'; d = addDays(d, 1)) expectSameAsFresh(d);
    // Back in time: rebuilt from scratch, still equal.
    expectSameAsFresh('2026-10-31');
  });

  it('follow payments, reversals and reassignments recorded after they were computed', async () => {
    const cases = casesInArrears(ledger, 6);
    expectSameAsFresh('2026-11-28');
    let day = '2026-11-28';
    for (let i = 0; i < 6; i++) {
      day = addDays(day, i === 2 ? 5 : 1);
      clock.set(`${day}T10:00:00+08:00`);
      const c = cases[i]!;
      await payReverseReassign(branch, c, i, 10_000 * (i + 1));
      expectSameAsFresh(day);
    }
  });

  it('write a closed day exactly as computed afresh', () => {
    const day = '2026-12-31';
    refreshPositions(ledger.ledger, day);
    ledger.db.transaction(() => {
      expect(writeSnapshotFromPositions(ledger.ledger, day)).toBeGreaterThan(200);
    })();
    expect(byLoan(readSnapshots(ledger.db, day))).toEqual(
      byLoan(computeSnapshots(ledger.ledger, day)),
    );
  });
});

describe('the dashboard summary from the contact tally', () => {
  it('equals the summary counted from every contact row, and the cases behind agree', async () => {
    const today = ledger.today();
    const manager = ledger.db
      .prepare(`SELECT id FROM users WHERE role = 'manager' AND active = 1 LIMIT 1`)
      .pluck()
      .get() as string;
    // A month with contacts in it: the demo history ends on 27 Nov.
    for (const asOf of ['2026-11-27', today]) {
      const d = await okOp<ManagerDashboard>(ledger, 'manager.dashboard', { asOf }, manager);
      const fromRows = portfolioDashboard(
        readDashboardInput(ledger.ledger, { asOf, today, contacts: 'rows' }),
      );
      expect(d.dashboard).toEqual(fromRows);
      if (asOf !== '2026-11-27') continue;
      expect(d.dashboard.ptpConversion.effective.count).toBeGreaterThan(50);
      for (const o of d.dashboard.officers) {
        const behind = await okOp<WorklistPage>(
          ledger,
          'manager.casesBehind',
          {
            asOf,
            figure: { figure: 'officer', officerId: o.officerId, measure: 'untouched' },
            limit: 500,
          },
          manager,
        );
        expect(behind.total).toBe(o.untouched.count);
      }
    }
  });
});
