import { describe, expect, it } from 'vitest';
import {
  affordableInstalment,
  disposableIncome,
  proposePlanSchedule,
  type PlanRequest,
} from '../../shared/domain/hardship';

describe('affordableInstalment', () => {
  it('is half of disposable income, rounded down to whole yuan', () => {
    // ¥3,000 income - ¥1,800 essentials - ¥300 other debt = ¥900 disposable -> ¥450
    const cf = {
      monthlyIncomeFen: 300_000,
      essentialExpensesFen: 180_000,
      otherDebtPaymentsFen: 30_000,
    };
    expect(disposableIncome(cf)).toBe(90_000);
    expect(affordableInstalment(cf)).toBe(45_000);
    // ¥901.99 disposable -> ¥450.995 -> ¥450
    expect(affordableInstalment({ ...cf, monthlyIncomeFen: 300_199 })).toBe(45_000);
  });

  it('is 0, never negative, when the household falls short', () => {
    const short = {
      monthlyIncomeFen: 150_000,
      essentialExpensesFen: 180_000,
      otherDebtPaymentsFen: 0,
    };
    expect(disposableIncome(short)).toBe(-30_000);
    expect(affordableInstalment(short)).toBe(0);
    expect(
      affordableInstalment({
        monthlyIncomeFen: 0,
        essentialExpensesFen: 0,
        otherDebtPaymentsFen: 0,
      }),
    ).toBe(0);
    // ¥1.99 disposable: half is under one yuan
    expect(
      affordableInstalment({
        monthlyIncomeFen: 199,
        essentialExpensesFen: 0,
        otherDebtPaymentsFen: 0,
      }),
    ).toBe(0);
  });

  it('rejects negative or fractional amounts', () => {
    expect(() =>
      affordableInstalment({
        monthlyIncomeFen: -1,
        essentialExpensesFen: 0,
        otherDebtPaymentsFen: 0,
      }),
    ).toThrow(RangeError);
    expect(() =>
      affordableInstalment({
        monthlyIncomeFen: 100,
        essentialExpensesFen: 0.5,
        otherDebtPaymentsFen: 0,
      }),
    ).toThrow(RangeError);
  });
});

const base: PlanRequest = {
  outstandingFen: 1_200_000,
  arrearsFen: 300_000,
  affordableFen: 500_000,
  startDate: '2026-12-15',
  maxMonths: 24,
};

describe('proposePlanSchedule', () => {
  it('evens instalments out instead of a small last one', () => {
    const plan = proposePlanSchedule(base);
    expect(plan).toMatchObject({
      ok: true,
      months: 3,
      monthlyFen: 400_000,
      arrearsClearedOn: '2026-12-15',
    });
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.instalments).toEqual([
      { seq: 1, dueDate: '2026-12-15', principalFen: 400_000, interestFen: 0 },
      { seq: 2, dueDate: '2027-01-15', principalFen: 400_000, interestFen: 0 },
      { seq: 3, dueDate: '2027-02-15', principalFen: 400_000, interestFen: 0 },
    ]);
  });

  it('sums exactly, never exceeds the affordable amount, and rounds to whole yuan when it fits', () => {
    for (const outstandingFen of [1, 99, 12_345, 1_000_001, 7_654_321]) {
      for (const affordableFen of [100, 333, 45_000, 450_050]) {
        const plan = proposePlanSchedule({
          ...base,
          outstandingFen,
          arrearsFen: 0,
          affordableFen,
          maxMonths: 100_000,
        });
        if (!plan.ok) throw new Error(`no plan for ${outstandingFen}/${affordableFen}`);
        const amounts = plan.instalments.map((i) => i.principalFen);
        expect(amounts.reduce((a, b) => a + b, 0)).toBe(outstandingFen);
        expect(Math.max(...amounts)).toBeLessThanOrEqual(affordableFen);
        expect(Math.min(...amounts)).toBeGreaterThan(0);
        expect(plan.months).toBe(Math.ceil(outstandingFen / affordableFen));
        if (affordableFen % 100 === 0 && plan.months > 1) expect(plan.monthlyFen % 100).toBe(0);
        expect(plan.monthlyFen).toBe(amounts[0]);
      }
    }
  });

  it('keeps the start day across month ends, 29 Feb included', () => {
    const plan = proposePlanSchedule({
      ...base,
      outstandingFen: 500_000,
      affordableFen: 100_000,
      startDate: '2027-12-31',
    });
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.instalments.map((i) => i.dueDate)).toEqual([
      '2027-12-31',
      '2028-01-31',
      '2028-02-29',
      '2028-03-31',
      '2028-04-30',
    ]);
  });

  it('says when the current arrears are repaid', () => {
    const plan = proposePlanSchedule({
      ...base,
      outstandingFen: 1_000_000,
      arrearsFen: 250_000,
      affordableFen: 100_000,
    });
    expect(plan).toMatchObject({ ok: true, months: 10, arrearsClearedOn: '2027-02-15' });
    expect(proposePlanSchedule({ ...base, arrearsFen: 0 })).toMatchObject({
      ok: true,
      arrearsClearedOn: null,
    });
  });

  it('refuses a plan longer than the lender accepts, saying what monthly amount would do', () => {
    expect(proposePlanSchedule({ ...base, affordableFen: 45_000, maxMonths: 24 })).toEqual({
      ok: false,
      refusal: {
        code: 'exceeds_max_months',
        monthsNeeded: 27,
        maxMonths: 24,
        minMonthlyFen: 50_000,
        affordableFen: 45_000,
      },
    });
    // exactly maxMonths fits
    expect(proposePlanSchedule({ ...base, affordableFen: 50_000, maxMonths: 24 })).toMatchObject({
      ok: true,
      months: 24,
    });
  });

  it('refuses when the household can pay nothing, or nothing is owed', () => {
    expect(proposePlanSchedule({ ...base, affordableFen: 0 })).toEqual({
      ok: false,
      refusal: { code: 'no_repayment_capacity', affordableFen: 0 },
    });
    expect(proposePlanSchedule({ ...base, outstandingFen: 0, arrearsFen: 0 })).toEqual({
      ok: false,
      refusal: { code: 'nothing_to_repay' },
    });
  });

  it('rejects inconsistent input as a bug, not a refusal', () => {
    expect(() => proposePlanSchedule({ ...base, arrearsFen: 2_000_000 })).toThrow(RangeError);
    expect(() => proposePlanSchedule({ ...base, maxMonths: 0 })).toThrow(RangeError);
    expect(() => proposePlanSchedule({ ...base, outstandingFen: -5 })).toThrow(RangeError);
    expect(() => proposePlanSchedule({ ...base, startDate: '2026-02-30' })).toThrow(RangeError);
  });
});
