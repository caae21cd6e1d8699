// A column mapping the user saved for one source system (core banking product, branch
// export, …), so the next file from it maps itself. Storage is the caller's (ledger meta
// table, server config); this is the shape and its check.
import { z } from 'zod';
import { MONEY_FIELD_KEYS, MONEY_UNITS, PORTFOLIO_FIELD_KEYS } from './fields';
import type { ColumnMapping } from './mapping';
import { normaliseHeader } from './header-names';
import { DELIMITERS, SOURCE_ENCODINGS } from './raw-row';

const fieldKey = z.enum(PORTFOLIO_FIELD_KEYS);
const moneyFieldKey = z.enum(MONEY_FIELD_KEYS);

export const SavedMappingSchema = z.object({
  version: z.literal(1),
  /** What the user calls the system the files come from ('信贷管理系统 V3'). */
  sourceSystem: z.string().trim().min(1).max(100),
  columns: z.partialRecord(fieldKey, z.string().min(1).max(200)),
  moneyUnits: z.partialRecord(moneyFieldKey, z.enum(MONEY_UNITS)).optional(),
  splitAddress: z.boolean().default(true),
  /** Reading settings that detection got wrong for this system, pinned. */
  encoding: z.enum(SOURCE_ENCODINGS).optional(),
  delimiter: z.enum(DELIMITERS).optional(),
  sheet: z.string().min(1).max(100).optional(),
  /** Normalised headers of the file the mapping was made on: how a later file is recognised. */
  headerSignature: z.array(z.string()).max(500),
  savedAt: z.iso.datetime(),
});
export type SavedMapping = z.infer<typeof SavedMappingSchema>;

export function toSavedMapping(
  sourceSystem: string,
  mapping: ColumnMapping,
  headers: readonly string[],
  savedAt: string,
  reading: Pick<SavedMapping, 'encoding' | 'delimiter' | 'sheet'> = {},
): SavedMapping {
  return SavedMappingSchema.parse({
    version: 1,
    sourceSystem,
    columns: mapping.columns,
    ...(mapping.moneyUnits ? { moneyUnits: mapping.moneyUnits } : {}),
    splitAddress: mapping.splitAddress ?? true,
    ...reading,
    headerSignature: headers.map(normaliseHeader).filter((h) => h !== ''),
    savedAt,
  });
}

export function mappingFromSaved(saved: SavedMapping): ColumnMapping {
  return {
    columns: { ...saved.columns },
    ...(saved.moneyUnits ? { moneyUnits: { ...saved.moneyUnits } } : {}),
    splitAddress: saved.splitAddress,
  };
}

/**
 * The saved mapping that fits a file's headers: every column it maps must be present, and
 * among those the one whose header signature overlaps the file most. null when none fits.
 */
export function pickSavedMapping(headers: readonly string[], saved: readonly SavedMapping[]): SavedMapping | null {
  const present = new Set(headers);
  const normalised = new Set(headers.map(normaliseHeader));
  let best: SavedMapping | null = null;
  let bestOverlap = -1;
  for (const candidate of saved) {
    if (!Object.values(candidate.columns).every((h) => h !== undefined && present.has(h))) continue;
    const overlap = candidate.headerSignature.filter((h) => normalised.has(h)).length;
    const score = overlap / Math.max(1, candidate.headerSignature.length, normalised.size);
    if (score > bestOverlap) {
      best = candidate;
      bestOverlap = score;
    }
  }
  return best;
}
