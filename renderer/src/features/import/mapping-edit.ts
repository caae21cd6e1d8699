// Editing a column mapping on screen, and reading the file's raw cells for it.
import type { ColumnMappingInput } from '../../../../shared/api/import-contract';
import type { MoneyFieldKey, MoneyUnit, PortfolioFieldKey, RawCell, RawRow } from '../../../../shared/import';

/** A raw cell as text; XLSX dates (which arrive as Date, or as ISO text over IPC) as the day. */
export function rawCellText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell);
}

/** The first non-blank value of a column among the sample rows. */
export function exampleValue(rows: readonly RawRow[], header: string | undefined): string {
  if (!header) return '';
  for (const row of rows) {
    const text = rawCellText(row.cells[header]).trim();
    if (text !== '') return text;
  }
  return '';
}

/** The mapping with `field` fed by `header` (or by nothing); a header feeds one field only. */
export function assignColumn(
  mapping: ColumnMappingInput,
  field: PortfolioFieldKey,
  header: string | undefined,
): ColumnMappingInput {
  const columns: ColumnMappingInput['columns'] = {};
  for (const [f, h] of Object.entries(mapping.columns) as [PortfolioFieldKey, string | undefined][]) {
    if (f !== field && h !== undefined && h !== header) columns[f] = h;
  }
  if (header !== undefined) columns[field] = header;
  return { ...mapping, columns };
}

/** The mapping with a money field's unit set; yuan is the default and is not stored. */
export function setMoneyUnit(mapping: ColumnMappingInput, field: MoneyFieldKey, unit: MoneyUnit): ColumnMappingInput {
  const moneyUnits = { ...mapping.moneyUnits };
  if (unit === 'yuan') delete moneyUnits[field];
  else moneyUnits[field] = unit;
  return { ...mapping, moneyUnits };
}
