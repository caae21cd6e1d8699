// Where a desktop import's rows come from: the second pass over the file
// (importPortfolioRows), each valid row prepared (row-prep.ts), in batches, in file order.
//
// For a large file the pass runs in a worker thread (row-worker.ts): reading, decoding,
// parsing, validating and rebuilding schedules is about half the CPU of an import, and on
// a second core it overlaps with the main thread's SQLite writes. The worker only reads;
// every write stays in the main thread's one transaction, so all-or-nothing, cancel and a
// killed process behave as before. When no worker can be started (its entry is missing
// from a build, or a thread cannot load TypeScript) the same pass runs on this thread.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type ErrorParams } from '../../../shared/errors';
import type { ReadErrorReason } from '../../../shared/import/issue-codes';
import {
  importPortfolioRows,
  PortfolioReadError,
  type PortfolioPreview,
} from '../../../shared/node/portfolio-import';
import { prepareRow, type ImportItem, type RowPrepContext } from './row-prep';

/** Rows per batch handed from the worker (a few batches in flight at most, see row-worker.ts). */
const BATCH_ROWS = 500;
/** Below this many rows a worker's start-up (a second module graph) costs more than it saves. */
const WORKER_MIN_ROWS = 5_000;

export interface RowWorkerData {
  file: string;
  preview: PortfolioPreview;
  prep: RowPrepContext;
  batchRows: number;
}

export interface WireErrorLike {
  name: string;
  message: string;
  code?: string;
  params?: unknown;
}

export type RowWorkerMessage =
  | { type: 'rows'; items: ImportItem[] }
  | { type: 'done' }
  | { type: 'error'; error: WireErrorLike };

export interface RowSourceOptions {
  signal?: AbortSignal;
  prep: RowPrepContext;
  /** true: always a worker (tests); false: never; default: for files of WORKER_MIN_ROWS rows or more. */
  worker?: boolean;
}

/** How the rows were produced, for timings and tests. */
export interface RowSource extends AsyncIterable<ImportItem[]> {
  readonly mode: 'worker' | 'same-thread';
}

export function importRowSource(
  file: string,
  preview: PortfolioPreview,
  options: RowSourceOptions,
): RowSource {
  const env = process.env.FIELDBOOK_IMPORT_WORKER;
  const wanted =
    options.worker ??
    (env === '0' ? false : env === '1' ? true : preview.report.totalRows >= WORKER_MIN_ROWS);
  const entry = wanted ? workerEntry() : null;
  if (entry !== null) return workerRows(file, preview, options, entry);
  return sameThreadRows(file, preview, options);
}

function sameThreadRows(
  file: string,
  preview: PortfolioPreview,
  options: RowSourceOptions,
): RowSource {
  return {
    mode: 'same-thread',
    async *[Symbol.asyncIterator]() {
      let items: ImportItem[] = [];
      for await (const checked of importPortfolioRows(
        file,
        preview,
        options.signal ? { signal: options.signal } : {},
      )) {
        items.push({
          loanNo: checked.loanNo,
          prepared: checked.row === null ? null : prepareRow(checked.row, options.prep),
        });
        if (items.length >= BATCH_ROWS) {
          yield items;
          items = [];
        }
      }
      if (items.length > 0) yield items;
    },
  };
}

/**
 * The worker's entry: the TypeScript source next to this file (tsx, vitest), or the
 * bundle's own chunk next to the main bundle (electron-vite input 'import-row-worker').
 */
function workerEntry(): { url: URL; typescript: boolean } | null {
  for (const [name, typescript] of [
    ['./row-worker.ts', true],
    ['./import-row-worker.js', false],
  ] as const) {
    try {
      const url = new URL(name, import.meta.url);
      if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return { url, typescript };
    } catch {
      // Not a file URL (a bundle loaded otherwise): no worker.
    }
  }
  return null;
}

