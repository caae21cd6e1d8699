// The dashboard's charts: aging (count and balance per bucket), the month's rolls and
// cures per start bucket, the month's promises by outcome, and the full roll matrix as a
// table. A click on any bar or cell opens the cases behind it.
import { useMemo } from 'react';
import type { ManagerDashboard } from '../../../../shared/api/manager-contract';
import type { DashboardFigure } from '../../../../shared/domain/portfolio';
import { bucketColor } from '../../components/bucket-tag';
import { openRoute, type ManagerScope } from '../../app/router';
import { bucketRangeLabel, shortDate, type FormatContext } from '../../i18n/format';
import { EChart, type ChartClick, type ChartOption } from './echart';
import { compactMoney, percent } from './figure-format';
import { FigureLink } from './figure-link';

/** antd's tag colours, so a bucket has one colour on the tags and the charts. */
const TAG_HEX: Record<string, string> = {
  green: '#52c41a',
  gold: '#faad14',
  orange: '#fa8c16',
  volcano: '#fa541c',
  red: '#f5222d',
  magenta: '#c41d7f',
};
const PRIMARY = '#1f5fbf';
const MUTED = '#9db4d8';
const AXIS = { axisLine: { lineStyle: { color: '#d1d5db' } }, axisLabel: { color: '#4b5563' } };

export interface ChartProps {
  data: ManagerDashboard;
  scope: ManagerScope;
  ctx: FormatContext;
}

function open(figure: DashboardFigure, scope: ManagerScope): void {
  openRoute({ screen: 'cases', figure, ...scope });
}

export function AgingChart({ data, scope, ctx }: ChartProps) {
  const { t, lang } = ctx;
  const buckets = data.dashboard.aging.buckets;
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
      legend: { top: 0, itemWidth: 12, itemHeight: 8 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: buckets.map((b) => b.code), ...AXIS },
      yAxis: [
        {
          type: 'value',
          ...AXIS,
          axisLabel: {
            color: '#4b5563',
            formatter: (v: number) => (v === 0 ? '0' : compactMoney(v, lang)),
          },
          splitLine: { lineStyle: { color: '#f0f1f3' } },
        },
        { type: 'value', ...AXIS, splitLine: { show: false } },
      ],
      series: [
        {
          name: t('manager.charts.balance'),
          type: 'bar',
          barMaxWidth: 28,
          data: buckets.map((b) => ({
            value: b.balanceFen,
            itemStyle: { color: TAG_HEX[bucketColor(b.minDays)] ?? PRIMARY },
          })),
          itemStyle: { color: PRIMARY },
          tooltip: { valueFormatter: (v) => compactMoney(Number(v), lang) },
        },
        {
          name: t('manager.charts.count'),
          type: 'bar',
          yAxisIndex: 1,
          barMaxWidth: 28,
          itemStyle: { color: MUTED },
          data: buckets.map((b) => b.count),
        },
      ],
    }),
    [buckets, t, lang],
  );
  const onClick = (c: ChartClick) => {
    const bucket = buckets[c.dataIndex];
    if (bucket) open({ figure: 'aging', bucket: bucket.code }, scope);
  };
  return (
    <figure className="fb-mgr-card fb-chart-card" data-testid="chart-aging">
      <figcaption className="fb-mgr-card-title">{t('manager.charts.aging')}</figcaption>
      <EChart option={option} height={210} label={t('manager.charts.aging')} onBarClick={onClick} />
      <div className="fb-chart-legend-table">
        {buckets.map((b) => (
          <FigureLink
            key={b.code}
            figure={{ figure: 'aging', bucket: b.code }}
            scope={scope}
            title={bucketRangeLabel(b, ctx)}
            testId={`aging-${b.code}`}
            className="fb-chart-chip"
          >
            <span className="fb-chart-chip-code">{b.code}</span>
            <span className="fb-num">{b.count.toLocaleString(lang)}</span>
          </FigureLink>
        ))}
      </div>
    </figure>
  );
}

export function RollChart({ data, scope, ctx }: ChartProps) {
  const { t } = ctx;
  const rows = data.dashboard.rolls.rows;
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
      legend: { top: 0, itemWidth: 12, itemHeight: 8 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => percent(Number(v)),
      },
      xAxis: { type: 'category', data: rows.map((r) => r.code), ...AXIS },
      yAxis: {
        type: 'value',
        max: 1,
        ...AXIS,
        axisLabel: { color: '#4b5563', formatter: (v: number) => percent(v) },
        splitLine: { lineStyle: { color: '#f0f1f3' } },
      },
      series: [
        {
          name: t('manager.charts.rollRate'),
          type: 'bar',
          barMaxWidth: 22,
          itemStyle: { color: '#e0703a' },
          data: rows.map((r) => r.rollRate),
        },
        {
          name: t('manager.charts.cureRate'),
          type: 'bar',
          barMaxWidth: 22,
          itemStyle: { color: '#2f8f4e' },
          data: rows.map((r) => r.cureRate),
        },
      ],
    }),
    [rows, t],
  );
  const onClick = (c: ChartClick) => {
    const row = rows[c.dataIndex];
    if (!row) return;
    open(
      {
        figure: 'roll',
        bucket: row.code,
        outcome: c.seriesIndex === 0 ? 'rolledForward' : 'cured',
      },
      scope,
    );
  };
  return (
    <figure className="fb-mgr-card fb-chart-card" data-testid="chart-rolls">
      <figcaption className="fb-mgr-card-title">
        {t('manager.charts.rolls', { date: shortDate(data.rollFrom, ctx) })}
      </figcaption>
      <EChart
        option={option}
        height={240}
        label={t('manager.charts.rolls', { date: shortDate(data.rollFrom, ctx) })}
        onBarClick={onClick}
      />
    </figure>
  );
}

