// Today's worklist: the officer's cases in priority order, with the reason for each rank
// in words, filters, paging and keyboard work. Opening a row shows its case file.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Empty, Skeleton, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OpInput, WorklistRow } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/use-api-query';
import { useAppInfo } from '../../app/app-info';
import { useFormatContext } from '../../app/use-format';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { longDate } from '../../i18n/format';
import { CaseDrawer } from '../case-file/case-drawer';
import { useRowKeyboard } from './use-row-keyboard';
import { worklistColumns } from './worklist-columns';
import { WorklistFilters, type WorklistFilterValues } from './worklist-filters';

const PAGE_SIZES = [20, 50, 100];

export function WorklistPage() {
  const { t } = useTranslation();
  const info = useAppInfo();
  const ctx = useFormatContext();
  const [filters, setFilters] = useState<WorklistFilterValues>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: PAGE_SIZES[0]! });
  const [openCaseId, setOpenCaseId] = useState<string | null>(null);

  const query: OpInput<'worklist.list'> = {
    ...filters,
    offset: (paging.page - 1) * paging.pageSize,
    limit: paging.pageSize,
  };
  const list = useApiQuery('worklist.list', query);
  const facets = useApiQuery('worklist.facets', {});
  const rows = useMemo<WorklistRow[]>(() => list.data?.rows ?? [], [list.data]);
  const offset = query.offset ?? 0;

  const openRow = useCallback(
    (index: number) => {
      const row = rows[index];
      if (row) setOpenCaseId(row.caseId);
    },
    [rows],
  );

  const keyboard = useRowKeyboard({
    rowCount: rows.length,
    enabled: openCaseId === null,
    onOpen: openRow,
    resetKey: JSON.stringify(query),
  });

  // Keep the highlighted row on screen as the officer walks the list with the keyboard.
  const activeCaseId = rows[keyboard.activeIndex]?.caseId;
  useEffect(() => {
    if (!activeCaseId) return;
    document
      .querySelector(`tr[data-row-key="${CSS.escape(activeCaseId)}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [activeCaseId]);

  const columns = useMemo(
    () => worklistColumns({ t, ctx, facets: facets.data, offset }),
    [t, ctx, facets.data, offset],
  );

  const changeFilters = (next: WorklistFilterValues) => {
    setFilters(next);
    setPaging((p) => ({ ...p, page: 1 }));
  };

  const isFiltered = Object.values(filters).some(Boolean);
  const firstLoad = list.loading && !list.data;

  return (
    <div className="fb-page">
      <div className="fb-page-head">
        <div>
          <Typography.Title level={4} className="fb-page-title">
            {t('worklist.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('worklist.subtitle', { date: longDate(info.today, ctx) })}
          </Typography.Text>
        </div>
        <div className="fb-page-head-right">
          {list.data && (
            <span className="fb-total" data-testid="worklist-total">
              {t('worklist.total', { count: list.data.total })}
            </span>
          )}
          <span className="fb-keyboard-hint">{t('worklist.keyboardHint')}</span>
        </div>
      </div>

      <div className="fb-panel">
        <WorklistFilters
          value={filters}
          onChange={changeFilters}
          officers={info.officers}
          facets={facets.data}
          ctx={ctx}
        />

        {list.error && (
          <div className="fb-panel-alert">
            <ApiErrorAlert
              title={t('worklist.loadFailed')}
              error={list.error}
              onRetry={list.reload}
            />
          </div>
        )}

        {list.error && !list.data ? null : firstLoad ? (
          <div className="fb-skeleton" data-testid="worklist-loading" aria-busy>
            <Skeleton active paragraph={{ rows: 10 }} title={false} />
          </div>
        ) : (
          <Table<WorklistRow>
            data-testid="worklist-table"
            className="fb-worklist-table"
            rowKey="caseId"
            size="middle"
            columns={columns}
            dataSource={rows}
            loading={list.loading && Boolean(list.data)}
            tableLayout="fixed"
            sticky
            onRow={(row, index) => ({
              onClick: () => {
                if (index !== undefined) keyboard.setActiveIndex(index);
                setOpenCaseId(row.caseId);
              },
              className: index === keyboard.activeIndex ? 'fb-row-active' : undefined,
              'aria-selected': index === keyboard.activeIndex,
              title: t('worklist.openCase', { name: row.borrowerName }),
            })}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={
                    isFiltered ? (
                      <>
                        <div>{t('worklist.empty')}</div>
                        <Typography.Text type="secondary">
                          {t('worklist.emptyHint')}
                        </Typography.Text>
                      </>
                    ) : (
                      t('worklist.emptyAll')
                    )
                  }
                />
              ),
            }}
            pagination={{
              current: paging.page,
              pageSize: paging.pageSize,
              total: list.data?.total ?? 0,
              pageSizeOptions: PAGE_SIZES,
              showSizeChanger: true,
              showTotal: (total, [from, to]) => t('worklist.range', { from, to, total }),
              onChange: (page, pageSize) =>
                setPaging({ page: pageSize === paging.pageSize ? page : 1, pageSize }),
              className: 'fb-pagination',
            }}
          />
        )}
      </div>

      <CaseDrawer caseId={openCaseId} onClose={() => setOpenCaseId(null)} />
    </div>
  );
}
