// A made-up portfolio for trials, tests and benchmarks: plausible borrowers in rural
// townships with one loan each, repeatable from a seed. No real person's data.
import type { PortfolioCase, PortfolioInstalment } from './portfolio-writer';

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
];
const GIVEN = [
  '秀英',
  '桂英',
  '建华',
  '建国',
  '志强',
  '玉兰',
  '海燕',
  '春梅',
  '国平',
  '丽华',
  '德明',
  '晓东',
  '红霞',
  '永刚',
];
const TOWNSHIPS = [
  { name: '石门镇', villages: ['东岭村', '西坪村', '上塘村'] },
  { name: '龙泉乡', villages: ['新屋村', '大坑村', '河口村'] },
  { name: '白沙镇', villages: ['南山村', '沙田村'] },
];

/** mulberry32: small, fast, good enough to make repeatable demo data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function addMonths(isoDate: string, months: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export interface DemoPortfolioOptions {
  count: number;
  /** Officer ids to deal the cases out to, round robin; empty leaves them unassigned. */
  officerIds: readonly string[];
  seed?: number;
  /** Business date of the snapshots. */
  asOf?: string;
  /** Makes loan numbers unique across several calls. */
  loanNoPrefix?: string;
}

export function demoPortfolio(options: DemoPortfolioOptions): PortfolioCase[] {
  const random = seededRandom(options.seed ?? 1);
  const asOf = options.asOf ?? '2026-11-27';
  const prefix = options.loanNoPrefix ?? 'DEMO';
  const cases: PortfolioCase[] = [];
  for (let i = 0; i < options.count; i++) {
    const township = pick(random, TOWNSHIPS);
    const termMonths = pick(random, [6, 12, 12, 24]);
    const principalFen = (10 + Math.floor(random() * 90)) * 100_000; // ¥1,000 – ¥10,000
    const disbursedOn = addMonths(asOf, -(3 + Math.floor(random() * 9)));
    const monthlyPrincipal = Math.floor(principalFen / termMonths);
    const schedule: PortfolioInstalment[] = [];
    let paidInstalments = Math.floor(random() * 3);
    for (let seq = 1; seq <= termMonths; seq++) {
      const dueDate = addMonths(disbursedOn, seq);
      const principal =
        seq === termMonths ? principalFen - monthlyPrincipal * (termMonths - 1) : monthlyPrincipal;
      const interestFen = Math.round(principal * 0.012);
      const paid = paidInstalments > 0 && dueDate <= asOf;
      if (paid) paidInstalments--;
      schedule.push({
        seq,
        dueDate,
        principalFen: principal,
        interestFen,
        paidFen: paid ? principal + interestFen : 0,
      });
    }
    const repaid = schedule.reduce((sum, s) => sum + (s.paidFen > 0 ? s.principalFen : 0), 0);
    const phone = `1${pick(random, ['3', '5', '8'])}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
    const village = pick(random, township.villages);
    cases.push({
      borrower: {
        externalRef: `${prefix}-C${String(i + 1).padStart(6, '0')}`,
        name: `${pick(random, SURNAMES)}${pick(random, GIVEN)}`,
        gender: random() < 0.5 ? 'F' : 'M',
        idNumber: `4401${String(Math.floor(random() * 1e13)).padStart(13, '0')}X`,
        township: township.name,
        village,
        county: '从化区',
        address: `${township.name}${village}${1 + Math.floor(random() * 80)}号`,
      },
      contactPoints: [
        { kind: 'mobile', value: phone, party: 'borrower' },
        {
          kind: 'mobile',
          value: `139${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
          party: 'spouse',
          relation: '配偶',
        },
      ],
      loans: [
        {
          loanNo: `${prefix}-L${String(i + 1).padStart(6, '0')}`,
          product: pick(random, ['农户小额信用贷款', '个体工商户经营贷']),
          principalFen,
          disbursedOn,
          termMonths,
          status: 'active',
          snapshot: {
            asOf,
            status: 'active',
            outstandingPrincipalFen: principalFen - repaid,
            schedule,
          },
        },
      ],
      officerId:
        options.officerIds.length > 0
          ? (options.officerIds[i % options.officerIds.length] as string)
          : null,
    });
  }
  return cases;
}
