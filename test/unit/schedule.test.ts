import { describe, expect, it } from 'vitest';
import { buildEqualInstalmentSchedule, loanPosition } from '../../shared/domain/schedule';
import type { Instalment, PaymentLine } from '../../shared/domain/types';

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('buildEqualInstalmentSchedule', () => {
  it('builds a 12-month annuity at 12 % a year with the textbook first instalment', () => {
    const s = buildEqualInstalmentSchedule({
      principalFen: 1_200_000,
      annualRatePct: 12,
      termMonths: 12,
      firstDueDate: '2026-01-15',
    });
    expect(s).toHaveLength(12);
    // payment = 12000 * 0.01 / (1 - 1.01^-12) = 1066.19 yuan
    expect(s[0]).toEqual({
      seq: 1,
      dueDate: '2026-01-15',
      principalFen: 94_619,
      interestFen: 12_000,
    });
    for (const inst of s.slice(0, -1)) expect(inst.principalFen + inst.interestFen).toBe(106_619);
    const last = s[11]!;
    expect(Math.abs(last.principalFen + last.interestFen - 106_619)).toBeLessThan(12);
    expect(last.dueDate).toBe('2026-12-15');
  });

  it('sums principal exactly for many loans', () => {
    for (const principalFen of [1, 99, 100_000, 333_333, 5_000_000, 12_345_678]) {
      for (const annualRatePct of [0, 3.65, 12, 24, 36]) {
        for (const termMonths of [1, 3, 7, 12, 36]) {
          const s = buildEqualInstalmentSchedule({
            principalFen,
            annualRatePct,
            termMonths,
            firstDueDate: '2026-01-31',
          });
          expect(sum(s.map((i) => i.principalFen))).toBe(principalFen);
          for (const i of s) {
            expect(Number.isInteger(i.principalFen) && i.principalFen >= 0).toBe(true);
            expect(Number.isInteger(i.interestFen) && i.interestFen >= 0).toBe(true);
          }
        }
      }
    }
  });

  it('keeps the 31st across short months (non-leap year)', () => {
    const s = buildEqualInstalmentSchedule({
      principalFen: 600_000,
      annualRatePct: 12,
      termMonths: 6,
      firstDueDate: '2026-01-31',
    });
    expect(s.map((i) => i.dueDate)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
    ]);
  });

  it('falls on 29 Feb in a leap year', () => {
    const s = buildEqualInstalmentSchedule({
      principalFen: 300_000,
      annualRatePct: 12,
      termMonths: 3,
      firstDueDate: '2028-01-30',
    });
    expect(s.map((i) => i.dueDate)).toEqual(['2028-01-30', '2028-02-29', '2028-03-30']);
  });

  it('splits an interest-free loan evenly, last instalment taking the remainder', () => {
    const s = buildEqualInstalmentSchedule({
      principalFen: 100_000,
      annualRatePct: 0,
      termMonths: 3,
      firstDueDate: '2026-05-01',
    });
    expect(s.map((i) => i.principalFen)).toEqual([33_334, 33_334, 33_332]);
    expect(s.every((i) => i.interestFen === 0)).toBe(true);
  });

  it('rejects impossible loans', () => {
    const base = {
      principalFen: 100_000,
      annualRatePct: 12,
      termMonths: 12,
      firstDueDate: '2026-01-01',
    };
    expect(() => buildEqualInstalmentSchedule({ ...base, principalFen: 0 })).toThrow(RangeError);
    expect(() => buildEqualInstalmentSchedule({ ...base, principalFen: 10.5 })).toThrow(RangeError);
    expect(() => buildEqualInstalmentSchedule({ ...base, termMonths: 0 })).toThrow(RangeError);
    expect(() => buildEqualInstalmentSchedule({ ...base, annualRatePct: -1 })).toThrow(RangeError);
    expect(() => buildEqualInstalmentSchedule({ ...base, firstDueDate: '2026-02-30' })).toThrow(
      RangeError,
    );
  });
});

// Three instalments of ¥10 principal + ¥1 interest, due on month ends in 2026.
const schedule: Instalment[] = [
  { seq: 1, dueDate: '2026-01-31', principalFen: 1000, interestFen: 100 },
  { seq: 2, dueDate: '2026-02-28', principalFen: 1000, interestFen: 100 },
  { seq: 3, dueDate: '2026-03-31', principalFen: 1000, interestFen: 100 },
];
const pay = (paidOn: string, amountFen: number): PaymentLine => ({ paidOn, amountFen });

