// Column mappings saved per source system (import_mappings, migration 0005): the import
// screen's "remember this mapping", offered again by 'import.inspect' when a file's headers fit.
import type { ColumnMapping } from '../../../shared/import/mapping';
import {
  SavedMappingSchema,
  toSavedMapping,
  type SavedMapping,
} from '../../../shared/import/saved-mapping';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';

/** Every saved mapping, newest first; a row that no longer parses is left out, not fatal. */
export function listSavedMappings(ledger: Ledger): SavedMapping[] {
  const rows = stmt<string>(
    ledger.db,
    'SELECT mapping FROM import_mappings ORDER BY saved_at DESC, source_system',
  )
    .pluck()
    .all();
  const mappings: SavedMapping[] = [];
  for (const json of rows) {
    const parsed = SavedMappingSchema.safeParse(JSON.parse(json));
    if (parsed.success) mappings.push(parsed.data);
  }
  return mappings;
}

export interface SaveMappingInput {
  sourceSystem: string;
  mapping: ColumnMapping;
  headers: readonly string[];
  encoding?: SavedMapping['encoding'];
  delimiter?: SavedMapping['delimiter'];
  sheet?: string;
}

/** Saves the mapping of one source system, replacing the one saved before under that name. */
export function saveMapping(ledger: Ledger, userId: string, input: SaveMappingInput): SavedMapping {
  const savedAt = ledger.clock.now().toISOString();
  const saved = toSavedMapping(input.sourceSystem, input.mapping, input.headers, savedAt, {
    ...(input.encoding ? { encoding: input.encoding } : {}),
    ...(input.delimiter ? { delimiter: input.delimiter } : {}),
    ...(input.sheet ? { sheet: input.sheet } : {}),
  });
  stmt(
    ledger.db,
    `INSERT INTO import_mappings (source_system, mapping, saved_at, saved_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (source_system) DO UPDATE SET mapping = excluded.mapping, saved_at = excluded.saved_at,
       saved_by = excluded.saved_by`,
  ).run(saved.sourceSystem, JSON.stringify(saved), savedAt, userId);
  return saved;
}
