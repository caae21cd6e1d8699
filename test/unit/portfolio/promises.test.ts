import { describe, expect, it } from 'vitest';
import { promiseMetrics, type PromiseRow } from '../../../shared/domain/portfolio';
import { promiseStatus } from '../../../shared/domain/promise';
import type { PaymentLine } from '../../../shared/domain/types';

// November 2026, grace 3 days, statuses judged on 30 Nov with promiseStatus.
//
// id  made    due     amount  payments            status on 30 Nov  matured (due+3 < 30 Nov)?
// P1  5 Nov   10 Nov  50,000  50,000 on 13 Nov    kept: last grace day   yes (13 Nov)
// P2  5 Nov   10 Nov  30,000  30,000 on 14 Nov    broken: a day too late yes
// P3  12 Nov  20 Nov  20,000   5,000 on 18 Nov    partly kept            yes (23 Nov)
// P4  25 Nov  28 Nov  10,000  none                pending                no  (1 Dec)
// P5  25 Nov  27 Nov  10,000  10,000 on 26 Nov    kept early             no  (30 Nov is not before 30 Nov)
// P6  25 Oct  3 Nov   40,000  40,000 on 3 Nov     kept                   yes (made in October)
// P7  28 Nov  5 Dec   15,000  none                pending, falls due in December
// P8  20 Nov  26 Nov  10,000  none                broken                 yes (29 Nov)
//
// made in November: P1 P2 P3 P4 P5 P7 P8 = 7 (50 + 30 + 20 + 10 + 10 + 15 + 10 = 145,000)
// falling due in November: P1..P6, P8 = 7 -> kept P1 P5 P6 (3), partly P3, broken P2 P8, pending P4
// kept rate = kept among matured ÷ matured = {P1, P6} ÷ {P1, P2, P3, P6, P8} = 2 ÷ 5
const GRACE = 3;
const AS_OF = '2026-11-30';
const november = { from: '2026-11-01', to: AS_OF };
const pay = (paidOn: string, amountFen: number): PaymentLine => ({ paidOn, amountFen });

function promise(
  promiseId: string,
  caseId: string,
  madeOn: string,
  dueDate: string,
  amountFen: number,
  payments: PaymentLine[],
): PromiseRow {
  const { status } = promiseStatus({ madeOn, dueDate, amountFen }, payments, AS_OF, GRACE);
  return { promiseId, caseId, officerId: 'officer-1', madeOn, dueDate, amountFen, status };
}

const promises: PromiseRow[] = [
  promise('P1', 'C1', '2026-11-05', '2026-11-10', 50_000, [pay('2026-11-13', 50_000)]),
  promise('P2', 'C2', '2026-11-05', '2026-11-10', 30_000, [pay('2026-11-14', 30_000)]),
  promise('P3', 'C3', '2026-11-12', '2026-11-20', 20_000, [pay('2026-11-18', 5_000)]),
  promise('P4', 'C4', '2026-11-25', '2026-11-28', 10_000, []),
  promise('P5', 'C5', '2026-11-25', '2026-11-27', 10_000, [pay('2026-11-26', 10_000)]),
  promise('P6', 'C6', '2026-10-25', '2026-11-03', 40_000, [pay('2026-11-03', 40_000)]),
  promise('P7', 'C7', '2026-11-28', '2026-12-05', 15_000, []),
  promise('P8', 'C1', '2026-11-20', '2026-11-26', 10_000, []),
];

describe('promiseMetrics', () => {
  const m = promiseMetrics(promises, november, { graceDays: GRACE });

  it('reads the statuses as promiseStatus gave them', () => {
    expect(promises.map((p) => p.status)).toEqual([
      'kept',
      'broken',
      'partly_kept',
      'pending',
      'kept',
      'kept',
      'pending',
      'broken',
    ]);
  });

  it('counts promises made in the period', () => {
    expect(m.made).toMatchObject({ count: 7, amountFen: 145_000 });
    expect(m.made.promiseIds).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P7', 'P8']);
  });

  it('splits the promises falling due into kept, partly kept, broken and pending', () => {
    expect(m.fallingDue.count).toBe(7);
    expect(m.kept.promiseIds).toEqual(['P1', 'P5', 'P6']);
    expect(m.partlyKept.promiseIds).toEqual(['P3']);
    expect(m.broken.promiseIds).toEqual(['P2', 'P8']);
    expect(m.pending.promiseIds).toEqual(['P4']);
    expect(m.kept.count + m.partlyKept.count + m.broken.count + m.pending.count).toBe(
      m.fallingDue.count,
    );
    expect(m.broken.caseIds).toEqual(['C2', 'C1']);
  });

  it('counts a promise paid on the last grace day as kept and one a day later as broken', () => {
    expect(m.kept.promiseIds).toContain('P1');
    expect(m.broken.promiseIds).toContain('P2');
  });

  it('divides kept by the promises whose date + grace has passed', () => {
    expect(m.keptRate).toMatchObject({ kept: 2, matured: 5, ratio: 0.4 });
    expect(m.keptRate.promiseIds).toEqual(['P1', 'P2', 'P3', 'P6', 'P8']);
  });

  it('leaves a promise out of the rate until its grace ends, even if already kept', () => {
    // P5 kept on 26 Nov, due 27 Nov: its last grace day is 30 Nov, so not yet matured.
    expect(m.keptRate.promiseIds).not.toContain('P5');
    // One day later (period to 1 Dec) P5 matures and counts: kept {P1, P5, P6} of
    // {P1, P2, P3, P5, P6, P8}. P4 (due 28 Nov) is still inside its grace on 1 Dec.
    const later = promiseMetrics(
      promises,
      { from: '2026-11-01', to: '2026-12-01' },
      { graceDays: GRACE },
    );
    expect(later.keptRate).toMatchObject({ kept: 3, matured: 6, ratio: 0.5 });
    expect(later.keptRate.promiseIds).not.toContain('P4');
  });

  it('with no matured promise the rate is 0 with a 0 denominator', () => {
    const early = promiseMetrics(
      promises,
      { from: '2026-11-01', to: '2026-11-05' },
      { graceDays: GRACE },
    );
    // P6 is due 3 Nov; 3 + 3 = 6 Nov is not before 5 Nov.
    expect(early.keptRate).toMatchObject({ kept: 0, matured: 0, ratio: 0 });
    expect(promiseMetrics([], november, { graceDays: GRACE }).made.count).toBe(0);
  });

  it('refuses a negative grace', () => {
    expect(() => promiseMetrics(promises, november, { graceDays: -1 })).toThrow(RangeError);
  });
});
