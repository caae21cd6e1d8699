// Today's worklist: the officer's cases in priority order (or village by village, to plan
// a day's route), with the reason for each rank in words, filters and search, and
// keyboard work. A virtual list draws only the rows on screen, and rows are fetched in
// chunks as they come into view, so 20,000 cases scroll as smoothly as 20. A manager can
// switch to picking cases (a click ticks a row instead of opening it) and reassign them.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Empty, Typography, type InputRef } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/use-api-query';
import { useAppInfo } from '../../app/app-info';
import { useDataVersion } from '../../app/data-version';
import { measureSince, PERF } from '../../app/perf';
import { useFormatContext } from '../../app/use-format';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { longDate } from '../../i18n/format';
import { REASSIGN_LIMIT, ReassignModal } from '../manager/reassign-modal';
import { isManagerRole } from '../manager/roles';
import { useRowKeyboard } from './use-row-keyboard';
import { WorklistEmptyAll } from './worklist-empty-all';
import { useVillageGroups } from './use-village-groups';
import { CHUNK_SIZE, useWorklistData, type WorklistFilterQuery } from './use-worklist-data';
import {
  WorklistFilters,
  type WorklistFilterValues,
  type WorklistGrouping,
} from './worklist-filters';
import { flatLayout, groupedLayout } from './worklist-layout';
import {
  COLUMN_KEYS,
  GroupHeader,
  HEADER_HEIGHT,
  PlaceholderRow,
  ROW_HEIGHT,
  WorklistRowView,
} from './worklist-row';

export interface WorklistPageProps {
  /** False while another screen is shown: the list stays mounted but ignores the keyboard. */
  active: boolean;
  onOpenCase: (caseId: string) => void;
}

