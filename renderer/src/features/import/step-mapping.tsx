// Step 2: every Fieldbook field with the file's column that feeds it, pre-filled from a
// saved mapping or the recognised headers (the banner says which), plus what the file
// cannot say itself: the date its balances are as of, and what to do with officer codes
// that match no user. A mapping that works can be saved for the next file from that system.
import { useState } from 'react';
import { Alert, App, AutoComplete, Button, DatePicker, Radio, Switch, Tag, Typography } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  missingRequiredFields,
  PORTFOLIO_FIELD_KEYS,
  PORTFOLIO_FIELDS,
  type PortfolioFieldKey,
} from '../../../../shared/import';
import { invoke, asApiError } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query';
import { useFormatContext } from '../../app/use-format';
import { fieldLabel, importErrorText } from './import-texts';
import { MappingTable } from './mapping-table';
import { RawSampleTable } from './raw-sample-table';
import type { ImportFlow, UnknownOfficerMode } from './use-import-flow';

// Required fields first, then the rest in the contract's order, split over two tables.
const ORDERED_FIELDS: PortfolioFieldKey[] = [
  ...PORTFOLIO_FIELD_KEYS.filter((f) => PORTFOLIO_FIELDS[f].required),
  ...PORTFOLIO_FIELD_KEYS.filter((f) => !PORTFOLIO_FIELDS[f].required),
];
const HALF = Math.ceil(ORDERED_FIELDS.length / 2);

export function StepMapping({ flow }: { flow: ImportFlow }) {
  const { t } = useTranslation();
  const { lang } = useFormatContext();
  const { message } = App.useApp();
  const { inspection, mapping, mappingOrigin, asOfDate, unknownOfficer, readOverrides } = flow.state;
  const saved = useApiQuery('import.mappings.list', {});
  const [sourceSystem, setSourceSystem] = useState(
    mappingOrigin?.kind === 'saved' ? mappingOrigin.sourceSystem : '',
  );
  const [saving, setSaving] = useState(false);
  if (!inspection) return null;
  const { meta, sampleRows } = inspection;

  const missing = missingRequiredFields(mapping);
  const mappedHeaders = new Set(Object.values(mapping.columns));
  const unusedHeaders = meta.headers.filter((h) => !mappedHeaders.has(h));

  const save = async () => {
    const name = sourceSystem.trim();
    if (!name) return;
    setSaving(true);
    try {
      await invoke('import.mappings.save', {
        sourceSystem: name,
        mapping,
        headers: meta.headers,
        ...(readOverrides.encoding ? { encoding: readOverrides.encoding } : {}),
        ...(readOverrides.delimiter ? { delimiter: readOverrides.delimiter } : {}),
        ...(typeof readOverrides.sheet === 'string' ? { sheet: readOverrides.sheet } : {}),
      });
      flow.markMappingSaved(name);
      saved.reload();
      void message.success(t('import.mapping.saved', { name }));
    } catch (err) {
      void message.error(importErrorText(asApiError('import.mappings.save', err), t, lang));
    } finally {
      setSaving(false);
    }
  };

  const origin =
    mappingOrigin?.kind === 'saved'
      ? t('import.mapping.originSaved', { name: mappingOrigin.sourceSystem })
      : mappingOrigin?.kind === 'suggested'
        ? t('import.mapping.originSuggested', { count: mappingOrigin.recognised })
        : t('import.mapping.originEdited');

  return (
    <div className="fb-import-step" data-testid="import-step-mapping">
      <div className="fb-import-mapping-bar">
        <Alert
          className="fb-import-origin"
          type={mappingOrigin?.kind === 'saved' ? 'success' : 'info'}
          showIcon
          data-testid="import-mapping-origin"
          title={origin}
        />
        <div className="fb-import-save">
          <AutoComplete
            data-testid="import-source-system"
            className="fb-import-source-input"
            value={sourceSystem}
            placeholder={t('import.mapping.sourceSystemPlaceholder')}
            // Other saved names that contain what is typed; never just the name already there.
            options={(saved.data ?? [])
              .filter((m) => m.sourceSystem !== sourceSystem && m.sourceSystem.includes(sourceSystem.trim()))
              .map((m) => ({ value: m.sourceSystem }))}
            onChange={(v: string) => setSourceSystem(v)}
            maxLength={100}
          />
          <Button
            icon={<SaveOutlined />}
            onClick={save}
            loading={saving}
            disabled={!sourceSystem.trim()}
            data-testid="import-save-mapping"
          >
            {t('import.mapping.save')}
          </Button>
        </div>
      </div>

      <div className="fb-import-options">
        <label className="fb-import-option-item">
          <span className="fb-import-option-label">{t('import.mapping.asOfDate')}</span>
          <DatePicker
            data-testid="import-as-of"
            value={asOfDate ? dayjs(asOfDate) : null}
            format="YYYY-MM-DD"
            allowClear={false}
            onChange={(d) => flow.setAsOfDate(d ? d.format('YYYY-MM-DD') : null)}
          />
          {inspection.suggestedAsOfDate && asOfDate === inspection.suggestedAsOfDate && (
            <Tag>{t('import.mapping.asOfFromFile')}</Tag>
          )}
        </label>
        <span className="fb-import-option-item">
          <span className="fb-import-option-label">{t('import.mapping.unknownOfficer')}</span>
          <Radio.Group
            data-testid="import-unknown-officer"
            optionType="button"
            size="small"
            value={unknownOfficer}
            onChange={(e) => flow.setUnknownOfficer(e.target.value as UnknownOfficerMode)}
            options={[
              { value: 'error', label: t('import.mapping.unknownOfficerError') },
              { value: 'warning', label: t('import.mapping.unknownOfficerWarning') },
            ]}
          />
        </span>
        <span className="fb-import-option-item" title={t('import.mapping.splitAddressHint')}>
          <Switch
            size="small"
            data-testid="import-split-address"
            checked={mapping.columns.address !== undefined && mapping.splitAddress !== false}
            disabled={mapping.columns.address === undefined}
            onChange={(on) => flow.setMapping({ ...mapping, splitAddress: on })}
          />
          <span>{t('import.mapping.splitAddress')}</span>
        </span>
      </div>

      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="import-missing-required"
          title={t('import.mapping.missingRequired', {
            fields: missing.map((f) => fieldLabel(f, lang)).join(t('import.listSeparator')),
          })}
        />
      )}

      <div className="fb-import-mapping-grid">
        <MappingTable
          fields={ORDERED_FIELDS.slice(0, HALF)}
          headers={meta.headers}
          sampleRows={sampleRows}
          mapping={mapping}
          onChange={flow.setMapping}
        />
        <MappingTable
          fields={ORDERED_FIELDS.slice(HALF)}
          headers={meta.headers}
          sampleRows={sampleRows}
          mapping={mapping}
          onChange={flow.setMapping}
        />
      </div>
      <div className="fb-secondary fb-import-legend">
        <span className="fb-import-required">*</span> {t('import.mapping.requiredLegend')}
        {unusedHeaders.length > 0 && (
          <span data-testid="import-unused-columns">
            {' · '}
            {t('import.mapping.unused', { count: unusedHeaders.length })}{' '}
            {unusedHeaders.map((h) => (
              <Tag key={h} className="fb-import-unused-tag">
                {h}
              </Tag>
            ))}
          </span>
        )}
      </div>

      <section className="fb-import-section">
        <Typography.Text strong>{t('import.mapping.sample')}</Typography.Text>
        <RawSampleTable headers={meta.headers} rows={sampleRows} limit={5} testId="import-mapping-sample" />
      </section>
    </div>
  );
}
