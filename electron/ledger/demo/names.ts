// Chinese personal names for the demo: surnames weighted by their share of the
// population (2020 census order, rounded percentages), given names from common
// rural names of the 1950s-1990s generations and from common character pairs.
import { weighted, type Prng } from './prng';

// prettier-ignore
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 7.12], ['李', 7.0], ['张', 6.74], ['刘', 5.1], ['陈', 4.61], ['杨', 3.22], ['黄', 2.45], ['赵', 2.19],
  ['吴', 2.08], ['周', 1.95], ['徐', 1.45], ['孙', 1.38], ['马', 1.29], ['朱', 1.26], ['胡', 1.16], ['郭', 1.13],
  ['何', 1.06], ['林', 1.02], ['高', 1.0], ['罗', 0.93], ['郑', 0.89], ['梁', 0.85], ['谢', 0.76], ['宋', 0.7],
  ['唐', 0.69], ['许', 0.68], ['韩', 0.66], ['邓', 0.65], ['冯', 0.64], ['曹', 0.62], ['彭', 0.6], ['曾', 0.59],
  ['肖', 0.57], ['田', 0.54], ['董', 0.53], ['潘', 0.51], ['袁', 0.51], ['蔡', 0.49], ['蒋', 0.48], ['余', 0.48],
  ['于', 0.46], ['杜', 0.44], ['叶', 0.44], ['程', 0.43], ['魏', 0.42], ['苏', 0.42], ['吕', 0.41], ['丁', 0.41],
  ['任', 0.4], ['卢', 0.39], ['姚', 0.38], ['沈', 0.37], ['钟', 0.36], ['姜', 0.35], ['崔', 0.35], ['谭', 0.34],
  ['陆', 0.33], ['范', 0.31], ['汪', 0.31], ['廖', 0.31], ['石', 0.3], ['金', 0.29], ['贾', 0.28], ['韦', 0.28],
  ['夏', 0.27], ['付', 0.27], ['方', 0.27], ['邹', 0.25], ['熊', 0.25], ['白', 0.25], ['孟', 0.25], ['秦', 0.24],
  ['邱', 0.24], ['侯', 0.23], ['江', 0.23], ['尹', 0.23], ['薛', 0.22], ['闫', 0.22], ['段', 0.21], ['雷', 0.21],
  ['龙', 0.2], ['黎', 0.2], ['史', 0.2], ['陶', 0.19], ['贺', 0.19], ['毛', 0.18], ['郝', 0.18], ['顾', 0.18],
  ['龚', 0.18], ['邵', 0.17], ['万', 0.17], ['武', 0.16], ['钱', 0.16], ['戴', 0.16], ['严', 0.16], ['孔', 0.15],
  ['常', 0.14], ['汤', 0.14], ['康', 0.14], ['乔', 0.13], ['文', 0.13], ['祁', 0.1], ['辛', 0.08], ['鲁', 0.08],
];

// prettier-ignore
const MALE_GIVEN = [
  '建国', '建军', '建华', '国强', '国庆', '志强', '志刚', '永刚', '永强', '红军', '卫东', '春生', '德明', '德华',
  '长江', '振华', '宏伟', '新民', '文斌', '海军', '金龙', '福生', '庆丰', '玉林', '树林', '保国', '立新', '晓东',
  '学军', '海波', '伟', '强', '军', '勇', '磊', '涛', '斌', '波', '明', '亮', '刚', '杰', '鹏', '峰', '超', '辉',
];
// prettier-ignore
const FEMALE_GIVEN = [
  '秀英', '桂英', '秀兰', '玉兰', '桂兰', '淑珍', '凤英', '玉梅', '秀珍', '丽娟', '春梅', '海燕', '金凤', '翠花',
  '彩霞', '小红', '晓燕', '美华', '玉华', '桂芳', '秀云', '红梅', '冬梅', '雪梅', '丽萍', '亚楠', '婷婷', '丽',
  '敏', '静', '燕', '艳', '芳', '娟', '霞', '红', '平', '慧', '琴', '莉', '英', '梅', '婷', '颖',
];
const MALE_FIRST = '建国志永德文明海春新金玉立学振家小晓俊宏'.split('');
const MALE_SECOND = '华强军明平林生东峰伟刚成龙斌杰波辉勇民'.split('');
const FEMALE_FIRST = '秀桂玉淑凤丽春海金翠彩小晓美红冬雪亚慧静'.split('');
const FEMALE_SECOND = '英兰珍梅芳娟霞燕萍凤花琴莉红丽云华洁玲敏'.split('');

const pickSurname = weighted(SURNAMES);

export type Gender = 'F' | 'M';

export function surname(prng: Prng): string {
  return pickSurname(prng);
}

export function givenName(prng: Prng, gender: Gender): string {
  const x = prng.next();
  if (x < 0.5) return prng.pick(gender === 'M' ? MALE_GIVEN : FEMALE_GIVEN);
  if (x < 0.9) {
    return gender === 'M'
      ? prng.pick(MALE_FIRST) + prng.pick(MALE_SECOND)
      : prng.pick(FEMALE_FIRST) + prng.pick(FEMALE_SECOND);
  }
  return prng.pick(gender === 'M' ? MALE_SECOND : FEMALE_SECOND);
}

export function personName(prng: Prng, gender: Gender): string {
  return surname(prng) + givenName(prng, gender);
}

// Mobile number blocks of the three carriers, weighted roughly by subscribers.
// prettier-ignore
const MOBILE_PREFIXES = [
  '134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '182', '183', '187',
  '188', '198', '130', '131', '132', '155', '156', '166', '185', '186', '133', '153', '173', '177', '180', '181',
  '189', '199',
];

export function mobileNumber(prng: Prng): string {
  return prng.pick(MOBILE_PREFIXES) + String(prng.int(0, 99_999_999)).padStart(8, '0');
}

/** Resident ID with the birth date and order digits masked: region + 8 stars + last 4. */
export function maskedIdNumber(prng: Prng, regionCode: string): string {
  const tail = String(prng.int(0, 999)).padStart(3, '0');
  const check = prng.chance(1 / 11) ? 'X' : String(prng.int(0, 9));
  return `${regionCode}********${tail}${check}`;
}
