// One address column split into the levels the worklist groups by.
import { describe, expect, it } from 'vitest';
import { splitAddress } from '../../shared/import/address';

describe('splitAddress', () => {
  it.each([
    ['龙泉镇张湾村', { county: null, township: '龙泉镇', village: '张湾村', detail: null }],
    ['平安县龙泉镇张湾村5组', { county: '平安县', township: '龙泉镇', village: '张湾村', detail: '5组' }],
    ['平安县 石桥乡 青龙村 3组12号', { county: '平安县', township: '石桥乡', village: '青龙村', detail: '3组12号' }],
    ['城关镇友谊社区', { county: null, township: '城关镇', village: '友谊社区', detail: null }],
    ['新市镇张湾村委会', { county: null, township: '新市镇', village: '张湾村', detail: null }],
    ['乡宁镇北山村民委员会', { county: null, township: '乡宁镇', village: '北山村', detail: null }],
    ['张湾村5组', { county: null, township: null, village: '张湾村', detail: '5组' }],
    ['双流区九江街道友谊社区居委会', { county: '双流区', township: '九江街道', village: '友谊社区', detail: null }],
    ['石桥乡', { county: null, township: '石桥乡', village: null, detail: null }],
  ])('%s', (address, expected) => {
    expect(splitAddress(address)).toMatchObject(expected);
  });

  it('takes province and prefecture off the front', () => {
    expect(splitAddress('四川省成都市双流区九江街道友谊社区')).toEqual({
      province: '四川省',
      city: '成都市',
      county: '双流区',
      township: '九江街道',
      village: '友谊社区',
      detail: null,
    });
  });

  it('leaves text without administrative suffixes alone', () => {
    expect(splitAddress('123 Main Street')).toMatchObject({ county: null, township: null, village: null, detail: '123MainStreet' });
  });

  it('reads full-width text', () => {
    expect(splitAddress('平安县龙泉镇张湾村５组')).toMatchObject({ village: '张湾村', detail: '5组' });
  });
});
