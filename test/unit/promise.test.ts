import { describe, expect, it } from 'vitest';
import { promiseStatus } from '../../shared/domain/promise';
import type { PaymentLine, PromiseToPay } from '../../shared/domain/types';

// Promise taken on 10 Nov for ¥500 by 20 Nov; grace 3 days -> payments count up to 23 Nov.
const promise: PromiseToPay = { madeOn: '2026-11-10', dueDate: '2026-11-20', amountFen: 50_000 };
const GRACE = 3;
const pay = (paidOn: string, amountFen: number): PaymentLine => ({ paidOn, amountFen });

describe('promiseStatus', () => {
  it('is pending with no payment until the grace period ends, then broken', () => {
    expect(promiseStatus(promise, [], '2026-11-10', GRACE)).toEqual({
      status: 'pending',
      paidFen: 0,
    });
    expect(promiseStatus(promise, [], '2026-11-20', GRACE)).toEqual({
      status: 'pending',
      paidFen: 0,
    });
    expect(promiseStatus(promise, [], '2026-11-23', GRACE)).toEqual({
      status: 'pending',
      paidFen: 0,
    });
    expect(promiseStatus(promise, [], '2026-11-24', GRACE)).toEqual({
      status: 'broken',
      paidFen: 0,
    });
  });

  it('is kept early, the day the full amount arrives', () => {
    expect(promiseStatus(promise, [pay('2026-11-12', 50_000)], '2026-11-12', GRACE)).toEqual({
      status: 'kept',
      paidFen: 50_000,
    });
  });

  it('is kept when paid on the due date or inside the grace period', () => {
    expect(promiseStatus(promise, [pay('2026-11-20', 50_000)], '2026-12-31', GRACE).status).toBe(
      'kept',
    );
    expect(promiseStatus(promise, [pay('2026-11-22', 50_000)], '2026-12-31', GRACE).status).toBe(
      'kept',
    );
    // last day of grace
    expect(promiseStatus(promise, [pay('2026-11-23', 50_000)], '2026-12-31', GRACE).status).toBe(
      'kept',
    );
  });

  it('is broken when the money came one day after the grace period', () => {
    expect(promiseStatus(promise, [pay('2026-11-24', 50_000)], '2026-12-31', GRACE)).toEqual({
      status: 'broken',
      paidFen: 0,
    });
  });

  it('with zero grace days, the due date is the last day', () => {
    expect(promiseStatus(promise, [pay('2026-11-20', 50_000)], '2026-11-21', 0).status).toBe(
      'kept',
    );
    expect(promiseStatus(promise, [], '2026-11-21', 0).status).toBe('broken');
    expect(promiseStatus(promise, [pay('2026-11-21', 50_000)], '2026-11-21', 0).status).toBe(
      'broken',
    );
  });

  it('is partly kept after grace when some but not all of the amount came', () => {
    const payments = [pay('2026-11-15', 20_000), pay('2026-11-21', 10_000)];
    expect(promiseStatus(promise, payments, '2026-11-22', GRACE)).toEqual({
      status: 'pending',
      paidFen: 30_000,
    });
    expect(promiseStatus(promise, payments, '2026-11-24', GRACE)).toEqual({
      status: 'partly_kept',
      paidFen: 30_000,
    });
  });

  it('adds several payments up to the amount', () => {
    const payments = [pay('2026-11-15', 20_000), pay('2026-11-18', 30_000)];
    expect(promiseStatus(promise, payments, '2026-11-18', GRACE)).toEqual({
      status: 'kept',
      paidFen: 50_000,
    });
    expect(promiseStatus(promise, payments, '2026-11-17', GRACE)).toEqual({
      status: 'pending',
      paidFen: 20_000,
    });
  });

  it('reports an overpayment in full and counts it as kept', () => {
    expect(promiseStatus(promise, [pay('2026-11-19', 80_000)], '2026-11-30', GRACE)).toEqual({
      status: 'kept',
      paidFen: 80_000,
    });
  });

  it('ignores payments made before the promise was taken', () => {
    expect(promiseStatus(promise, [pay('2026-11-09', 50_000)], '2026-11-30', GRACE)).toEqual({
      status: 'broken',
      paidFen: 0,
    });
    expect(promiseStatus(promise, [pay('2026-11-10', 50_000)], '2026-11-30', GRACE).status).toBe(
      'kept',
    );
  });

  it('ignores payments dated after asOf', () => {
    expect(promiseStatus(promise, [pay('2026-11-21', 50_000)], '2026-11-20', GRACE)).toEqual({
      status: 'pending',
      paidFen: 0,
    });
  });

  it('refuses negative grace days', () => {
    expect(() => promiseStatus(promise, [], '2026-11-20', -1)).toThrow(RangeError);
  });
});
