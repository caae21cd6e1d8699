// The branch's officers side by side for the month to date: caseload and balance,
// contacts per day, right-party contacts, promises and how many were kept, money
// collected, overrides and cases nobody touched. Every number opens the cases behind it.
import { useMemo, type HTMLAttributes } from 'react';
import { Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  DashboardFigure,
  OfficerActivity,
  WithoutIds,
} from '../../../../shared/domain/portfolio';
import type { IsoDate } from '../../../../shared/domain/types';
import { useApiQuery } from '../../api/use-api-query';
import { useAppInfo } from '../../app/app-info';
import { openRoute, type ManagerScope } from '../../app/router';
import { useFormatContext } from '../../app/use-format';
import { money, shortDate, type FormatContext } from '../../i18n/format';
import { EChart, type ChartClick, type ChartOption } from './echart';
import { average, compactMoney, percent } from './figure-format';
import { FigureLink } from './figure-link';
import { ScopeBar } from './scope-bar';
import { useReloadOnChange } from './use-reload-on-change';
import { DashboardLoadState } from './dashboard-load-state';
import './manager.css';

type Measure = Extract<DashboardFigure, { figure: 'officer' }>['measure'];
type OfficerRow = WithoutIds<OfficerActivity> & { name: string };

function officerColumns(ctx: FormatContext, asOf: IsoDate | null): TableColumnsType<OfficerRow> {
  const { t, lang } = ctx;
  const scope: ManagerScope = { asOf, officerId: null };
  const cell = (row: OfficerRow, measure: Measure, text: string) => (
    <FigureLink
      figure={{ figure: 'officer', officerId: row.officerId, measure }}
      scope={scope}
      className="fb-num"
      testId={`officer-${measure}`}
    >
      {text}
    </FigureLink>
  );
  const n = (v: number) => v.toLocaleString(lang);
  return [
    {
      key: 'name',
      title: t('manager.officers.columns.name'),
      width: 96,
      fixed: 'left',
      render: (_, row) => <span className="fb-borrower-name">{row.name}</span>,
    },
    {
      key: 'caseload',
      title: t('manager.officers.columns.caseload'),
      align: 'right',
      sorter: (a, b) => a.caseload.count - b.caseload.count,
      render: (_, row) => cell(row, 'caseload', n(row.caseload.count)),
    },
    {
      key: 'balance',
      title: t('manager.officers.columns.balance'),
      align: 'right',
      sorter: (a, b) => a.balanceFen - b.balanceFen,
      render: (_, row) => (
        <span title={money(row.balanceFen)}>
          {cell(row, 'caseload', compactMoney(row.balanceFen, lang))}
        </span>
      ),
    },
    {
      key: 'contactsPerDay',
      title: t('manager.officers.columns.contactsPerDay'),
      align: 'right',
      sorter: (a, b) => a.contactsPerDay - b.contactsPerDay,
      render: (_, row) => (
        <div className="fb-cell-stack fb-right-stack">
          {cell(row, 'contacts', average(row.contactsPerDay))}
          <span className="fb-secondary">
            {t('manager.officers.contactsTotal', { count: row.contacts.count })}
          </span>
        </div>
      ),
    },
    {
      key: 'rightParty',
      title: t('manager.officers.columns.rightParty'),
      align: 'right',
      sorter: (a, b) => a.rightPartyContacts.count - b.rightPartyContacts.count,
      render: (_, row) => (
        <div className="fb-cell-stack fb-right-stack">
          {cell(row, 'rightPartyContacts', n(row.rightPartyContacts.count))}
          <span className="fb-secondary">
            {t('manager.officers.effective', { count: row.effectiveContacts.count })}
          </span>
        </div>
      ),
    },
    {
      key: 'promises',
      title: t('manager.officers.columns.promises'),
      align: 'right',
      sorter: (a, b) => a.promisesMade.count - b.promisesMade.count,
      render: (_, row) => cell(row, 'promisesMade', n(row.promisesMade.count)),
    },
    {
      key: 'keptRate',
      title: t('manager.officers.columns.keptRate'),
      align: 'right',
      sorter: (a, b) => a.keptRate.ratio - b.keptRate.ratio,
      render: (_, row) => (
        <div className="fb-cell-stack fb-right-stack">
          {cell(row, 'keptRateBase', percent(row.keptRate.ratio))}
          <span className="fb-secondary fb-num">
            {t('manager.officers.keptOf', {
              kept: row.keptRate.kept,
              matured: row.keptRate.matured,
            })}
          </span>
        </div>
      ),
    },
    {
      key: 'collected',
      title: t('manager.officers.columns.collected'),
      align: 'right',
      sorter: (a, b) => a.collected.amountFen - b.collected.amountFen,
      render: (_, row) => (
        <div className="fb-cell-stack fb-right-stack">
          <span title={money(row.collected.amountFen)}>
            {cell(row, 'collected', compactMoney(row.collected.amountFen, lang))}
          </span>
          <span className="fb-secondary">
            {t('manager.officers.payments', { count: row.collected.count })}
          </span>
        </div>
      ),
    },
    {
      key: 'overrides',
      title: t('manager.officers.columns.overrides'),
      align: 'right',
      sorter: (a, b) => a.overrides.count - b.overrides.count,
      render: (_, row) => cell(row, 'overrides', n(row.overrides.count)),
    },
    {
      key: 'untouched',
      title: t('manager.officers.columns.untouched'),
      align: 'right',
      sorter: (a, b) => a.untouched.count - b.untouched.count,
      render: (_, row) => cell(row, 'untouched', n(row.untouched.count)),
    },
  ];
}

