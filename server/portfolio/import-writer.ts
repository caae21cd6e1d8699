// Writes a previewed core-banking portfolio file into the server database: ALL valid rows
// in ONE transaction, or nothing (a failure, a cancel, a file changed since the preview or
// a killed process all leave the database as it was).
//
// Per loan number, idempotently:
// - a new loan gets a borrower, contact points, the loan, a snapshot and a case (open and
//   assigned when the loan is delinquent; closed when there is nothing to collect yet);
// - a known loan gets the file's snapshot for the file's date (balances, arrears and days
//   past due as a schedule with what core banking has received, shared/import/loan-snapshot),
//   its loan and borrower details refreshed, new phone numbers added, its case reopened when
//   it became delinquent and given the file's officer when it had none. Facts, assignments
//   made since and contact points officers marked invalid are never touched;
// - with `full`, an active loan of the branch the file does not list (not even on a rejected
//   row) is closed, with a closed snapshot; a case whose loans are all closed is closed.
//
// Rows are written in chunks as they stream from the file, so memory stays flat, and each
// chunk is a fixed handful of set-based statements (import-statements.ts). While the
// database writes one chunk the next is read, validated and prepared (import-chunk.ts):
// reading and writing overlap, with at most one chunk in flight. The change rows devices
// pull are staged in a temporary table and appended to the feed last, under the feed lock
// (server/sync/change-feed.ts).
import type { PortfolioRow } from '../../shared/import/fields';
import type { ReadProgress } from '../../shared/node/portfolio-import';
import { importPortfolioRows, type PortfolioPreview } from '../../shared/node/portfolio-import';
import type { Database } from '../db/database';
import { deferPortfolioReferences, isBulkLoad } from './bulk-load';
import { ChunkBuilder, type PreparedChunk } from './import-chunk';
import { createScratchTables, ImportStatements, type ImportCounts } from './import-statements';

export { isDelinquent } from './import-chunk';

export interface ServerImportOptions {
  branchId: string;
  /** Recorded on the first assignments ('cli:wang'). */
  assignedBy: string;
  /** Close the branch's active loans the file does not list. */
  full: boolean;
  /**
   * Check the references between the written rows once at the end instead of row by row
   * (bulk-load.ts; locks the portfolio tables until commit). Left out: decided by the
   * file's size against the loans the server holds (isBulkLoad).
   */
  bulkLoad?: boolean;
  /** Officer code as the validated rows carry it (the officer's username) -> user id. */
  officerIds: ReadonlyMap<string, string>;
  now?: Date;
  signal?: AbortSignal;
  onProgress?: (progress: ServerImportProgress) => void;
}

export interface ServerImportProgress {
  phase: 'writing' | 'closing' | 'committing';
  rowsRead: number;
  totalRows: number;
  loansWritten: number;
}

export type ServerImportResult = ImportCounts;

/** Rows per chunk: big enough that statements are few, small enough to stay in temp buffers. */
const CHUNK = 2000;

/**
 * Rows read between two turns of the event loop while a chunk is being written: each of
 * the chunk's statements is sent only when the event loop has seen the previous one's
 * answer, so the database waits up to this many rows' work (~40 µs each) per statement.
 */
const YIELD_EVERY = 20;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Writes the previewed file. The preview must allow the import (no file issue, some valid
 * rows); whether rejected rows may be left out is the caller's decision (the CLI refuses
 * unless --valid-only). Throws, with nothing written, on cancel or when the file changed.
 */
export async function writePortfolioImport(
  db: Database,
  path: string,
  preview: PortfolioPreview,
  options: ServerImportOptions,
): Promise<ServerImportResult> {
  const now = options.now ?? new Date();
  const officerOf = (row: PortfolioRow): string | null =>
    row.officerCode === null ? null : (options.officerIds.get(row.officerCode) ?? null);
  return db.transaction(async (tx) => {
    await createScratchTables(tx, options.full);
    const bulk = options.bulkLoad ?? (await isBulkLoad(tx, preview.report.totalRows));
    const deferred = bulk ? await deferPortfolioReferences(tx) : null;
    const run = new ImportStatements(tx, options.branchId, options.assignedBy, now);
    const result = run.counts;
    const totalRows = preview.report.totalRows;
    const progress = (phase: ServerImportProgress['phase']): void =>
      options.onProgress?.({
        phase,
        rowsRead: result.rowsRead,
        totalRows,
        loansWritten: result.loansCreated + result.loansUpdated,
      });
    // The chunk the database is writing while the next one is read; never more than one,
    // and always settled before this function returns or throws: a statement left running
    // after the transaction ended would run outside it.
    let inFlight: Promise<void> | null = null;
    const settle = async (): Promise<void> => {
      const pending = inFlight;
      inFlight = null;
      if (pending) await pending;
    };
    const send = async (chunk: PreparedChunk, rowsRead: number): Promise<void> => {
      await settle();
      options.signal?.throwIfAborted();
      const write = run.writeChunk(chunk).then(() => {
        result.rowsRead = rowsRead;
        progress('writing');
      });
      // Observed by settle(); this only keeps an early failure from being reported as unhandled.
      write.catch(() => undefined);
      inFlight = write;
    };
    try {
      const passOptions: { signal?: AbortSignal; onProgress?: (p: ReadProgress) => void } = {};
      if (options.signal) passOptions.signal = options.signal;
      const chunk = new ChunkBuilder(officerOf);
      let rowsRead = 0;
      let leftOut = 0;
      for await (const checked of importPortfolioRows(path, preview, passOptions)) {
        rowsRead++;
        if (options.full && checked.loanNo !== null) chunk.addSeen(checked.loanNo);
        if (checked.row) chunk.add(checked.row);
        else leftOut++;
        if (chunk.rows >= CHUNK || chunk.seen >= CHUNK * 2) await send(chunk.take(), rowsRead);
        // The reader hands over a whole buffer of rows without returning to the event loop;
        // let the database's answers in, so the chunk in flight gets its next statement.
        else if (rowsRead % YIELD_EVERY === 0 && inFlight) await yieldToEventLoop();
      }
      await send(chunk.take(), rowsRead);
      await settle();
      result.rowsLeftOut = leftOut;
    } finally {
      // On a failure the transaction rolls back, but only once the chunk in flight is done.
      await settle().catch(() => undefined);
    }
    options.signal?.throwIfAborted();
    if (options.full) {
      progress('closing');
      await run.closeMissing(preview.context.asOfDate);
    }
    options.signal?.throwIfAborted();
    progress('committing');
    await deferred?.restore();
    options.signal?.throwIfAborted();
    await run.appendFeed();
    return result;
  });
}