/**
 * The worker's heap, capped: its live data is small (modules, the pinyin cache, the loan
 * numbers seen, a few batches), but left to V8's defaults a second heap grows lazily and
 * an import's peak memory rose by ~150 MB (and kept rising). Young generation small, old
 * generation with room for a file of many distinct names; a worker that still runs out
 * fails the import, which rolls back like any error.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 192 };

function startWorker(entry: { url: URL; typescript: boolean }, data: RowWorkerData): Worker {
  if (!entry.typescript) {
    return new Worker(entry.url, { workerData: data, resourceLimits: WORKER_LIMITS });
  }
  // Node 20 loads a worker's entry before the --import hooks it inherits can handle '.ts'
  // (ERR_UNKNOWN_FILE_EXTENSION): a small bootstrap registers tsx in the thread first.
  // require.resolve gives tsx's CommonJS build of the API; the thread needs its ESM twin.
  const api = createRequire(import.meta.url).resolve('tsx/esm/api');
  const esmApi = api.replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(existsSync(esmApi) ? esmApi : api).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.url.href)}); });`;
  return new Worker(bootstrap, {
    eval: true,
    workerData: data,
    execArgv: [],
    resourceLimits: WORKER_LIMITS,
  });
}

/** The preview without what the worker does not need (the issue list, the sample rows). */
function slimPreview(preview: PortfolioPreview): PortfolioPreview {
  return { ...preview, sample: [], report: { ...preview.report, issues: [] } };
}

function fromWire(e: WireErrorLike): Error {
  const params = (e.params ?? {}) as ErrorParams;
  if (e.name === 'PortfolioReadError' && typeof params.reason === 'string') {
    const { reason, ...rest } = params;
    return new PortfolioReadError(reason as ReadErrorReason, e.message, rest);
  }
  if (e.code !== undefined) return new AppError(e.code as ErrorCode, e.message, params);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

class WorkerFailedToStart extends Error {}

function workerRows(
  file: string,
  preview: PortfolioPreview,
  options: RowSourceOptions,
  entry: { url: URL; typescript: boolean },
): RowSource {
  const source = {
    mode: 'worker' as 'worker' | 'same-thread',
    async *[Symbol.asyncIterator](): AsyncGenerator<ImportItem[]> {
      const { signal } = options;
      signal?.throwIfAborted();
      const worker = startWorker(entry, {
        file,
        preview: slimPreview(preview),
        prep: options.prep,
        batchRows: BATCH_ROWS,
      });
      const queue: (RowWorkerMessage | { type: 'failed'; error: Error })[] = [];
      let wake: (() => void) | null = null;
      const push = (m: (typeof queue)[number]): void => {
        queue.push(m);
        wake?.();
        wake = null;
      };
      let started = false;
      worker.on('message', (m: RowWorkerMessage) => push(m));
      worker.on('error', (error: Error) => push({ type: 'failed', error }));
      worker.on('exit', (code) =>
        push({ type: 'failed', error: new Error(`import worker exited (${code})`) }),
      );
      const onAbort = (): void => push({ type: 'failed', error: abortReason(signal) });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        for (;;) {
          while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
          const m = queue.shift() as (typeof queue)[number];
          if (m.type === 'rows') {
            started = true;
            worker.postMessage({ type: 'ack' });
            yield m.items;
            signal?.throwIfAborted();
          } else if (m.type === 'done') {
            return;
          } else if (m.type === 'error') {
            throw fromWire(m.error);
          } else {
            if (!started && !signal?.aborted) throw new WorkerFailedToStart(m.error.message);
            throw m.error;
          }
        }
      } catch (err) {
        if (!(err instanceof WorkerFailedToStart)) throw err;
        // Nothing was handed out yet: the same pass on this thread instead.
        source.mode = 'same-thread';
        yield* sameThreadRows(file, preview, options);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        void worker.terminate();
      }
    },
  };
  return source;
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}
