// The worklist's filter bar: officer, township → village, bucket. Every change goes back
// to page one (the parent owns paging).
import { Button, Cascader, Select, Space } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { UserSummary, WorklistFacets } from '../../../../shared/api/contract';
import { bucketColor } from '../../components/bucket-tag';
import { bucketRangeLabel, type FormatContext } from '../../i18n/format';

export interface WorklistFilterValues {
  officerId?: string;
  township?: string;
  village?: string;
  bucket?: string;
}

export interface WorklistFiltersProps {
  value: WorklistFilterValues;
  onChange: (next: WorklistFilterValues) => void;
  officers: UserSummary[];
  facets: WorklistFacets | undefined;
  ctx: FormatContext;
}

interface AreaOption {
  value: string;
  label: string;
  children?: AreaOption[];
}

export function WorklistFilters({ value, onChange, officers, facets, ctx }: WorklistFiltersProps) {
  const { t } = useTranslation();
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
  const isFiltered = Boolean(value.officerId || value.township || value.village || value.bucket);

  return (
    <Space size={12} wrap className="fb-filters" data-testid="worklist-filters">
      <div className="fb-filter">
        <span className="fb-filter-label">{t('worklist.filters.officer')}</span>
        <Select<string>
          data-testid="filter-officer"
          className="fb-filter-officer"
          value={value.officerId ?? ''}
          onChange={(officerId) => onChange({ ...value, officerId: officerId || undefined })}
          options={[
            { value: '', label: t('worklist.filters.allOfficers') },
            ...officers.map((o) => ({ value: o.id, label: o.name })),
          ]}
          showSearch={{ optionFilterProp: 'label' }}
          popupMatchSelectWidth={false}
        />
      </div>
      <div className="fb-filter">
        <span className="fb-filter-label">{t('worklist.filters.area')}</span>
        <Cascader<AreaOption>
          data-testid="filter-area"
          className="fb-filter-area"
          options={areaOptions}
          value={areaValue}
          changeOnSelect
          showSearch
          allowClear
          placeholder={t('worklist.filters.allAreas')}
          displayRender={(labels) => labels.join(' · ')}
          onChange={(path) => {
            const [township, village] = (path ?? []) as (string | undefined)[];
            onChange({ ...value, township: township || undefined, village: village || undefined });
          }}
        />
      </div>
      <div className="fb-filter">
        <span className="fb-filter-label">{t('worklist.filters.bucket')}</span>
        <Select<string>
          data-testid="filter-bucket"
          className="fb-filter-bucket"
          value={value.bucket ?? ''}
          onChange={(bucket) => onChange({ ...value, bucket: bucket || undefined })}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t('worklist.filters.allBuckets') },
            ...(facets?.buckets ?? []).map((b) => ({
              value: b.code,
              label: (
                <span className="fb-bucket-option">
                  <span
                    className={`fb-bucket-dot fb-bucket-dot-${bucketColor(b.minDays)}`}
                    aria-hidden
                  />
                  <span className="fb-bucket-code">{b.code}</span>
                  <span className="fb-secondary">{bucketRangeLabel(b, ctx)}</span>
                </span>
              ),
            })),
          ]}
        />
      </div>
      <Button
        icon={<ReloadOutlined />}
        disabled={!isFiltered}
        onClick={() => onChange({})}
        data-testid="filter-reset"
      >
        {t('worklist.filters.reset')}
      </Button>
    </Space>
  );
}
