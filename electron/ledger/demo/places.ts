// The demo branch's patch: 平安县 with six townships of eight villages each.
// Village weights make some villages bigger than others, as they are.

export const DEMO_COUNTY = '平安县';
/** Region code of the county (first six digits of a resident ID). */
export const DEMO_REGION_CODE = '630221';

export interface Township {
  name: string;
  villages: readonly (readonly [string, number])[];
}

// prettier-ignore
export const TOWNSHIPS: readonly Township[] = [
  {
    name: '城关镇',
    villages: [['东关村', 2.2], ['西关村', 1.8], ['南街村', 1.5], ['北坡村', 1.0], ['新民村', 1.2], ['红旗村', 0.9], ['桥头村', 1.1], ['柳林村', 0.8]],
  },
  {
    name: '石桥镇',
    villages: [['石桥村', 1.6], ['李家庄村', 1.3], ['王家湾村', 1.0], ['河西村', 1.2], ['前进村', 0.8], ['枣林村', 0.7], ['杏花村', 0.9], ['大坪村', 0.6]],
  },
  {
    name: '柳河乡',
    villages: [['柳河村', 1.2], ['张家坪村', 0.9], ['马家沟村', 0.7], ['桃园村', 1.0], ['龙泉村', 0.8], ['双河村', 1.1], ['高家庄村', 0.6], ['三合村', 0.7]],
  },
  {
    name: '青山镇',
    villages: [['青山村', 1.4], ['石门村', 0.9], ['南岭村', 0.7], ['团结村', 1.0], ['和平村', 1.1], ['柏树村', 0.6], ['五里村', 0.8], ['金鸡村', 0.7]],
  },
  {
    name: '白沙乡',
    villages: [['白沙村', 1.1], ['太平村', 0.9], ['莲花村', 0.8], ['丰收村', 1.0], ['沙河村', 0.7], ['黄土岭村', 0.5], ['杨柳村', 0.8], ['岔路村', 0.6]],
  },
  {
    name: '黄泥乡',
    villages: [['黄泥村', 1.0], ['石佛村', 0.6], ['旗杆村', 0.5], ['胜利村', 0.9], ['光明村', 0.8], ['后山村', 0.5], ['葫芦村', 0.6], ['中心村', 1.0]],
  },
];

export interface VillageRef {
  township: string;
  village: string;
}

export const VILLAGE_WEIGHTS: readonly (readonly [VillageRef, number])[] = TOWNSHIPS.flatMap((t) =>
  t.villages.map(([village, w]) => [{ township: t.name, village }, w] as const),
);
