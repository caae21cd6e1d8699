// Both languages say everything: the compiler already checks that English has every
// Chinese key (index.ts); this checks the other way round, allowing for English plural
// forms (x_one / x_other ↔ x), and that both sides interpolate the same values, so no
// screen falls back to the other language or shows a raw {{placeholder}}.
import { describe, expect, it } from 'vitest';
import en from './en.json';
import zhCN from './zh-CN.json';

type Tree = { [key: string]: string | string[] | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else if (Array.isArray(value)) out.set(path, value.join('\u0000'));
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, '');
const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)(?:\s*,[^}]*)?\s*\}\}/g)].map((m) => m[1]).sort();

/** Keys whose languages legitimately pick different values the caller always passes together. */
const DIFFERENT_BY_DESIGN = new Set([
  // 11月28日 uses the month number, "28 Nov" its short name; format.ts passes both.
  'date.short',
]);

const english = flatten(en as Tree);
const chinese = flatten(zhCN as Tree);
const chineseBases = new Set([...chinese.keys()].map(base));

describe('translations', () => {
  it('every English text has a Chinese one', () => {
    const missing = [...english.keys()].filter((k) => !chineseBases.has(base(k)));
    expect(missing).toEqual([]);
  });

  it('both languages interpolate the same values', () => {
    const mismatched: string[] = [];
    for (const [key, zh] of chinese) {
      const enText = english.get(key) ?? english.get(`${key}_other`);
      if (enText === undefined || DIFFERENT_BY_DESIGN.has(key)) continue;
      const want = [...new Set(placeholders(zh))].filter((p) => p !== 'count');
      const have = [...new Set(placeholders(enText))].filter((p) => p !== 'count');
      if (want.join() !== have.join()) mismatched.push(`${key}: zh {${want}} en {${have}}`);
    }
    expect(mismatched).toEqual([]);
  });
});