export function WorklistPage({ active, onOpenCase }: WorklistPageProps) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const ctx = useFormatContext();
  const { version } = useDataVersion();

  // An officer starts with their own cases; a manager with the whole branch.
  const defaults = useMemo<WorklistFilterValues>(
    () => (info.currentUser.role === 'officer' ? { officerId: info.currentUser.id } : {}),
    [info.currentUser],
  );
  const [filters, setFilters] = useState<WorklistFilterValues>(defaults);
  const [grouping, setGrouping] = useState<WorklistGrouping>('none');
  const query = useMemo<WorklistFilterQuery>(
    () => ({ ...filters, groupBy: grouping }),
    [filters, grouping],
  );
  const data = useWorklistData(query, version);
  const facets = useApiQuery('worklist.facets', {});
  const groups = useVillageGroups(
    { ...filters, groupBy: 'none' },
    data.requestedKey,
    facets.data,
    grouping === 'village',
  );

  const total = data.total ?? 0;
  // Set when loaded rows do not sit under the header the counts put them under (the list
  // changed between the answers): that list is then shown without headers.
  const [groupsBroken, setGroupsBroken] = useState<string | null>(null);
  const layout = useMemo(() => {
    if (
      grouping === 'village' &&
      groups &&
      data.shownKey === data.requestedKey &&
      groupsBroken !== data.requestedKey
    )
      return groupedLayout(total, groups.groups) ?? flatLayout(total);
    return flatLayout(total);
  }, [grouping, groups, total, data.shownKey, data.requestedKey, groupsBroken]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<InputRef>(null);
  const virtualizer = useVirtualizer({
    count: layout.itemCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (layout.item(i).kind === 'header' ? HEADER_HEIGHT : ROW_HEIGHT),
    overscan: 6,
  });
  // Sizes are computed, not measured: a new layout must re-read them.
  useEffect(() => virtualizer.measure(), [layout, virtualizer]);

  // A new filter or grouping starts at the top; a refresh after a change keeps the place.
  const queryJson = JSON.stringify(query);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [queryJson]);

  const items = virtualizer.getVirtualItems();
  const firstRow = items.length > 0 ? firstRowOf(items[0]!.index) : 0;
  const lastRow = items.length > 0 ? lastRowOf(items[items.length - 1]!.index) : 0;
  function firstRowOf(itemIndex: number): number {
    for (let i = itemIndex; i < layout.itemCount; i++) {
      const it = layout.item(i);
      if (it.kind === 'row') return it.rowIndex;
    }
    return 0;
  }
  function lastRowOf(itemIndex: number): number {
    for (let i = itemIndex; i >= 0; i--) {
      const it = layout.item(i);
      if (it.kind === 'row') return it.rowIndex;
    }
    return 0;
  }
  const { ensureRange, rowAt, requestedKey } = data;
  useEffect(() => {
    const groupList = layout.groups;
    if (!groupList) return;
    for (let r = firstRow; r <= lastRow; r++) {
      const row = rowAt(r);
      const group = groupList[layout.groupOfRow(r)];
      if (row && group && (row.village !== group.village || row.township !== group.township)) {
        setGroupsBroken(requestedKey);
        return;
      }
    }
  }, [layout, firstRow, lastRow, rowAt, requestedKey, data.revision]);
  useEffect(() => {
    // Ask for what is on screen plus half a chunk ahead, so scrolling rarely waits.
    if (total > 0) ensureRange(Math.max(0, firstRow - CHUNK_SIZE / 4), lastRow + CHUNK_SIZE / 2);
  }, [firstRow, lastRow, total, ensureRange]);

  // Benchmark: from the first chunk's arrival to its rows being committed.
  useEffect(() => {
    if (data.shownKey !== null && data.shownKey === data.requestedKey)
      measureSince(PERF.worklistFirstPage, PERF.worklistData, PERF.worklistRendered);
  }, [data.shownKey, data.requestedKey, data.revision]);

  const showingCurrent = data.shownKey === data.requestedKey;
  const manager = isManagerRole(info.currentUser.role);
  const [selecting, setSelecting] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [reassigning, setReassigning] = useState(false);
  // Rows are memoised: their click handler must not change when data arrives.
  const rowAtRef = useRef(data.rowAt);
  rowAtRef.current = data.rowAt;
  const selectingRef = useRef(selecting);
  selectingRef.current = selecting;
  const openRow = useCallback(
    (rowIndex: number) => {
      const row = rowAtRef.current(rowIndex);
      if (!row) return;
      if (!selectingRef.current) {
        onOpenCase(row.caseId);
        return;
      }
      setSelected((prev) => {
        const next = new Set(prev);
        if (next.has(row.caseId)) next.delete(row.caseId);
        else next.add(row.caseId);
        return next;
      });
    },
    [onOpenCase],
  );
  const stopSelecting = useCallback(() => {
    setSelecting(false);
    setSelected(new Set());
  }, []);
  const focusSearch = useCallback(() => searchRef.current?.focus(), []);
  const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 480) / ROW_HEIGHT));
  const keyboard = useRowKeyboard({
    rowCount: showingCurrent ? total : 0,
    pageRows,
    enabled: active,
    onOpen: openRow,
    onFocusSearch: focusSearch,
    resetKey: queryJson,
  });
  const { activeIndex, setActiveIndex } = keyboard;

  // Keep the highlighted row on screen as the officer walks the list with the keyboard.
  useEffect(() => {
    if (activeIndex >= 0)
      virtualizer.scrollToIndex(layout.itemOfRow(activeIndex), { align: 'auto' });
  }, [activeIndex, layout, virtualizer]);

  const onRowClick = useCallback(
    (rowIndex: number) => {
      setActiveIndex(rowIndex);
      openRow(rowIndex);
    },
    [setActiveIndex, openRow],
  );

  const changeFilters = useCallback((next: WorklistFilterValues) => setFilters(next), []);
  const isDefault = JSON.stringify(filters) === JSON.stringify(defaults);
  const buckets = facets.data?.buckets;

  return (
    <div className="fb-page fb-worklist-page" hidden={!active}>
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
          {manager && !selecting && (
            <Button
              size="small"
              icon={<SwapOutlined />}
              onClick={() => setSelecting(true)}
              data-testid="worklist-select"
            >
              {t('manager.worklist.select')}
            </Button>
          )}
          {manager && selecting && (
            <span className="fb-wl-selecting" data-testid="worklist-selecting">
              <span>{t('manager.cases.selected', { count: selected.size })}</span>
              <Button
                size="small"
                type="primary"
                disabled={selected.size === 0 || selected.size > REASSIGN_LIMIT}
                onClick={() => setReassigning(true)}
                data-testid="worklist-reassign"
              >
                {t('manager.cases.reassign')}
              </Button>
              <Button size="small" onClick={stopSelecting}>
                {t('manager.worklist.done')}
              </Button>
            </span>
          )}
          {data.total !== null && (
            <span className="fb-total" data-testid="worklist-total">
              {t('worklist.total', { count: data.total })}
            </span>
          )}
          <span className="fb-keyboard-hint">{t('worklist.keyboardHint')}</span>
        </div>
      </div>

      <div className="fb-panel fb-worklist-panel">
        <WorklistFilters
          value={filters}
          defaults={defaults}
          onChange={changeFilters}
          grouping={grouping}
          onGroupingChange={setGrouping}
          officers={info.officers}
          facets={facets.data}
          ctx={ctx}
          searchRef={searchRef}
        />

        {data.error && (
          <div className="fb-panel-alert">
            <ApiErrorAlert
              title={t('worklist.loadFailed')}
              error={data.error}
              onRetry={data.retry}
            />
          </div>
        )}

        <div
          className="fb-wl-table"
          role="table"
          data-testid="worklist-table"
          aria-rowcount={total}
        >
          <div className="fb-wl-head fb-wl-grid" role="row">
            {COLUMN_KEYS.map((k) => (
              <div
                key={k}
                role="columnheader"
                className={`fb-wl-cell${k === 'arrears' ? ' fb-wl-right' : ''}`}
              >
                {t(`worklist.columns.${k}`)}
              </div>
            ))}
          </div>
          <div
            ref={scrollRef}
            className={`fb-wl-scroll${showingCurrent ? '' : ' fb-wl-stale'}`}
            data-testid="worklist-scroll"
          >
            {data.total === null && !data.error && (
              <div data-testid="worklist-loading" aria-busy>
                {Array.from({ length: 8 }, (_, i) => (
                  <PlaceholderRow key={i} rank={i + 1} />
                ))}
              </div>
            )}
            {data.total === 0 &&
              (isDefault && grouping === 'none' && !filters.search ? (
                <WorklistEmptyAll />
              ) : (
                <div className="fb-wl-empty">
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={
                      <>
                        <div>{t('worklist.empty')}</div>
                        <Typography.Text type="secondary">
                          {t('worklist.emptyHint')}
                        </Typography.Text>
                      </>
                    }
                  />
                </div>
              ))}
            {total > 0 && (
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((vi) => {
                  const item = layout.item(vi.index);
                  const style = {
                    position: 'absolute' as const,
                    top: 0,
                    left: 0,
                    right: 0,
                    height: vi.size,
                    transform: `translateY(${vi.start}px)`,
                  };
                  if (item.kind === 'header') {
                    const group = layout.groups?.[item.group];
                    return (
                      <div key={`h${item.group}`} style={style}>
                        {group && <GroupHeader group={group} ctx={ctx} />}
                      </div>
                    );
                  }
                  const row = data.rowAt(item.rowIndex);
                  return (
                    <div key={row?.caseId ?? `r${item.rowIndex}`} style={style}>
                      {row ? (
                        <WorklistRowView
                          row={row}
                          rank={item.rowIndex + 1}
                          rowIndex={item.rowIndex}
                          active={item.rowIndex === activeIndex}
                          ctx={ctx}
                          buckets={buckets}
                          onOpen={onRowClick}
                          selectable={selecting}
                          selected={selecting && selected.has(row.caseId)}
                        />
                      ) : (
                        <PlaceholderRow rank={item.rowIndex + 1} />
                      )}
                    </div>
                  );
                })}
              </div>
            )}
          </div>
        </div>
      </div>
      {reassigning && (
        <ReassignModal
          caseIds={[...selected]}
          onClose={() => setReassigning(false)}
          onReassigned={stopSelecting}
        />
      )}
    </div>
  );
}
