import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import en from '../../i18n/en.json';
import { figureFileStem, figureTitle } from './figure-title';

// A tiny stand-in for i18next over the real English file: nested keys, {{x}} values and
// the _one/_other plural forms, enough to read the titles a manager sees.
function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => {
    return node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  }, en);
}
const t = ((key: string, values: Record<string, unknown> = {}) => {
  const count = values['count'];
  const plural =
    typeof count === 'number' ? lookup(`${key}_${count === 1 ? 'one' : 'other'}`) : undefined;
  const text = plural ?? lookup(key);
  if (typeof text !== 'string') return key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
}) as unknown as TFunction;
const names = (id: string) => (id === 'o1' ? 'Zhang Lei' : id);

describe('figureTitle', () => {
  it('names the PAR level and the days it counts', () => {
    expect(figureTitle({ figure: 'par', days: 30 }, t, names)).toBe(
      'PAR30: loans with an instalment more than 30 days late',
    );
  });

  it('names the officer and the measure', () => {
    expect(
      figureTitle({ figure: 'officer', officerId: 'o1', measure: 'untouched' }, t, names),
    ).toBe('Zhang Lei · cases untouched this month');
  });

  it('names the start bucket and what became of it', () => {
    expect(figureTitle({ figure: 'roll', bucket: 'M1', outcome: 'cured' }, t, names)).toBe(
      'M1 at the start of the month → cured (back to current)',
    );
    expect(figureTitle({ figure: 'rollMatrix', fromBucket: 'M1', toBucket: 'M2' }, t, names)).toBe(
      'M1 at the start of the month → M2 now',
    );
  });

  it('has words for every simple figure and group', () => {
    const titles = [
      figureTitle({ figure: 'portfolio' }, t, names),
      figureTitle({ figure: 'arrears' }, t, names),
      figureTitle({ figure: 'cured' }, t, names),
      figureTitle({ figure: 'newLoans' }, t, names),
      figureTitle({ figure: 'neverContacted' }, t, names),
      figureTitle({ figure: 'noContact', days: 7 }, t, names),
      figureTitle({ figure: 'collection', group: 'short' }, t, names),
      figureTitle({ figure: 'promises', group: 'matured' }, t, names),
      figureTitle({ figure: 'ptp', group: 'promised' }, t, names),
      figureTitle({ figure: 'overrides', group: 'toReview' }, t, names),
      figureTitle({ figure: 'aging', bucket: 'M0' }, t, names),
    ];
    for (const title of titles) expect(title).not.toMatch(/^manager\./);
    expect(new Set(titles).size).toBe(titles.length);
  });
});

describe('figureFileStem', () => {
  it('is plain ASCII a file system accepts', () => {
    expect(figureFileStem({ figure: 'par', days: 30 }, '2026-11-28')).toBe('par30-2026-11-28');
    expect(figureFileStem({ figure: 'aging', bucket: 'M6+' }, '2026-11-28')).toBe(
      'aging-M6plus-2026-11-28',
    );
    expect(figureFileStem({ figure: 'aging', bucket: '逾期' }, '2026-11-28')).toBe(
      'aging-_-2026-11-28',
    );
  });
});
