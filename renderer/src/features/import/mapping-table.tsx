// Which column of the file feeds each Fieldbook field. Each column feeds one field at most:
// picking a column another field had moves it here. Money fields also say what their
// numbers count (元 / 万元 / 分), since some exports state principal in 万元.
import { Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { ColumnMappingInput } from '../../../../shared/api/import-contract';
import {
  MONEY_FIELD_KEYS,
  MONEY_UNITS,
  PORTFOLIO_FIELDS,
  type MoneyFieldKey,
  type MoneyUnit,
  type PortfolioFieldKey,
  type RawRow,
} from '../../../../shared/import';
import { useFormatContext } from '../../app/use-format';
import { fieldLabel } from './import-texts';
import { assignColumn, exampleValue, setMoneyUnit } from './mapping-edit';

function isMoneyField(field: PortfolioFieldKey): field is MoneyFieldKey {
  return (MONEY_FIELD_KEYS as readonly string[]).includes(field);
}

export interface MappingTableProps {
  fields: readonly PortfolioFieldKey[];
  headers: readonly string[];
  sampleRows: readonly RawRow[];
  mapping: ColumnMappingInput;
  onChange: (mapping: ColumnMappingInput) => void;
}

export function MappingTable({ fields, headers, sampleRows, mapping, onChange }: MappingTableProps) {
  const { t } = useTranslation();
  const { lang } = useFormatContext();
  const usedBy = new Map<string, PortfolioFieldKey>();
  for (const [f, h] of Object.entries(mapping.columns) as [PortfolioFieldKey, string | undefined][]) {
    if (h !== undefined) usedBy.set(h, f);
  }

  const setUnit = (field: MoneyFieldKey, unit: MoneyUnit) => onChange(setMoneyUnit(mapping, field, unit));

  const columns: ColumnsType<PortfolioFieldKey> = [
    {
      key: 'field',
      title: t('import.mapping.field'),
      width: 150,
      render: (_: unknown, field) => (
        <span className="fb-import-field-label">
          {fieldLabel(field, lang)}
          {PORTFOLIO_FIELDS[field].required && (
            <span className="fb-import-required" title={t('import.mapping.required')}>
              *
            </span>
          )}
        </span>
      ),
    },
    {
      key: 'column',
      title: t('import.mapping.column'),
      width: 190,
      render: (_: unknown, field) => {
        const value = mapping.columns[field];
        const missing = PORTFOLIO_FIELDS[field].required && value === undefined;
        return (
          <Select<string>
            data-testid={`import-map-${field}`}
            className="fb-import-column-select"
            size="small"
            value={value}
            status={missing ? 'error' : undefined}
            placeholder={missing ? t('import.mapping.chooseRequired') : t('import.mapping.notImported')}
            allowClear
            showSearch
            popupMatchSelectWidth={260}
            options={headers.map((h) => ({ value: h, label: h }))}
            optionRender={(option) => {
              const header = String(option.value);
              const other = usedBy.get(header);
              return (
                <span className="fb-import-option">
                  <span>{header}</span>
                  {other && other !== field && (
                    <span className="fb-secondary">{t('import.mapping.usedBy', { field: fieldLabel(other, lang) })}</span>
                  )}
                </span>
              );
            }}
            onChange={(h) => onChange(assignColumn(mapping, field, h ?? undefined))}
          />
        );
      },
    },
    {
      key: 'example',
      title: t('import.mapping.example'),
      ellipsis: true,
      render: (_: unknown, field) => {
        const text = exampleValue(sampleRows, mapping.columns[field]);
        return text ? (
          <Typography.Text className="fb-import-example" title={text}>
            {text}
          </Typography.Text>
        ) : null;
      },
    },
    {
      key: 'unit',
      title: t('import.mapping.unit'),
      width: 84,
      render: (_: unknown, field) =>
        isMoneyField(field) ? (
          <Select<MoneyUnit>
            data-testid={`import-unit-${field}`}
            size="small"
            className="fb-import-unit-select"
            value={mapping.moneyUnits?.[field] ?? 'yuan'}
            options={MONEY_UNITS.map((u) => ({ value: u, label: t(`import.unit.${u}`) }))}
            onChange={(u) => setUnit(field, u)}
            disabled={mapping.columns[field] === undefined}
          />
        ) : null,
    },
  ];

  return (
    <Table<PortfolioFieldKey>
      className="fb-import-mapping"
      size="small"
      rowKey={(field) => field}
      columns={columns}
      dataSource={[...fields]}
      pagination={false}
    />
  );
}
