// The worklist's filter bar. First line: search, area, bucket, promise, contact recency,
// officer. Second line: quick toggles (hardship, follow-ups due), the grouping, the reset.
// Every change starts the list over from the top (the parent owns scrolling).
import { memo, useEffect, useRef, useState, type Ref } from 'react';
import { Button, Cascader, Input, Segmented, Select, Tag, type InputRef } from 'antd';
import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { UserSummary, WorklistFacets } from '../../../../shared/api/contract';
import { bucketColor } from '../../components/bucket-tag';
import { bucketRangeLabel, type FormatContext } from '../../i18n/format';

export type PromiseFilter = 'due_today' | 'overdue' | 'due_today_or_overdue';

export interface WorklistFilterValues {
  /** Undefined: every officer's cases. */
  officerId?: string;
  township?: string;
  village?: string;
  bucket?: string;
  search?: string;
  promise?: PromiseFilter;
  notContactedDays?: number;
  hardship?: boolean;
  followUpDue?: boolean;
}

export type WorklistGrouping = 'none' | 'village';

const NOT_CONTACTED_CHOICES = [3, 7, 14, 30];
const PROMISE_CHOICES: PromiseFilter[] = ['due_today', 'overdue', 'due_today_or_overdue'];
/** Wait this long after the last keystroke before searching (typing a name is 3-4 keys). */
export const SEARCH_DEBOUNCE_MS = 250;

export interface WorklistFiltersProps {
  value: WorklistFilterValues;
  /** What "reset" returns to: the signed-in officer's own cases, or everything for a manager. */
  defaults: WorklistFilterValues;
  onChange: (next: WorklistFilterValues) => void;
  grouping: WorklistGrouping;
  onGroupingChange: (grouping: WorklistGrouping) => void;
  officers: UserSummary[];
  facets: WorklistFacets | undefined;
  ctx: FormatContext;
  searchRef: Ref<InputRef>;
}

interface AreaOption {
  value: string;
  label: string;
  children?: AreaOption[];
}

function sameFilters(a: WorklistFilterValues, b: WorklistFilterValues): boolean {
  const clean = (v: WorklistFilterValues) =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== undefined && x !== '' && x !== false)
          .sort(([k1], [k2]) => (k1 < k2 ? -1 : 1)),
      ),
    );
  return clean(a) === clean(b);
}