describe('loanPosition', () => {
  it('is current before the first due date', () => {
    const p = loanPosition(schedule, [], '2026-01-30');
    expect(p).toMatchObject({
      daysPastDue: 0,
      oldestUnpaidDueDate: null,
      arrearsFen: 0,
      outstandingPrincipalFen: 3000,
      totalPaidFen: 0,
      overpaidFen: 0,
    });
    expect(p.instalments.map((i) => i.status)).toEqual(['future', 'future', 'future']);
  });

  it('treats an instalment due today as due, not overdue', () => {
    const p = loanPosition(schedule, [], '2026-01-31');
    expect(p.daysPastDue).toBe(0);
    expect(p.arrearsFen).toBe(0);
    expect(p.instalments[0]!.status).toBe('due');
  });

  it('is 1 day past due the day after, with the whole instalment in arrears', () => {
    const p = loanPosition(schedule, [], '2026-02-01');
    expect(p).toMatchObject({
      daysPastDue: 1,
      oldestUnpaidDueDate: '2026-01-31',
      arrearsFen: 1100,
    });
    expect(p.instalments[0]!.status).toBe('overdue');
  });

  it('counts DPD from the oldest unpaid instalment across February (non-leap)', () => {
    const p = loanPosition(schedule, [], '2026-03-01');
    expect(p.daysPastDue).toBe(29);
    expect(p.arrearsFen).toBe(2200);
  });

  it('counts DPD across 29 Feb in a leap year', () => {
    const leap: Instalment[] = [
      { seq: 1, dueDate: '2028-01-31', principalFen: 1000, interestFen: 0 },
      { seq: 2, dueDate: '2028-02-29', principalFen: 1000, interestFen: 0 },
    ];
    expect(loanPosition(leap, [], '2028-02-29')).toMatchObject({
      daysPastDue: 29,
      arrearsFen: 1000,
    });
    expect(loanPosition(leap, [], '2028-03-01')).toMatchObject({
      daysPastDue: 30,
      arrearsFen: 2000,
    });
  });

  it('applies a partial payment to interest first, then principal; the instalment stays overdue', () => {
    const p = loanPosition(schedule, [pay('2026-02-05', 600)], '2026-02-10');
    expect(p).toMatchObject({
      daysPastDue: 10,
      arrearsFen: 500,
      outstandingPrincipalFen: 2500,
      totalPaidFen: 600,
    });
    expect(p.instalments[0]).toMatchObject({ paidFen: 600, status: 'overdue' });
  });

  it('a payment smaller than the interest leaves all principal outstanding', () => {
    const p = loanPosition(schedule, [pay('2026-02-05', 60)], '2026-02-10');
    expect(p).toMatchObject({ arrearsFen: 1040, outstandingPrincipalFen: 3000 });
  });

  it('paying the oldest instalment moves DPD to the next unpaid one', () => {
    const p = loanPosition(schedule, [pay('2026-03-05', 1100)], '2026-03-10');
    expect(p).toMatchObject({
      daysPastDue: 10,
      oldestUnpaidDueDate: '2026-02-28',
      arrearsFen: 1100,
      outstandingPrincipalFen: 2000,
    });
    expect(p.instalments.map((i) => i.status)).toEqual(['paid', 'overdue', 'future']);
  });

  it('a full payment cures the loan', () => {
    const p = loanPosition(schedule, [pay('2026-02-03', 1100)], '2026-02-03');
    expect(p).toMatchObject({ daysPastDue: 0, arrearsFen: 0, oldestUnpaidDueDate: null });
  });

  it('ignores payments dated after asOf but counts one made on asOf', () => {
    expect(loanPosition(schedule, [pay('2026-02-11', 1100)], '2026-02-10')).toMatchObject({
      daysPastDue: 10,
      totalPaidFen: 0,
    });
    expect(loanPosition(schedule, [pay('2026-02-10', 1100)], '2026-02-10')).toMatchObject({
      daysPastDue: 0,
      totalPaidFen: 1100,
    });
  });

  it('rolls an overpayment into the next instalment as prepayment', () => {
    const p = loanPosition(schedule, [pay('2026-01-31', 1500)], '2026-02-01');
    expect(p).toMatchObject({
      daysPastDue: 0,
      arrearsFen: 0,
      outstandingPrincipalFen: 1700,
      overpaidFen: 0,
    });
    expect(p.instalments.map((i) => [i.paidFen, i.status])).toEqual([
      [1100, 'paid'],
      [400, 'partly_paid'],
      [0, 'future'],
    ]);
  });

  it('reports money paid beyond the whole schedule as overpaid', () => {
    const p = loanPosition(
      schedule,
      [pay('2026-01-10', 3000), pay('2026-01-20', 1000)],
      '2026-06-01',
    );
    expect(p).toMatchObject({
      daysPastDue: 0,
      arrearsFen: 0,
      outstandingPrincipalFen: 0,
      totalPaidFen: 4000,
      overpaidFen: 700,
    });
    expect(p.instalments.every((i) => i.status === 'paid')).toBe(true);
  });

  it('does not depend on the order of the schedule or payments', () => {
    const reversed = [...schedule].reverse();
    const payments = [pay('2026-03-02', 500), pay('2026-02-01', 700)];
    expect(loanPosition(reversed, payments, '2026-03-05')).toEqual(
      loanPosition(schedule, [...payments].reverse(), '2026-03-05'),
    );
  });

  it('works with a schedule built by buildEqualInstalmentSchedule', () => {
    const s = buildEqualInstalmentSchedule({
      principalFen: 1_200_000,
      annualRatePct: 12,
      termMonths: 12,
      firstDueDate: '2026-01-31',
    });
    const p = loanPosition(s, [], '2026-04-01');
    expect(p.daysPastDue).toBe(60);
    expect(p.arrearsFen).toBe(3 * 106_619);
    expect(p.outstandingPrincipalFen).toBe(1_200_000);
  });
});
