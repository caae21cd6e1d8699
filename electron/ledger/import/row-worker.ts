// Worker thread of a desktop import (started by row-source.ts): reads and validates the
// file (the import's second pass) and prepares each valid row (row-prep.ts), posting the
// rows in batches while the main thread writes the ones before. At most MAX_IN_FLIGHT
// batches are unacknowledged, so a slow writer holds the reader back and memory stays flat.
// The main thread ends it when it has what it needs. It writes nothing: the main thread's transaction stays the only writer, and a worker
// ended at any point (cancel, error, the process killed) leaves nothing behind.
import { parentPort, workerData } from 'node:worker_threads';
// From import-passes itself, not the package index: the index also brings the
// reconciliation writer and with it exceljs, which this thread would load for nothing.
import { importPortfolioRows } from '../../../shared/node/portfolio-import/import-passes';
import { prepareRow, type ImportItem } from './row-prep';
import type { RowWorkerData, RowWorkerMessage } from './row-source';

const MAX_IN_FLIGHT = 3;

async function run(port: NonNullable<typeof parentPort>, data: RowWorkerData): Promise<void> {
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on('message', (m: { type: 'ack' }) => {
    if (m.type !== 'ack') return;
    inFlight--;
    wake?.();
    wake = null;
  });
  const post = (m: RowWorkerMessage): void => port.postMessage(m);
  try {
    let items: ImportItem[] = [];
    const send = async (): Promise<void> => {
      post({ type: 'rows', items });
      items = [];
      inFlight++;
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
    };
    for await (const checked of importPortfolioRows(data.file, data.preview)) {
      items.push({
        loanNo: checked.loanNo,
        prepared: checked.row === null ? null : prepareRow(checked.row, data.prep),
      });
      if (items.length >= data.batchRows) await send();
    }
    if (items.length > 0) await send();
    post({ type: 'done' });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const wire = e as Error & { code?: unknown; params?: unknown; reason?: unknown };
    post({
      type: 'error',
      error: {
        name: e.name,
        message: e.message,
        ...(typeof wire.code === 'string' ? { code: wire.code } : {}),
        ...(wire.params !== undefined ? { params: wire.params } : {}),
      },
    });
  }
}

if (parentPort !== null) await run(parentPort, workerData as RowWorkerData);
