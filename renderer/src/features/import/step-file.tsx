// Step 1: pick the core banking export and check how it is read. Detection (encoding,
// delimiter, sheet, header row) is shown next to a control to override it; the raw rows
// below show at a glance whether the names came out right.
import { Alert, Button, Descriptions, InputNumber, Select, Spin, Tag, Typography } from 'antd';
import { FileExcelOutlined, FileTextOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DELIMITERS, SOURCE_ENCODINGS, type Delimiter, type SourceEncoding } from '../../../../shared/import';
import { pickFileToOpen } from '../../app/files';
import { useFormatContext } from '../../app/use-format';
import { delimiterText, fileSizeText, importErrorText } from './import-texts';
import { RawSampleTable } from './raw-sample-table';
import type { ImportFlow } from './use-import-flow';

const OPENABLE = ['csv', 'tsv', 'txt', 'xlsx', 'xls'];

export function StepFile({ flow }: { flow: ImportFlow }) {
  const { t } = useTranslation();
  const { lang } = useFormatContext();
  const { file, inspection, inspecting, inspectError, readOverrides } = flow.state;
  const meta = inspection?.meta ?? null;

  const choose = async () => {
    const picked = await pickFileToOpen({
      filters: [{ name: t('import.file.filterName'), extensions: OPENABLE }],
    });
    if (picked) await flow.openFile({ path: picked.path, name: picked.name });
  };

  if (!file) {
    return (
      <div className="fb-import-drop" data-testid="import-choose-area">
        <FolderOpenOutlined className="fb-import-drop-icon" />
        <Typography.Title level={4} className="fb-import-drop-title">
          {t('import.file.chooseTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" className="fb-import-drop-hint">
          {t('import.file.chooseHint')}
        </Typography.Paragraph>
        <Button type="primary" size="large" icon={<FolderOpenOutlined />} onClick={choose} data-testid="import-choose-file">
          {t('import.file.choose')}
        </Button>
      </div>
    );
  }

  const isXlsx = meta?.format === 'xlsx';
  const encoding = readOverrides.encoding ?? meta?.encoding ?? undefined;
  const delimiter = readOverrides.delimiter ?? meta?.delimiter ?? undefined;
  const detectedTag = (overridden: boolean) =>
    overridden ? (
      <Tag color="blue">{t('import.file.chosenByYou')}</Tag>
    ) : (
      <Tag>{t('import.file.detected')}</Tag>
    );

  return (
    <div className="fb-import-step" data-testid="import-step-file">
      <div className="fb-import-file-head">
        {isXlsx ? <FileExcelOutlined className="fb-import-file-icon" /> : <FileTextOutlined className="fb-import-file-icon" />}
        <div className="fb-import-file-name">
          <Typography.Text strong data-testid="import-file-name">
            {file.name}
          </Typography.Text>
          {meta && (
            <span className="fb-secondary">
              {t(`import.format.${meta.format}`)} · {fileSizeText(meta.fileSize)} ·{' '}
              {t('import.file.columns', { count: meta.headers.length })}
            </span>
          )}
        </div>
        <Button icon={<FolderOpenOutlined />} onClick={choose} disabled={inspecting}>
          {t('import.file.chooseOther')}
        </Button>
      </div>

      {inspectError && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="import-inspect-error"
          title={t('import.file.cannotRead')}
          description={importErrorText(inspectError, t, lang)}
        />
      )}

      <Spin spinning={inspecting} description={t('import.file.reading')}>
        <Descriptions
          className="fb-import-reading"
          size="small"
          bordered
          column={2}
          data-testid="import-reading"
          items={[
            ...(!isXlsx
              ? [
                  {
                    key: 'encoding',
                    label: t('import.file.encoding'),
                    children: (
                      <span className="fb-import-setting">
                        <Select<SourceEncoding>
                          data-testid="import-encoding"
                          className="fb-import-setting-select"
                          value={encoding}
                          placeholder={t('import.file.choosePlaceholder')}
                          options={SOURCE_ENCODINGS.map((e) => ({ value: e, label: t(`import.encoding.${e}`) }))}
                          onChange={(v) => void flow.setReadOption('encoding', v)}
                        />
                        {meta && detectedTag(readOverrides.encoding !== undefined)}
                      </span>
                    ),
                  },
                  {
                    key: 'delimiter',
                    label: t('import.file.delimiter'),
                    children: (
                      <span className="fb-import-setting">
                        <Select<Delimiter>
                          data-testid="import-delimiter"
                          className="fb-import-setting-select"
                          value={delimiter}
                          placeholder={t('import.file.choosePlaceholder')}
                          options={DELIMITERS.map((d) => ({ value: d, label: delimiterText(d, t) }))}
                          onChange={(v) => void flow.setReadOption('delimiter', v)}
                        />
                        {meta && detectedTag(readOverrides.delimiter !== undefined)}
                      </span>
                    ),
                  },
                ]
              : [
                  {
                    key: 'sheet',
                    label: t('import.file.sheet'),
                    span: 1,
                    children: (
                      <span className="fb-import-setting">
                        <Select<string>
                          data-testid="import-sheet"
                          className="fb-import-setting-select"
                          value={meta?.sheet ?? undefined}
                          options={(meta?.sheets ?? []).map((s) => ({ value: s, label: s }))}
                          onChange={(v) => void flow.setReadOption('sheet', v)}
                        />
                        {meta && detectedTag(readOverrides.sheet !== undefined)}
                      </span>
                    ),
                  },
                ]),
            {
              key: 'headerRow',
              label: t('import.file.headerRow'),
              children: (
                <span className="fb-import-setting">
                  <InputNumber<number>
                    data-testid="import-header-row"
                    min={1}
                    max={1000}
                    precision={0}
                    value={readOverrides.headerRow ?? meta?.headerRow ?? null}
                    onChange={(v) => {
                      if (typeof v === 'number' && v !== (meta?.headerRow ?? null)) void flow.setReadOption('headerRow', v);
                    }}
                    disabled={!meta}
                  />
                  <span className="fb-secondary">{t('import.file.headerRowHint')}</span>
                  {meta && detectedTag(readOverrides.headerRow !== undefined)}
                </span>
              ),
            },
            ...(meta && meta.preamble.length > 0
              ? [
                  {
                    key: 'preamble',
                    label: t('import.file.preamble'),
                    span: 2,
                    children: <span className="fb-import-preamble">{meta.preamble.join(' · ')}</span>,
                  },
                ]
              : []),
          ]}
        />
      </Spin>

      {meta && inspection && (
        <section className="fb-import-section">
          <Typography.Text strong>{t('import.file.firstRows')}</Typography.Text>
          <span className="fb-secondary"> {t('import.file.firstRowsHint')}</span>
          <RawSampleTable headers={meta.headers} rows={inspection.sampleRows} limit={6} testId="import-raw-sample" />
        </section>
      )}
    </div>
  );
}
