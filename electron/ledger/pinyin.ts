// Pinyin for search and for ordering places as a Chinese reader expects. Computed in
// JS (pinyin-pro) when reference rows are written, stored in plain columns, so queries
// never need a collation or a function SQLite does not have.
import { pinyin } from 'pinyin-pro';

export interface NamePinyin {
  /** First letters, lower case, no separators: '王德峰' → 'wdf'. */
  initials: string;
  /** Whole syllables, toneless, lower case, no separators: '王德峰' → 'wangdefeng'. */
  full: string;
}

// Names repeat a great deal (a branch has many 王秀英): pinyin-pro is the slow part of
// writing a borrower, so each distinct name is converted once per process.
const nameCache = new Map<string, NamePinyin>();
const placeCache = new Map<string, string>();
const CACHE_LIMIT = 100_000;

function clean(parts: string[]): string {
  return parts
    .join('')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** A person's name: surname readings for polyphones (曾 zeng, 单 shan, 仇 qiu). */
export function namePinyin(name: string): NamePinyin {
  let v = nameCache.get(name);
  if (v === undefined) {
    // One conversion: a syllable's first letter is its initial (pinyin-pro's 'first'
    // pattern gives the same, at the cost of a second pass over the name).
    const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' });
    v = {
      initials: clean(syllables.map((s) => [...s][0] ?? '')),
      full: clean(syllables),
    };
    if (nameCache.size >= CACHE_LIMIT) nameCache.clear();
    nameCache.set(name, v);
  }
  return v;
}

/** A township or village name as a sort key (ordinary readings: 解放村 jiefangcun). */
export function placePinyin(name: string): string {
  let v = placeCache.get(name);
  if (v === undefined) {
    v = clean(pinyin(name, { toneType: 'none', type: 'array' }));
    if (placeCache.size >= CACHE_LIMIT) placeCache.clear();
    placeCache.set(name, v);
  }
  return v;
}

/**
 * Orders cases by township, then village, in pinyin order (as the worklist facets list
 * them). The names follow their pinyin so two places that read alike never interleave;
 * U+001F / U+001E sort below every letter, so a shorter name comes before a longer one
 * that starts with it.
 */
export function routeKey(township: string, village: string): string {
  return `${placePinyin(township)}\u001f${township}\u001e${placePinyin(village)}\u001f${village}`;
}