export const WorklistFilters = memo(function WorklistFilters({
  value,
  defaults,
  onChange,
  grouping,
  onGroupingChange,
  officers,
  facets,
  ctx,
  searchRef,
}: WorklistFiltersProps) {
  const { t } = useTranslation();
  const [searchText, setSearchText] = useState(value.search ?? '');
  const valueRef = useRef(value);
  valueRef.current = value;

  // The box follows outside changes (reset); typing is sent after a pause.
  useEffect(() => setSearchText(value.search ?? ''), [value.search]);
  useEffect(() => {
    const trimmed = searchText.trim();
    if (trimmed === (valueRef.current.search ?? '')) return;
    const timer = window.setTimeout(
      () => onChange({ ...valueRef.current, search: trimmed || undefined }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => window.clearTimeout(timer);
  }, [searchText, onChange]);

  const areaOptions: AreaOption[] = (facets?.townships ?? []).map((township) => ({
    value: township.name,
    label: township.name,
    children: township.villages.map((village) => ({ value: village, label: village })),
  }));
  const areaValue = value.township
    ? value.village
      ? [value.township, value.village]
      : [value.township]
    : [];
  const isDefault = sameFilters(value, defaults) && grouping === 'none';

  return (
    <div className="fb-filters" data-testid="worklist-filters">
      <div className="fb-filter-line">
        <Input
          ref={searchRef}
          data-testid="worklist-search"
          className="fb-filter-search"
          allowClear
          prefix={<SearchOutlined className="fb-secondary" />}
          placeholder={t('worklist.filters.searchPlaceholder')}
          aria-label={t('worklist.filters.search')}
          value={searchText}
          maxLength={64}
          onChange={(e) => setSearchText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange({ ...value, search: searchText.trim() || undefined });
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
          suffix={<kbd className="fb-kbd">/</kbd>}
        />
        <Cascader<AreaOption>
          data-testid="filter-area"
          className="fb-filter-area"
          options={areaOptions}
          value={areaValue}
          changeOnSelect
          showSearch
          allowClear
          prefix={<span className="fb-filter-prefix">{t('worklist.filters.area')}</span>}
          placeholder={t('worklist.filters.allAreas')}
          displayRender={(labels) => labels.join(' · ')}
          onChange={(path) => {
            const [township, village] = (path ?? []) as (string | undefined)[];
            onChange({ ...value, township: township || undefined, village: village || undefined });
          }}
        />
        <Select<string>
          data-testid="filter-bucket"
          className="fb-filter-bucket"
          value={value.bucket ?? ''}
          prefix={<span className="fb-filter-prefix">{t('worklist.filters.bucket')}</span>}
          onChange={(bucket) => onChange({ ...value, bucket: bucket || undefined })}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t('worklist.filters.all') },
            ...(facets?.buckets ?? []).map((b) => ({
              value: b.code,
              label: (
                <span className="fb-bucket-option">
                  <span
                    className={`fb-bucket-dot fb-bucket-dot-${bucketColor(b.minDays)}`}
                    aria-hidden
                  />
                  <span className="fb-bucket-code">{b.code}</span>
                  <span className="fb-secondary fb-bucket-range">{bucketRangeLabel(b, ctx)}</span>
                </span>
              ),
            })),
          ]}
        />
        <Select<string>
          data-testid="filter-promise"
          className="fb-filter-promise"
          value={value.promise ?? ''}
          prefix={<span className="fb-filter-prefix">{t('worklist.filters.promise')}</span>}
          popupMatchSelectWidth={false}
          onChange={(promise) =>
            onChange({ ...value, promise: (promise || undefined) as PromiseFilter | undefined })
          }
          options={[
            { value: '', label: t('worklist.filters.all') },
            ...PROMISE_CHOICES.map((p) => ({
              value: p,
              label: t(`worklist.filters.promiseOption.${p}`),
            })),
          ]}
        />
        <Select<number>
          data-testid="filter-not-contacted"
          className="fb-filter-contacted"
          value={value.notContactedDays ?? 0}
          prefix={<span className="fb-filter-prefix">{t('worklist.filters.notContacted')}</span>}
          popupMatchSelectWidth={false}
          onChange={(days) => onChange({ ...value, notContactedDays: days || undefined })}
          options={[
            { value: 0, label: t('worklist.filters.all') },
            ...NOT_CONTACTED_CHOICES.map((days) => ({
              value: days,
              label: t('worklist.filters.notContactedOption', { count: days }),
            })),
          ]}
        />
        <Select<string>
          data-testid="filter-officer"
          className="fb-filter-officer"
          value={value.officerId ?? ''}
          prefix={<span className="fb-filter-prefix">{t('worklist.filters.officer')}</span>}
          onChange={(officerId) => onChange({ ...value, officerId: officerId || undefined })}
          options={[
            { value: '', label: t('worklist.filters.allOfficers') },
            ...officers.map((o) => ({ value: o.id, label: o.name })),
          ]}
          showSearch={{ optionFilterProp: 'label' }}
          popupMatchSelectWidth={false}
        />
      </div>
      <div className="fb-filter-line fb-filter-line-2">
        <span className="fb-filter-prefix">{t('worklist.filters.quick')}</span>
        <Tag.CheckableTag
          data-testid="filter-hardship"
          className="fb-quick-tag"
          checked={value.hardship === true}
          onChange={(checked) => onChange({ ...value, hardship: checked || undefined })}
        >
          {t('worklist.filters.hardship')}
        </Tag.CheckableTag>
        <Tag.CheckableTag
          data-testid="filter-follow-up"
          className="fb-quick-tag"
          checked={value.followUpDue === true}
          onChange={(checked) => onChange({ ...value, followUpDue: checked || undefined })}
        >
          {t('worklist.filters.followUpDue')}
        </Tag.CheckableTag>
        <span className="fb-filter-spacer" />
        <span className="fb-filter-prefix">{t('worklist.filters.arrange')}</span>
        <Segmented<WorklistGrouping>
          data-testid="group-by"
          size="small"
          value={grouping}
          onChange={onGroupingChange}
          options={[
            { value: 'none', label: t('worklist.filters.byPriority') },
            { value: 'village', label: t('worklist.filters.byVillage') },
          ]}
        />
        <Button
          size="small"
          icon={<ReloadOutlined />}
          disabled={isDefault}
          onClick={() => {
            onChange(defaults);
            onGroupingChange('none');
          }}
          data-testid="filter-reset"
        >
          {t('worklist.filters.reset')}
        </Button>
      </div>
    </div>
  );
});
