// Loan products of a county rural commercial bank, with principal ranges, terms and
// nominal annual rates in the ranges such products carry (创业担保贷款 is subsidised).
export interface ProductDef {
  name: string;
  /** Share of the portfolio. */
  weight: number;
  minYuan: number;
  maxYuan: number;
  stepYuan: number;
  terms: readonly number[];
  minRatePct: number;
  maxRatePct: number;
  /** Share of these loans with a guarantor on file. */
  guarantorShare: number;
  /** Loan number series letter. */
  code: string;
}

// prettier-ignore
export const PRODUCTS: readonly ProductDef[] = [
  { name: '种养殖贷款', weight: 30, minYuan: 20_000, maxYuan: 200_000, stepYuan: 5_000, terms: [12, 24, 36], minRatePct: 5.6, maxRatePct: 7.8, guarantorShare: 0.3, code: 'ZY' },
  { name: '小额信用贷款', weight: 28, minYuan: 10_000, maxYuan: 50_000, stepYuan: 1_000, terms: [12, 24], minRatePct: 6.5, maxRatePct: 9.5, guarantorShare: 0.05, code: 'XE' },
  { name: '农户联保贷款', weight: 15, minYuan: 30_000, maxYuan: 100_000, stepYuan: 5_000, terms: [12, 24], minRatePct: 7.0, maxRatePct: 8.8, guarantorShare: 1, code: 'LB' },
  { name: '创业担保贷款', weight: 10, minYuan: 50_000, maxYuan: 300_000, stepYuan: 10_000, terms: [24, 36], minRatePct: 3.45, maxRatePct: 4.35, guarantorShare: 0.8, code: 'CY' },
  { name: '个体工商户经营贷款', weight: 10, minYuan: 50_000, maxYuan: 500_000, stepYuan: 10_000, terms: [12, 24, 36], minRatePct: 4.8, maxRatePct: 7.2, guarantorShare: 0.5, code: 'JY' },
  { name: '农村消费贷款', weight: 7, minYuan: 5_000, maxYuan: 30_000, stepYuan: 1_000, terms: [6, 12, 24], minRatePct: 7.2, maxRatePct: 10.8, guarantorShare: 0.1, code: 'XF' },
];
