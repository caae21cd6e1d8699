// The report's charts as ECharts options, built from the dashboard summary in the report's
// language. Colours follow the app's bucket severity (components/bucket-tag) and read in
// greyscale too: the darker, the worse.
import type { TFunction } from 'i18next';
import type { DashboardSummary } from '../../../../shared/domain/portfolio';
import type { UserSummary } from '../../../../shared/api/contract';
import type { FormatContext } from '../../i18n/format';
import type { ReportChartOption } from './report-chart';
import { percent, yuan } from './report-format';

const BUCKET_COLORS = ['#52a36b', '#e3b341', '#ee8a2f', '#e0582b', '#c62f2f', '#8e1b52'];

export function bucketColorAt(index: number): string {
  return BUCKET_COLORS[Math.min(index, BUCKET_COLORS.length - 1)]!;
}

const AXIS = {
  axisLine: { lineStyle: { color: '#9ca3af' } },
  axisTick: { show: false },
  splitLine: { lineStyle: { color: '#eef0f3' } },
} as const;

/** Axis labels for large sums: '3,807万' / '¥38.1M'. */
function compactYuan(fen: number, ctx: FormatContext): string {
  const y = fen / 100;
  if (y === 0) return '0';
  if (ctx.lang === 'zh-CN')
    return ctx.t('report.chart.tenThousand', {
      value: Math.round(y / 1e4).toLocaleString('en-US'),
    });
  return y >= 1e6 ? `¥${(y / 1e6).toFixed(1)}M` : `¥${Math.round(y / 1e3)}k`;
}

/** '1–30', '181+', '0': the bucket's days past due, short enough for an axis label. */
function dayRange(b: { minDays: number; maxDays: number | null }): string {
  if (b.maxDays === null) return `${b.minDays}+`;
  return b.minDays === b.maxDays ? String(b.minDays) : `${b.minDays}–${b.maxDays}`;
}

export function agingChart(d: DashboardSummary, ctx: FormatContext): ReportChartOption {
  const { buckets } = d.aging;
  return {
    grid: { left: 56, right: 8, top: 22, bottom: 40 },
    xAxis: {
      type: 'category',
      data: buckets.map((b) => `${b.code}\n${dayRange(b)}`),
      ...AXIS,
      axisLabel: { fontSize: 9, lineHeight: 12, interval: 0 },
    },
    yAxis: {
      type: 'value',
      ...AXIS,
      axisLabel: { fontSize: 9, formatter: (v: number) => compactYuan(v, ctx) },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 36,
        data: buckets.map((b, i) => ({
          value: b.balanceFen,
          itemStyle: { color: bucketColorAt(i) },
        })),
        label: {
          show: true,
          position: 'top',
          fontSize: 9,
          formatter: (p) => percent(buckets[p.dataIndex]?.share ?? 0, d.aging.totals.balanceFen),
        },
      },
    ],
  };
}

export function parChart(d: DashboardSummary, t: TFunction): ReportChartOption {
  const levels = d.par.levels;
  const gross = d.par.grossFen;
  const names = levels.map((l) => `PAR${l.days}`);
  return {
    legend: { top: 0, right: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 9 } },
    grid: { left: 44, right: 48, top: 24, bottom: 18 },
    xAxis: {
      type: 'value',
      max: 1,
      ...AXIS,
      axisLabel: { fontSize: 9, formatter: (v: number) => `${Math.round(v * 100)}%` },
    },
    yAxis: { type: 'category', data: names, inverse: true, ...AXIS, axisLabel: { fontSize: 10 } },
    series: [
      {
        type: 'bar',
        name: t('report.chart.parOther'),
        stack: 'par',
        barWidth: 18,
        itemStyle: { color: '#e0582b' },
        data: levels.map((l) => (gross === 0 ? 0 : (l.riskFen - l.restructuredRiskFen) / gross)),
      },
      {
        type: 'bar',
        name: t('report.chart.parRestructured'),
        stack: 'par',
        barWidth: 18,
        itemStyle: { color: '#8e1b52' },
        data: levels.map((l) => (gross === 0 ? 0 : l.restructuredRiskFen / gross)),
        label: {
          show: true,
          position: 'right',
          fontSize: 10,
          color: '#111827',
          formatter: (p) => percent(levels[p.dataIndex]?.ratio ?? 0, gross),
        },
      },
    ],
  };
}

