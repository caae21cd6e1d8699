// Field activity handed back to the core banking system: payments, reversals, promises,
// contacts and plan decisions of a date range, keyed by the core system's loan and receipt
// numbers, as CSV or Excel. Labels (现金, 上门) for people; codes (cash, visit) for a program.
import { useState } from 'react';
import { Alert, App, Button, DatePicker, Radio, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { IsoDate } from '../../../../shared/domain/types';
import { asApiError, invoke, type ApiError } from '../../api/client';
import { pickFileToSave } from '../../app/files';
import { useFormatContext } from '../../app/use-format';
import { importErrorText } from './import-texts';

type Format = 'csv' | 'xlsx';
type Values = 'labels' | 'codes';

/** The first day of the business date's month. */
export function monthStart(today: IsoDate): IsoDate {
  return `${today.slice(0, 7)}-01`;
}

export function reconciliationFileName(from: IsoDate, to: IsoDate, format: Format, lang: 'zh-CN' | 'en'): string {
  const stem = lang === 'zh-CN' ? '外勤对账' : 'field-activity';
  return `${stem}_${from}_${to}.${format}`;
}

export function ReconciliationExport() {
  const { t } = useTranslation();
  const { lang, today } = useFormatContext();
  const { message } = App.useApp();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs(monthStart(today)), dayjs(today)]);
  const [format, setFormat] = useState<Format>('xlsx');
  const [values, setValues] = useState<Values>('labels');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [last, setLast] = useState<{ rows: number; name: string } | null>(null);

  const exportNow = async () => {
    const from = range[0].format('YYYY-MM-DD');
    const to = range[1].format('YYYY-MM-DD');
    const target = await pickFileToSave({
      defaultName: reconciliationFileName(from, to, format, lang),
      filters: [{ name: t(`import.export.format.${format}`), extensions: [format] }],
    });
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      const written = await invoke('export.reconciliation', { from, to, format, file: target.path, lang, values });
      await target.deliver();
      setLast({ rows: written.rows, name: target.name });
      void message.success(t('import.export.done', { count: written.rows, name: target.name }));
    } catch (err) {
      setError(asApiError('export.reconciliation', err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="fb-import-export" data-testid="reconciliation-export">
      <Typography.Paragraph type="secondary" className="fb-import-export-intro">
        {t('import.export.intro')}
      </Typography.Paragraph>
      <div className="fb-import-export-form">
        <label className="fb-import-option-item">
          <span className="fb-import-option-label">{t('import.export.range')}</span>
          <DatePicker.RangePicker
            data-testid="reconciliation-range"
            value={range}
            allowClear={false}
            format="YYYY-MM-DD"
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            onChange={(v) => {
              if (v?.[0] && v[1]) setRange([v[0], v[1]]);
            }}
          />
        </label>
        <span className="fb-import-option-item">
          <span className="fb-import-option-label">{t('import.export.fileType')}</span>
          <Radio.Group
            data-testid="reconciliation-format"
            optionType="button"
            value={format}
            onChange={(e) => setFormat(e.target.value as Format)}
            options={[
              { value: 'xlsx', label: t('import.export.format.xlsx') },
              { value: 'csv', label: t('import.export.format.csv') },
            ]}
          />
        </span>
        <span className="fb-import-option-item">
          <span className="fb-import-option-label">{t('import.export.values')}</span>
          <Radio.Group
            data-testid="reconciliation-values"
            optionType="button"
            value={values}
            onChange={(e) => setValues(e.target.value as Values)}
            options={[
              { value: 'labels', label: t('import.export.labels') },
              { value: 'codes', label: t('import.export.codes') },
            ]}
          />
        </span>
        <Button
          type="primary"
          icon={<DownloadOutlined />}
          loading={busy}
          onClick={exportNow}
          data-testid="reconciliation-export-button"
        >
          {t('import.export.button')}
        </Button>
      </div>
      <div className="fb-secondary">{t('import.export.valuesHint')}</div>
      {last && (
        <div className="fb-import-export-last" data-testid="reconciliation-last">
          {t('import.export.last', { count: last.rows, name: last.name })}
        </div>
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="reconciliation-error"
          title={t('import.export.failed')}
          description={importErrorText(error, t, lang)}
        />
      )}
    </div>
  );
}
