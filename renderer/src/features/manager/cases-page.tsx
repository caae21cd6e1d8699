// The cases behind one dashboard number: the title says which number, the rows are the
// worklist's (in priority order), a click opens the case, and a selection can be
// reassigned to another officer or exported; the whole list exports too.
import { useMemo, useState, type HTMLAttributes, type MouseEvent } from 'react';
import { Alert, Button, Dropdown, Result, Table, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { WorklistRow } from '../../../../shared/api/contract';
import type { DashboardFigure } from '../../../../shared/domain/portfolio';
import { useApiQuery } from '../../api/use-api-query';
import { useAppInfo } from '../../app/app-info';
import { openRoute, type ManagerScope } from '../../app/router';
import { useFormatContext } from '../../app/use-format';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { longDate } from '../../i18n/format';
import { caseColumns } from './case-columns';
import { figureFileStem, figureTitle } from './figure-title';
import { REASSIGN_LIMIT, ReassignModal } from './reassign-modal';
import { useListExport, type ExportFormat } from './use-export';
import { useReloadOnChange } from './use-reload-on-change';
import './manager.css';

const PAGE_SIZE = 50;

export interface CasesPageProps {
  figure: DashboardFigure | null;
  scope: ManagerScope;
  onOpenCase: (caseId: string) => void;
  onBack: () => void;
}

export function CasesPage({ figure, scope, onOpenCase, onBack }: CasesPageProps) {
  const { t } = useTranslation();
  if (!figure) {
    return (
      <div className="fb-mgr-page">
        <Result
          status="warning"
          title={t('manager.cases.unknownFigure')}
          extra={
            <Button type="primary" onClick={() => openRoute({ screen: 'dashboard', ...scope })}>
              {t('manager.cases.toDashboard')}
            </Button>
          }
        />
      </div>
    );
  }
  return <CasesList figure={figure} scope={scope} onOpenCase={onOpenCase} onBack={onBack} />;
}

function CasesList({
  figure,
  scope,
  onOpenCase,
  onBack,
}: CasesPageProps & { figure: DashboardFigure }) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const ctx = useFormatContext();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [reassigning, setReassigning] = useState(false);
  const query = useApiQuery('manager.casesBehind', {
    figure,
    ...(scope.asOf !== null && { asOf: scope.asOf }),
    ...(scope.officerId !== null && { officerId: scope.officerId }),
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  useReloadOnChange(query.reload);
  const facets = useApiQuery('worklist.facets', {});
  const exporter = useListExport();
  const columns = useMemo(() => caseColumns(ctx, facets.data?.buckets), [ctx, facets.data]);

  const officerName = (id: string) => info.officers.find((o) => o.id === id)?.name ?? id;
  const title = figureTitle(figure, t, officerName);
  const asOf = scope.asOf ?? info.today;
  const total = query.data?.total;
  const tooMany = selected.length > REASSIGN_LIMIT;

  const exportAs = (format: ExportFormat, which: 'all' | 'selected') => {
    const common = {
      kind: 'cases' as const,
      ...(scope.asOf !== null && { asOf: scope.asOf }),
      ...(scope.officerId !== null && { officerId: scope.officerId }),
    };
    const stem = figureFileStem(figure, asOf);
    void exporter.run(
      which === 'all' ? { ...common, figure } : { ...common, caseIds: selected },
      format,
      which === 'all' ? stem : `${stem}-selected`,
    );
  };

  const onRowClick = (row: WorklistRow, event: MouseEvent<HTMLElement>) => {
    // The checkbox cell selects; the rest of the row opens the case.
    if ((event.target as HTMLElement).closest('.ant-table-selection-column')) return;
    onOpenCase(row.caseId);
  };

  return (
    <div className="fb-mgr-page" data-testid="manager-cases">
      <div className="fb-page-head fb-mgr-head">
        <div className="fb-mgr-head-text">
          <Button
            type="link"
            size="small"
            icon={<ArrowLeftOutlined />}
            onClick={onBack}
            className="fb-mgr-back"
            data-testid="cases-back"
          >
            {t('manager.cases.back')}
          </Button>
          <Typography.Title level={4} className="fb-page-title" data-testid="cases-title">
            {title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('manager.cases.subtitle', {
              date: longDate(asOf, ctx),
              officer: scope.officerId
                ? officerName(scope.officerId)
                : t('manager.scope.allOfficers'),
            })}
          </Typography.Text>
        </div>
        <div className="fb-mgr-head-actions">
          {total !== undefined && (
            <span className="fb-total" data-testid="cases-total">
              {t('manager.cases.total', { count: total })}
            </span>
          )}
        </div>
      </div>

      <div className="fb-panel fb-mgr-list">
        <div className="fb-mgr-toolbar">
          <span className="fb-mgr-selection" data-testid="cases-selected">
            {selected.length > 0 ? (
              <>
                {t('manager.cases.selected', { count: selected.length })}
                <Button type="link" size="small" onClick={() => setSelected([])}>
                  {t('manager.cases.clearSelection')}
                </Button>
              </>
            ) : (
              <Typography.Text type="secondary">{t('manager.cases.selectHint')}</Typography.Text>
            )}
          </span>
          <Button
            type="primary"
            icon={<SwapOutlined />}
            disabled={selected.length === 0 || tooMany}
            onClick={() => setReassigning(true)}
            data-testid="cases-reassign"
          >
            {t('manager.cases.reassign')}
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                {
                  type: 'group',
                  key: 'all',
                  label: t('manager.cases.exportAll', { count: total ?? 0 }),
                  children: [
                    { key: 'all:xlsx', label: t('manager.export.xlsx') },
                    { key: 'all:csv', label: t('manager.export.csv') },
                  ],
                },
                ...(selected.length > 0
                  ? [
                      {
                        type: 'group' as const,
                        key: 'selected',
                        label: t('manager.cases.exportSelected', { count: selected.length }),
                        children: [
                          { key: 'selected:xlsx', label: t('manager.export.xlsx') },
                          { key: 'selected:csv', label: t('manager.export.csv') },
                        ],
                      },
                    ]
                  : []),
              ],
              onClick: ({ key }) => {
                const [which, format] = key.split(':') as ['all' | 'selected', ExportFormat];
                exportAs(format, which);
              },
            }}
          >
            <Button
              icon={<DownloadOutlined />}
              loading={exporter.pending}
              disabled={!total}
              data-testid="cases-export"
            >
              {t('manager.export.button')}
            </Button>
          </Dropdown>
        </div>
        {tooMany && (
          <div className="fb-mgr-alert">
            <Alert
              type="warning"
              showIcon
              title={t('manager.cases.tooMany', { count: REASSIGN_LIMIT })}
            />
          </div>
        )}
        {query.error && (
          <div className="fb-mgr-alert">
            <ApiErrorAlert
              title={t('manager.cases.loadFailed')}
              error={query.error}
              onRetry={query.reload}
            />
          </div>
        )}
        <Table<WorklistRow>
          data-testid="cases-table"
          size="middle"
          tableLayout="fixed"
          rowKey="caseId"
          columns={columns}
          dataSource={query.data?.rows ?? []}
          loading={query.loading}
          rowSelection={{
            selectedRowKeys: selected,
            preserveSelectedRowKeys: true,
            columnWidth: 40,
            onChange: (keys) => setSelected(keys.map(String)),
          }}
          onRow={(row) =>
            ({
              onClick: (event) => onRowClick(row, event),
              className: 'fb-mgr-row',
              'data-testid': 'case-row',
              'data-case-id': row.caseId,
            }) as HTMLAttributes<HTMLElement>
          }
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
            showTotal: (n, [from, to]) => t('manager.cases.range', { from, to, count: n }),
          }}
        />
      </div>

      {reassigning && (
        <ReassignModal
          caseIds={selected}
          onClose={() => setReassigning(false)}
          onReassigned={() => setSelected([])}
        />
      )}
    </div>
  );
}
