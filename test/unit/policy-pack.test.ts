import { describe, expect, it } from 'vitest';
import cnDefaultJson from '../../resources/policy-packs/cn-default.json';
import { BUILT_IN_PACKS, builtInPack } from '../../shared/policy/built-in-packs';
import { parsePolicyPack, PolicyPackError } from '../../shared/policy/pack';

const clone = (): Record<string, unknown> =>
  structuredClone(cnDefaultJson) as Record<string, unknown>;

function problemsOf(input: unknown): string[] {
  try {
    parsePolicyPack(input);
  } catch (err) {
    if (err instanceof PolicyPackError) return err.problems;
    throw err;
  }
  throw new Error('expected the pack to be rejected');
}

describe('built-in policy packs', () => {
  it('ship the China default and the US Regulation F pack, both valid', () => {
    expect(BUILT_IN_PACKS.map((p) => p.id)).toEqual(['cn-default', 'us-regf']);
  });

  it('carry the China defaults from DOMAIN.md', () => {
    const cn = builtInPack('cn-default')!;
    expect(cn.contactWindow).toEqual({ start: '08:00', end: '22:00' });
    expect(cn.caps.effectiveCallsPerDebtorPerDay).toBe(3);
    expect(cn.caps.attemptsPerNumberPerDay).toBe(6);
    expect(cn.channels.visit.secondCollectorRequired).toBe(true);
    expect(cn.thirdParty).toMatchObject({
      whenDebtorNumbersInvalid: true,
      afterConsecutiveFailedAttempts: 3,
      mayDiscloseDebt: false,
    });
    expect(cn.abusiveWords.zh.length).toBeGreaterThan(10);
  });

  it('carry the Regulation F limits', () => {
    const us = builtInPack('us-regf')!;
    expect(us.contactWindow).toEqual({ start: '08:00', end: '21:00' });
    expect(us.timeZone.basis).toBe('debtor_local');
    expect(us.caps.callsPerDebtPer7Days).toBe(7);
    expect(us.caps.quietDaysAfterConversation).toBe(7);
  });

  it('returns undefined for an unknown pack id', () => {
    expect(builtInPack('nope')).toBeUndefined();
  });
});

describe('parsePolicyPack', () => {
  it('accepts JSON text as well as parsed JSON', () => {
    expect(parsePolicyPack(JSON.stringify(cnDefaultJson)).id).toBe('cn-default');
  });

  it('rejects text that is not JSON', () => {
    expect(() => parsePolicyPack('{ not json')).toThrow(/Invalid policy pack \(not JSON\)/);
  });

  it('lists every bad field with its path in one error', () => {
    const pack = clone();
    pack.contactWindow = { start: '22:00', end: '08:00' };
    pack.timeZone = { basis: 'debtor_local', zone: 'Asia/Atlantis' };
    pack.caps = { ...(pack.caps as object), attemptsPerNumberPerDay: 0 };
    pack.promiseGraceDays = -1;
    const problems = problemsOf(pack);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^contactWindow\.end: start must be before end/),
        expect.stringMatching(/^timeZone\.zone: unknown IANA time zone/),
        expect.stringMatching(/^caps\.attemptsPerNumberPerDay: /),
        expect.stringMatching(/^promiseGraceDays: /),
      ]),
    );
    expect(problems).toHaveLength(4);
    expect(() => parsePolicyPack(pack)).toThrow(/Invalid policy pack 'cn-default':\n {2}/);
  });

  it('never lets a pack allow disclosing the debt to a third party', () => {
    const pack = clone();
    pack.thirdParty = { ...(pack.thirdParty as object), mayDiscloseDebt: true };
    expect(problemsOf(pack)).toEqual([expect.stringMatching(/^thirdParty\.mayDiscloseDebt: /)]);
  });

  it('rejects bucket lists with gaps', () => {
    const pack = clone();
    pack.buckets = [
      { code: 'M0', minDays: 0, maxDays: 0 },
      { code: 'M2', minDays: 31, maxDays: null },
    ];
    expect(problemsOf(pack)).toEqual([
      expect.stringMatching(/^buckets: bucket 1 \(M2\): minDays is 31, expected 1/),
    ]);
  });

  it('rejects malformed times, missing sections and unknown keys', () => {
    const pack = clone();
    pack.contactWindow = { start: '8:00', end: '22:00' };
    delete pack.channels;
    pack.maxCallsPerHour = 2;
    const problems = problemsOf(pack);
    expect(
      problems.some((p) => p.startsWith('contactWindow.start: expected a local time HH:MM')),
    ).toBe(true);
    expect(problems.some((p) => p.startsWith('channels: '))).toBe(true);
    expect(problems.some((p) => p.includes('maxCallsPerHour'))).toBe(true);
  });

  it('names a pack without an id', () => {
    expect(() => parsePolicyPack({})).toThrow(/Invalid policy pack \(no id\)/);
    expect(() => parsePolicyPack(null)).toThrow(PolicyPackError);
  });
});
