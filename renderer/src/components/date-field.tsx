// A business-date picker: the value is an ISO 'YYYY-MM-DD' string, never a Date, and
// days before `min` (usually the business date) cannot be picked.
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import type { IsoDate } from '../../../shared/domain/types';

export interface DateFieldProps {
  value?: IsoDate | null;
  onChange?: (value: IsoDate | null) => void;
  min?: IsoDate;
  testId?: string;
  placeholder?: string;
  id?: string;
  allowClear?: boolean;
}

export function DateField({
  value,
  onChange,
  min,
  testId,
  placeholder,
  id,
  allowClear = true,
}: DateFieldProps) {
  return (
    <DatePicker
      id={id}
      data-testid={testId}
      className="fb-date-field"
      value={value ? dayjs(value) : null}
      placeholder={placeholder}
      allowClear={allowClear}
      format="YYYY-MM-DD"
      disabledDate={(d) => (min ? d.format('YYYY-MM-DD') < min : false)}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : null)}
    />
  );
}
