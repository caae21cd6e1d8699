import type { RawCell } from '../../import/raw-row';

/** One row of a sheet as read, before headers are applied. */
export interface SheetRecord {
  /** Row number as a spreadsheet shows it (1-based). */
  rowNumber: number;
  cells: readonly RawCell[];
}