export function promisesChart(d: DashboardSummary, t: TFunction): ReportChartOption {
  const p = d.promises;
  const parts = [
    { key: 'kept', value: p.kept.count, color: '#52a36b' },
    { key: 'partlyKept', value: p.partlyKept.count, color: '#e3b341' },
    { key: 'broken', value: p.broken.count, color: '#c62f2f' },
    { key: 'pending', value: p.pending.count, color: '#9ca3af' },
  ] as const;
  return {
    legend: {
      bottom: 0,
      left: 'center',
      itemWidth: 9,
      itemHeight: 9,
      itemGap: 6,
      textStyle: { fontSize: 9 },
    },
    series: [
      {
        type: 'pie',
        radius: ['34%', '58%'],
        center: ['50%', '44%'],
        label: { show: true, fontSize: 9, formatter: '{c}' },
        labelLine: { length: 6, length2: 6 },
        data: parts.map((x) => ({
          name: t(`report.promises.${x.key}`),
          value: x.value,
          itemStyle: { color: x.color },
        })),
      },
    ],
  };
}

const ROLL_PARTS = [
  ['cured', '#52a36b'],
  ['improved', '#a7d7b2'],
  ['stayed', '#cbd5e1'],
  ['rolledForward', '#ee8a2f'],
  ['rolledTwoPlus', '#c62f2f'],
  ['closed', '#6b9bd1'],
] as const;

export function rollChart(d: DashboardSummary, t: TFunction): ReportChartOption {
  const rows = d.rolls.rows.filter((r) => r.start.count > 0);
  return {
    legend: { top: 0, left: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 9 } },
    grid: { left: 44, right: 10, top: 40, bottom: 18 },
    xAxis: {
      type: 'value',
      max: 1,
      ...AXIS,
      axisLabel: { fontSize: 9, formatter: (v: number) => `${Math.round(v * 100)}%` },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => r.code),
      ...AXIS,
      axisLabel: { fontSize: 10 },
    },
    series: ROLL_PARTS.map(([key, color]) => ({
      type: 'bar' as const,
      name: t(`report.roll.${key}`),
      stack: 'roll',
      barWidth: 14,
      itemStyle: { color },
      data: rows.map((r) => r.outcomes[key].rate),
    })),
  };
}

export function officersChart(
  d: DashboardSummary,
  officers: readonly UserSummary[],
  t: TFunction,
): ReportChartOption {
  const rows = officerRows(d, officers);
  return {
    legend: { top: 0, right: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 9 } },
    grid: { left: 56, right: 40, top: 24, bottom: 22 },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      ...AXIS,
      axisLabel: { fontSize: 9, interval: 0 },
    },
    yAxis: [
      { type: 'value', ...AXIS, axisLabel: { fontSize: 9, formatter: (v: number) => yuan(v) } },
      {
        type: 'value',
        max: 1,
        ...AXIS,
        splitLine: { show: false },
        axisLabel: { fontSize: 9, formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
    ],
    series: [
      {
        type: 'bar',
        name: t('report.officers.collected'),
        barMaxWidth: 22,
        itemStyle: { color: '#1f5fbf' },
        data: rows.map((r) => r.collected.amountFen),
      },
      {
        type: 'bar',
        name: t('report.officers.keptRate'),
        yAxisIndex: 1,
        barMaxWidth: 10,
        itemStyle: { color: '#52a36b' },
        data: rows.map((r) => r.keptRate.ratio),
      },
    ],
  };
}

export type OfficerRow = DashboardSummary['officers'][number] & { name: string };

/** The per-officer figures with names, in the branch's officer order (unknown ids last). */
export function officerRows(d: DashboardSummary, officers: readonly UserSummary[]): OfficerRow[] {
  const order = new Map(officers.map((o, i) => [o.id, i] as const));
  return d.officers
    .map((o) => ({ ...o, name: officers.find((u) => u.id === o.officerId)?.name ?? o.officerId }))
    .sort((a, b) => (order.get(a.officerId) ?? 1e9) - (order.get(b.officerId) ?? 1e9));
}
