// The branch manager's dashboard for one date (default: the business date), for the whole
// branch or one officer: headline numbers, aging, rolls and cures against the previous
// month end, promises, and the roll matrix. Every number opens the cases behind it; the
// dashboard exports to XLSX or CSV and prints as a branch report.
import { Button, Dropdown, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/use-api-query';
import { useAppInfo } from '../../app/app-info';
import { openRoute, type ManagerScope } from '../../app/router';
import { useFormatContext } from '../../app/use-format';
import { shortDate } from '../../i18n/format';
import { AgingChart, PromisesChart, RollChart, RollMatrix } from './dashboard-charts';
import { KpiCards } from './kpi-cards';
import { ScopeBar } from './scope-bar';
import { useListExport, type ExportFormat } from './use-export';
import { useReloadOnChange } from './use-reload-on-change';
import { DashboardLoadState } from './dashboard-load-state';
import './manager.css';

export interface DashboardPageProps {
  scope: ManagerScope;
}

export function DashboardPage({ scope }: DashboardPageProps) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const ctx = useFormatContext();
  const query = useApiQuery('manager.dashboard', {
    ...(scope.asOf !== null && { asOf: scope.asOf }),
    ...(scope.officerId !== null && { officerId: scope.officerId }),
  });
  useReloadOnChange(query.reload);
  const exporter = useListExport();
  const data = query.data;
  const asOf = scope.asOf ?? info.today;
  const officers = info.officers.filter((o) => o.role === 'officer');

  const setScope = (next: Partial<ManagerScope>) =>
    openRoute({ screen: 'dashboard', ...scope, ...next }, { replace: true });
  const exportAs = (format: ExportFormat) =>
    void exporter.run(
      {
        kind: 'dashboard',
        ...(scope.asOf !== null && { asOf: scope.asOf }),
        ...(scope.officerId !== null && { officerId: scope.officerId }),
      },
      format,
      `dashboard-${asOf}`,
    );

  return (
    <div className="fb-mgr-page" data-testid="manager-dashboard">
      <div className="fb-page-head fb-mgr-head">
        <div className="fb-mgr-head-text">
          <Typography.Title level={4} className="fb-page-title">
            {t('manager.dashboard.title')}
          </Typography.Title>
          <Typography.Text type="secondary" data-testid="dashboard-period">
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
            asOf={asOf}
            today={info.today}
            onDateChange={(d) => setScope({ asOf: d })}
            officers={officers}
            officerId={scope.officerId}
            onOfficerChange={(id) => setScope({ officerId: id })}
            ctx={ctx}
          />
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'xlsx', label: t('manager.export.xlsx') },
                { key: 'csv', label: t('manager.export.csv') },
              ],
              onClick: ({ key }) => exportAs(key as ExportFormat),
            }}
          >
            <Button
              icon={<DownloadOutlined />}
              loading={exporter.pending}
              data-testid="dashboard-export"
            >
              {t('manager.export.button')}
            </Button>
          </Dropdown>
          <Button
            icon={<PrinterOutlined />}
            data-testid="dashboard-report"
            onClick={() => openRoute({ screen: 'report', asOf })}
          >
            {t('manager.dashboard.report')}
          </Button>
        </div>
      </div>

      <DashboardLoadState query={query} />
      {data && (
        <div className={query.loading ? 'fb-mgr-body fb-mgr-stale' : 'fb-mgr-body'}>
          <KpiCards data={data} scope={scope} ctx={ctx} />
          <div className="fb-chart-grid">
            <AgingChart data={data} scope={scope} ctx={ctx} />
            <RollChart data={data} scope={scope} ctx={ctx} />
            <PromisesChart data={data} scope={scope} ctx={ctx} />
          </div>
          <RollMatrix data={data} scope={scope} ctx={ctx} />
        </div>
      )}
    </div>
  );
}
