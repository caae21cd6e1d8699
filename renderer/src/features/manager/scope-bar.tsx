// The date (and, on the dashboard, the officer) a manager's screen is computed for. Dates
// after the business date cannot be picked: the ledger has no snapshot of tomorrow.
import { DatePicker, Select } from 'antd';
import dayjs from 'dayjs';
import type { UserSummary } from '../../../../shared/api/contract';
import type { IsoDate } from '../../../../shared/domain/types';
import type { FormatContext } from '../../i18n/format';

export interface ScopeBarProps {
  asOf: IsoDate;
  today: IsoDate;
  onDateChange: (asOf: IsoDate | null) => void;
  /** Without officers, no officer filter is shown. */
  officers?: readonly UserSummary[];
  officerId?: string | null;
  onOfficerChange?: (officerId: string | null) => void;
  ctx: FormatContext;
}

export function ScopeBar({
  asOf,
  today,
  onDateChange,
  officers,
  officerId,
  onOfficerChange,
  ctx,
}: ScopeBarProps) {
  const { t } = ctx;
  return (
    <div className="fb-scope-bar">
      <DatePicker
        data-testid="scope-date"
        aria-label={t('manager.scope.asOf')}
        value={dayjs(asOf)}
        format="YYYY-MM-DD"
        allowClear={false}
        disabledDate={(d) => d.format('YYYY-MM-DD') > today}
        onChange={(d) => {
          const next = d ? d.format('YYYY-MM-DD') : null;
          onDateChange(next === today ? null : next);
        }}
        style={{ width: 132 }}
      />
      {officers && onOfficerChange && (
        <Select<string>
          data-testid="scope-officer"
          aria-label={t('manager.scope.officer')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('manager.scope.allOfficers')}
          value={officerId ?? undefined}
          onChange={(v) => onOfficerChange(v ?? null)}
          options={officers.map((o) => ({ value: o.id, label: o.name }))}
          style={{ width: 150 }}
        />
      )}
    </div>
  );
}
