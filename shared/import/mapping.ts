// Which source column feeds which portfolio field. The reader suggests a mapping from the
// headers; the user corrects it on the mapping screen and may save it per source system
// (saved-mapping.ts); validation applies it.
import {
  MONEY_FIELD_KEYS,
  PORTFOLIO_FIELD_KEYS,
  REQUIRED_FIELD_KEYS,
  type MoneyFieldKey,
  type MoneyUnit,
  type PortfolioFieldKey,
} from './fields';
import { headerMoneyUnit, matchHeader, type HeaderMatch } from './header-names';

export interface ColumnMapping {
  /** field -> source column header exactly as SourceMeta.headers lists it. */
  columns: Partial<Record<PortfolioFieldKey, string>>;
  /** Unit of a money column when not yuan ('贷款金额(万元)'). */
  moneyUnits?: Partial<Record<MoneyFieldKey, MoneyUnit>>;
  /**
   * When the address column is mapped, fill county / township / village from it wherever
   * their own columns are unmapped or blank. Default true.
   */
  splitAddress?: boolean;
}

export interface MappingSuggestion {
  mapping: ColumnMapping;
  /** How each mapped header was recognised. */
  matches: Array<{ header: string; field: PortfolioFieldKey; how: HeaderMatch['how'] }>;
  /** Headers no field took (shown on the mapping screen for the user to assign or ignore). */
  unmappedHeaders: string[];
  /** Required fields with no column: the import cannot start until the user maps them. */
  missingRequired: PortfolioFieldKey[];
}

/** Proposes a mapping for a file's headers. Each field takes at most one column, each column one field. */
export function suggestMapping(headers: readonly string[]): MappingSuggestion {
  const best = new Map<PortfolioFieldKey, { header: string; match: HeaderMatch; order: number }>();
  headers.forEach((header, order) => {
    const match = matchHeader(header);
    if (!match) return;
    const current = best.get(match.field);
    if (!current || isBetter(match, order, current.match, current.order)) best.set(match.field, { header, match, order });
  });
  const columns: Partial<Record<PortfolioFieldKey, string>> = {};
  const moneyUnits: Partial<Record<MoneyFieldKey, MoneyUnit>> = {};
  const matches: MappingSuggestion['matches'] = [];
  for (const field of PORTFOLIO_FIELD_KEYS) {
    const hit = best.get(field);
    if (!hit) continue;
    columns[field] = hit.header;
    matches.push({ header: hit.header, field, how: hit.match.how });
    if ((MONEY_FIELD_KEYS as readonly string[]).includes(field)) {
      const unit = headerMoneyUnit(hit.header);
      if (unit && unit !== 'yuan') moneyUnits[field as MoneyFieldKey] = unit;
    }
  }
  const mapped = new Set(Object.values(columns));
  const mapping: ColumnMapping = { columns, splitAddress: true };
  if (Object.keys(moneyUnits).length > 0) mapping.moneyUnits = moneyUnits;
  return {
    mapping,
    matches,
    unmappedHeaders: headers.filter((h) => !mapped.has(h)),
    missingRequired: missingRequiredFields(mapping),
  };
}

function isBetter(a: HeaderMatch, aOrder: number, b: HeaderMatch, bOrder: number): boolean {
  if (a.how !== b.how) return a.how === 'exact';
  if (a.rank !== b.rank) return a.rank < b.rank;
  return aOrder < bOrder;
}

export function missingRequiredFields(mapping: ColumnMapping): PortfolioFieldKey[] {
  return REQUIRED_FIELD_KEYS.filter((f) => !mapping.columns[f]);
}

/** How many header cells of a row name a known field: the header row is the one that names most. */
export function headerScore(cells: readonly string[]): number {
  const fields = new Set<PortfolioFieldKey>();
  for (const cell of cells) {
    const match = matchHeader(cell);
    if (match) fields.add(match.field);
  }
  return fields.size;
}

/** Rows to look through for the header (report titles and blank lines come first in some exports). */
export const HEADER_SEARCH_ROWS = 10;

/**
 * Index of the header row among the first rows of a sheet: the row naming the most known
 * fields (at least two), else the first row that fills at least half as many cells as the
 * widest row (a title row fills one). -1 when every row is blank.
 */
export function findHeaderRow(rows: ReadonlyArray<readonly string[]>): number {
  let bestIndex = -1;
  let bestScore = 1;
  rows.forEach((cells, i) => {
    const score = headerScore(cells);
    if (score > bestScore) {
      bestScore = score;
      bestIndex = i;
    }
  });
  if (bestIndex >= 0) return bestIndex;
  const filled = rows.map((cells) => cells.filter((c) => c.trim() !== '').length);
  const widest = Math.max(0, ...filled);
  if (widest === 0) return -1;
  return filled.findIndex((n) => n > 0 && n * 2 >= widest);
}