const PROMISE_GROUPS = ['made', 'fallingDue', 'kept', 'partlyKept', 'broken', 'pending'] as const;
const PROMISE_COLORS: Record<(typeof PROMISE_GROUPS)[number], string> = {
  made: PRIMARY,
  fallingDue: MUTED,
  kept: '#2f8f4e',
  partlyKept: '#c98a12',
  broken: '#c8372d',
  pending: '#8c8c8c',
};

export function PromisesChart({ data, scope, ctx }: ChartProps) {
  const { t, lang } = ctx;
  const promises = data.dashboard.promises;
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 12, bottom: 4, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const item = Array.isArray(p) ? p[0] : p;
          const group = PROMISE_GROUPS[item?.dataIndex ?? 0] ?? 'made';
          return `${t(`manager.charts.promise.${group}`)}: ${promises[group].count} · ${compactMoney(promises[group].amountFen, lang)}`;
        },
      },
      xAxis: {
        type: 'category',
        data: PROMISE_GROUPS.map((g) => t(`manager.charts.promise.${g}`)),
        ...AXIS,
        axisLabel: { color: '#4b5563', interval: 0, fontSize: 11 },
      },
      yAxis: { type: 'value', ...AXIS, splitLine: { lineStyle: { color: '#f0f1f3' } } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 28,
          label: { show: true, position: 'top', color: '#374151', fontSize: 11 },
          data: PROMISE_GROUPS.map((g) => ({
            value: promises[g].count,
            itemStyle: { color: PROMISE_COLORS[g] },
          })),
        },
      ],
    }),
    [promises, t, lang],
  );
  const onClick = (c: ChartClick) => {
    const group = PROMISE_GROUPS[c.dataIndex];
    if (group) open({ figure: 'promises', group }, scope);
  };
  return (
    <figure className="fb-mgr-card fb-chart-card" data-testid="chart-promises">
      <figcaption className="fb-mgr-card-title">{t('manager.charts.promises')}</figcaption>
      <EChart
        option={option}
        height={240}
        label={t('manager.charts.promises')}
        onBarClick={onClick}
      />
    </figure>
  );
}

/** Green below the diagonal (better), red above (worse), grey where the loan stayed. */
function cellTint(fromIndex: number, toIndex: number, rate: number): string | undefined {
  if (rate <= 0) return undefined;
  const alpha = Math.min(0.85, 0.12 + rate * 0.8).toFixed(2);
  if (toIndex < fromIndex) return `rgba(47, 143, 78, ${alpha})`;
  if (toIndex > fromIndex) return `rgba(200, 55, 45, ${alpha})`;
  return `rgba(107, 114, 128, ${(Number(alpha) * 0.5).toFixed(2)})`;
}

export function RollMatrix({ data, scope, ctx }: ChartProps) {
  const { t, lang } = ctx;
  const rows = data.dashboard.rolls.rows;
  return (
    <figure className="fb-mgr-card fb-matrix-card" data-testid="roll-matrix">
      <figcaption className="fb-mgr-card-title">
        {t('manager.charts.matrix', {
          date: shortDate(data.rollFrom, ctx),
          to: shortDate(data.asOf, ctx),
        })}
      </figcaption>
      <table className="fb-matrix">
        <thead>
          <tr>
            <th scope="col">{t('manager.charts.matrixFrom')}</th>
            <th scope="col" className="fb-num">
              {t('manager.charts.matrixStart')}
            </th>
            {rows.map((r) => (
              <th key={r.code} scope="col">
                {r.code}
              </th>
            ))}
            <th scope="col">{t('manager.charts.matrixClosed')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, from) => (
            <tr key={row.code}>
              <th scope="row">{row.code}</th>
              <td className="fb-num">
                <FigureLink
                  figure={{ figure: 'roll', bucket: row.code, outcome: 'start' }}
                  scope={scope}
                >
                  {row.start.count.toLocaleString(lang)}
                </FigureLink>
              </td>
              {row.toBucket.map((cell, to) => {
                const target = rows[to]?.code ?? '';
                return (
                  <td
                    key={target}
                    className="fb-num fb-matrix-cell"
                    style={{ background: cellTint(from, to, cell.rate) }}
                  >
                    {cell.count > 0 ? (
                      <FigureLink
                        figure={{ figure: 'rollMatrix', fromBucket: row.code, toBucket: target }}
                        scope={scope}
                        title={t('manager.charts.matrixCell', {
                          count: cell.count,
                          amount: compactMoney(cell.balanceFen, lang),
                        })}
                      >
                        {percent(cell.rate)}
                      </FigureLink>
                    ) : (
                      <span className="fb-matrix-empty">·</span>
                    )}
                  </td>
                );
              })}
              <td className="fb-num fb-matrix-cell">
                {row.outcomes.closed.count > 0 ? (
                  <FigureLink
                    figure={{ figure: 'roll', bucket: row.code, outcome: 'closed' }}
                    scope={scope}
                  >
                    {percent(row.outcomes.closed.rate)}
                  </FigureLink>
                ) : (
                  <span className="fb-matrix-empty">·</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
