// The first due date of a rebuilt schedule: the anchor the file gives (next due date, or
// the date days past due point at) walked back a month at a time, on its day, while still
// after disbursement and within the term. The import counts the months instead of walking
// them; this checks the count against the walk over every kind of month end.
import { describe, expect, it } from 'vitest';
import { addDays, addMonthsClamped } from '../../shared/dates';
import { planLoanSnapshot, type SnapshotTerms } from '../../shared/import/loan-snapshot';

function walkedFirstDue(disbursedOn: string, anchor: string, termMonths: number): string {
  if (anchor <= disbursedOn) return addMonthsClamped(disbursedOn, 1);
  const day = Number(anchor.slice(8, 10));
  let k = 0;
  while (k < termMonths - 1 && addMonthsClamped(anchor, -(k + 1), day) > disbursedOn) k++;
  return addMonthsClamped(anchor, -k, day);
}

function terms(disbursedOn: string, nextDueOn: string, termMonths: number): SnapshotTerms {
  return {
    principalFen: 1_200_000,
    disbursedOn,
    termMonths,
    annualRatePct: 12,
    installmentFen: null,
    outstandingFen: 1_200_000,
    arrearsFen: 0,
    daysPastDue: 0,
    nextDueOn,
    asOfDate: nextDueOn,
  };
}

describe('first due date of a rebuilt schedule', () => {
  it('is the anchor walked back on its day, for month ends, leap days and every term', () => {
    let checked = 0;
    for (let a = 0; a < 430; a += 3) {
      const disbursedOn = addDays('2023-12-20', a);
      for (let b = 1; b < 520; b += 11) {
        const anchor = addDays(disbursedOn, b);
        for (const termMonths of [1, 3, 12, 36]) {
          const plan = planLoanSnapshot(terms(disbursedOn, anchor, termMonths));
          expect(plan.schedule[0]!.dueDate).toBe(walkedFirstDue(disbursedOn, anchor, termMonths));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20_000);
  });

  it('walks a month-end anchor back through a leap February: disbursed 31 Jan, next due 30 Apr → first due 29 Feb (2024)', () => {
    const plan = planLoanSnapshot(terms('2024-01-31', '2024-04-30', 12));
    expect(plan.schedule[0]!.dueDate).toBe('2024-02-29');
  });
});
