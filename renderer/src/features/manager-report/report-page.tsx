// The printable branch report (#/manager/report?asOf=YYYY-MM-DD&lang=zh-CN|en): the
// dashboard's figures for one date on A4 pages, with charts, in the language the address
// asks for. A toolbar (not printed) goes back and saves the page as a PDF once every
// chart has drawn.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, Segmented, Skeleton, Tooltip } from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { safeFileName } from '../../../../shared/api/file-host';
import { useApiQuery } from '../../api/use-api-query';
import { useAppInfo } from '../../app/app-info';
import { canPrintToFile, pickFileToSave, printToPdf } from '../../app/files';
import { useRouter } from '../../app/router';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { i18n, LANGUAGES, type Language } from '../../i18n';
import type { FormatContext } from '../../i18n/format';
import { ReportSheet, REPORT_CHART_COUNT } from './report-sheet';
import { useReportLanguage } from './report-language';
import './report.css';

const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '中文', en: 'English' };

export function ReportPage({ asOf }: { asOf: string | null }) {
  const { i18n: appI18n } = useTranslation();
  const [lang, setLang] = useReportLanguage(appI18n.language);
  const t = useMemo(() => i18n.getFixedT(lang), [lang]);
  const info = useAppInfo();
  const router = useRouter();
  const { message } = App.useApp();
  const ctx: FormatContext = useMemo(
    () => ({ t, lang, today: info.today, timeZone: info.branch.timezone }),
    [t, lang, info.today, info.branch.timezone],
  );
  const query = useApiQuery('manager.dashboard', asOf ? { asOf } : {});
  const data = query.data;
  const [saving, setSaving] = useState(false);
  // A new language or date draws a new sheet: charts count again from none.
  const sheetKey = `${lang}:${data?.asOf ?? ''}`;
  const [drawn, setDrawn] = useState({ sheetKey: '', charts: 0 });
  const ready =
    data !== undefined && drawn.sheetKey === sheetKey && drawn.charts >= REPORT_CHART_COUNT;

  // The PDF's default name in the browser's print dialog is the document title.
  useEffect(() => {
    if (!data) return;
    const previous = document.title;
    document.title = `${info.branch.name} ${t('report.title')} ${data.asOf}`;
    return () => {
      document.title = previous;
    };
  }, [data, info.branch.name, t]);

  const onChartsDrawn = useCallback((charts: number) => setDrawn({ sheetKey, charts }), [sheetKey]);

  const saveAsPdf = async () => {
    if (!data) return;
    setSaving(true);
    try {
      if (!canPrintToFile()) {
        await printToPdf(null);
        return;
      }
      const target = await pickFileToSave({
        defaultName: safeFileName(
          `${info.branch.name}-${t('report.fileName')}-${data.asOf}${lang === 'en' ? '-en' : ''}.pdf`,
        ),
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      });
      if (!target) return;
      await printToPdf(target);
      await target.deliver();
      void message.success(t('report.saved', { name: target.name }));
    } catch (err) {
      void message.error(
        t('report.saveFailed', { detail: err instanceof Error ? err.message : String(err) }),
      );
    } finally {
      setSaving(false);
    }
  };

  // Opened directly (a new window, a bookmark): back goes to the dashboard of that date.
  const back = () => router.back({ screen: 'dashboard', asOf, officerId: null });

  return (
    <div className="fb-report" data-testid="report-page" lang={lang}>
      <div className="fb-report-toolbar" data-testid="report-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={back} data-testid="report-back">
          {t('report.back')}
        </Button>
        <span className="fb-report-toolbar-title">{t('report.toolbarTitle')}</span>
        <Segmented<Language>
          value={lang}
          onChange={setLang}
          options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          data-testid="report-language"
        />
        <Tooltip title={canPrintToFile() ? undefined : t('report.printHint')}>
          <Button
            type="primary"
            icon={<FilePdfOutlined />}
            onClick={() => void saveAsPdf()}
            loading={saving}
            disabled={!ready}
            data-testid="report-save-pdf"
          >
            {t('report.savePdf')}
          </Button>
        </Tooltip>
      </div>
      {query.error && !data && (
        <div className="fb-report-sheet">
          <ApiErrorAlert
            title={t('report.loadFailed')}
            error={query.error}
            onRetry={query.reload}
          />
        </div>
      )}
      {!data && !query.error && (
        <div className="fb-report-sheet" role="status">
          <Skeleton active paragraph={{ rows: 14 }} />
        </div>
      )}
      {data && (
        <ReportSheet
          key={sheetKey}
          data={data}
          ctx={ctx}
          branchName={info.branch.name}
          preparedBy={info.currentUser}
          ready={ready}
          onChartsDrawn={onChartsDrawn}
        />
      )}
    </div>
  );
}
