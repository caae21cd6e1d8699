// Writing a list or the dashboard to a file: ask where (the save dialog, or a download in
// the browser), let the ledger write it, then hand it over. A cancelled dialog is not an
// error; every outcome is told in a message.
import { useCallback, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OpInput } from '../../../../shared/api/contract';
import { asApiError, invoke } from '../../api/client';
import { pickFileToSave } from '../../app/files';
import { isLanguage } from '../../i18n';
import { errorText } from '../../i18n/format';

export type ExportFormat = 'xlsx' | 'csv';

type ExportRequest = OpInput<'export.list'>;
/** The export without the parts this hook fills in (file, format, language). */
export type ExportSpec =
  | Omit<Extract<ExportRequest, { kind: 'cases' }>, 'file' | 'format' | 'lang'>
  | Omit<Extract<ExportRequest, { kind: 'dashboard' }>, 'file' | 'format' | 'lang'>;

const FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  xlsx: { name: 'Excel', extensions: ['xlsx'] },
  csv: { name: 'CSV', extensions: ['csv'] },
};

export interface ListExport {
  run: (spec: ExportSpec, format: ExportFormat, fileStem: string) => Promise<void>;
  pending: boolean;
}

export function useListExport(): ListExport {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [pending, setPending] = useState(false);
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';

  const run = useCallback(
    async (spec: ExportSpec, format: ExportFormat, fileStem: string) => {
      setPending(true);
      try {
        const target = await pickFileToSave({
          defaultName: `${fileStem}.${format}`,
          filters: [FILTERS[format]],
        });
        if (!target) return;
        const written = await invoke('export.list', {
          ...spec,
          format,
          lang,
          file: target.path,
        } as ExportRequest);
        await target.deliver();
        void message.success(t('manager.export.done', { count: written.rows, name: target.name }));
      } catch (err) {
        void message.error(
          `${t('manager.export.failed')}: ${errorText(asApiError('export.list', err), t)}`,
        );
      } finally {
        setPending(false);
      }
    },
    [lang, message, t],
  );
  return { run, pending };
}
