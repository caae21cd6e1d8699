// Search keys for names: the whole toneless syllables and their first letters, with the
// surname readings a Chinese reader expects, and non-Chinese characters kept as they are.
import { describe, expect, it } from 'vitest';
import { namePinyin, placePinyin } from '../../electron/ledger/pinyin';

describe('namePinyin', () => {
  it.each([
    ['王德峰', 'wangdefeng', 'wdf'],
    ['单雄信', 'shanxiongxin', 'sxx'],
    ['曾小贤', 'zengxiaoxian', 'zxx'],
    ['欧阳娜娜', 'ouyangnana', 'oynn'],
    ['长孙无忌', 'zhangsunwuji', 'zswj'],
    ['李a明', 'liaming', 'lam'],
    ['Li Wei', 'liwei', 'liwei'],
    ['朴 2号', 'piao2hao', 'p2h'],
  ])('%s → %s / %s', (name, full, initials) => {
    expect(namePinyin(name)).toEqual({ full, initials });
  });
});

describe('placePinyin', () => {
  it('reads place names with ordinary readings', () => {
    expect(placePinyin('解放村')).toBe('jiefangcun');
  });
});