export function OfficersPage({ asOf }: { asOf: ManagerScope['asOf'] }) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const ctx = useFormatContext();
  const query = useApiQuery('manager.dashboard', asOf !== null ? { asOf } : {});
  useReloadOnChange(query.reload);
  const data = query.data;

  const rows = useMemo<OfficerRow[]>(() => {
    if (!data) return [];
    const names = new Map([...info.officers, ...data.officers].map((o) => [o.id, o.name]));
    return data.dashboard.officers.map((o) => ({
      ...o,
      name: names.get(o.officerId) ?? o.officerId,
    }));
  }, [data, info.officers]);
  const columns = useMemo(() => officerColumns(ctx, asOf), [ctx, asOf]);

  const chart = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 16, top: 32, bottom: 4, containLabel: true },
      legend: { top: 0, itemWidth: 12, itemHeight: 8 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.name),
        axisLabel: { color: '#4b5563', interval: 0 },
        axisLine: { lineStyle: { color: '#d1d5db' } },
      },
      yAxis: [
        {
          type: 'value',
          axisLabel: { color: '#4b5563', formatter: (v: number) => compactMoney(v, ctx.lang) },
          splitLine: { lineStyle: { color: '#f0f1f3' } },
        },
        { type: 'value', splitLine: { show: false }, axisLabel: { color: '#4b5563' } },
      ],
      series: [
        {
          name: t('manager.officers.columns.collected'),
          type: 'bar',
          barMaxWidth: 24,
          itemStyle: { color: '#2f8f4e' },
          data: rows.map((r) => r.collected.amountFen),
          tooltip: { valueFormatter: (v) => compactMoney(Number(v), ctx.lang) },
        },
        {
          name: t('manager.officers.columns.untouched'),
          type: 'bar',
          yAxisIndex: 1,
          barMaxWidth: 24,
          itemStyle: { color: '#c98a12' },
          data: rows.map((r) => r.untouched.count),
        },
      ],
    }),
    [rows, t, ctx.lang],
  );
  const onBarClick = (c: ChartClick) => {
    const row = rows[c.dataIndex];
    if (!row) return;
    openRoute({
      screen: 'cases',
      figure: {
        figure: 'officer',
        officerId: row.officerId,
        measure: c.seriesIndex === 0 ? 'collected' : 'untouched',
      },
      asOf,
      officerId: null,
    });
  };

  return (
    <div className="fb-mgr-page" data-testid="manager-officers">
      <div className="fb-page-head fb-mgr-head">
        <div className="fb-mgr-head-text">
          <Typography.Title level={4} className="fb-page-title">
            {t('manager.officers.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {data
              ? t('manager.dashboard.subtitle', {
                  from: shortDate(data.period.from, ctx),
                  to: shortDate(data.period.to, ctx),
                })
              : ' '}
          </Typography.Text>
        </div>
        <div className="fb-mgr-head-actions">
          <ScopeBar
            asOf={asOf ?? info.today}
            today={info.today}
            onDateChange={(d) => openRoute({ screen: 'officers', asOf: d }, { replace: true })}
            ctx={ctx}
          />
        </div>
      </div>
      <DashboardLoadState query={query} />
      {data && (
        <div className={query.loading ? 'fb-mgr-body fb-mgr-stale' : 'fb-mgr-body'}>
          <div className="fb-panel">
            <Table<OfficerRow>
              data-testid="officers-table"
              size="small"
              rowKey="officerId"
              columns={columns}
              dataSource={rows}
              pagination={false}
              onRow={(row) => ({ 'data-officer-id': row.officerId }) as HTMLAttributes<HTMLElement>}
            />
          </div>
          <figure className="fb-mgr-card fb-chart-card" data-testid="chart-officers">
            <figcaption className="fb-mgr-card-title">{t('manager.officers.chart')}</figcaption>
            <EChart
              option={chart}
              height={220}
              label={t('manager.officers.chart')}
              onBarClick={onBarClick}
            />
          </figure>
        </div>
      )}
    </div>
  );
}
