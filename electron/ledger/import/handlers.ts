// The ledger's handlers for the import operations of shared/api/import-contract.ts
// (manager or admin only). createLedgerHandlers spreads them into the handler map;
// guardDuringImport (import-guard.ts) refuses the other operations while a run writes.
//
// Previews are kept in memory (the last few) so 'import.run' writes exactly what was
// previewed; a preview is only good for the file as it was (importPortfolioRows checks).
// Progress of every preview and run is kept by runId for 'import.progress' polling: while
// it runs, and for the last few after they end (how they ended, the run's result).
import { v7 as uuidv7 } from 'uuid';
import type { ApiHandlers, CallContext } from '../../../shared/api/contract';
import type { ImportProgress, importOps } from '../../../shared/api/import-contract';
import { AppError } from '../../../shared/errors';
import { toWireReport } from '../../../shared/import/validate';
import {
  inspectPortfolio,
  previewPortfolio,
  type PortfolioPreview,
} from '../../../shared/node/portfolio-import';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import { importPortfolioIntoLedger } from './ledger-import';
import { exportReconciliation } from './reconciliation-export';
import { listSavedMappings, saveMapping } from './saved-mappings';

export type ImportOpName = keyof typeof importOps;
export type ImportHandlers = Pick<ApiHandlers, ImportOpName>;

export interface ImportHandlerOptions {
  /** Also pushed as it happens (a transport that can stream; tests). */
  onProgress?: (event: ImportProgress) => void;
}

const KEEP_PREVIEWS = 4;
const KEEP_FINISHED = 20;

function requireManager(ledger: Ledger, ctx: CallContext): void {
  const role = stmt<string>(ledger.db, 'SELECT role FROM users WHERE id = ? AND active = 1')
    .pluck()
    .get(ctx.userId);
  if (role !== 'manager' && role !== 'admin') {
    throw new AppError(
      'forbidden',
      'Only a manager or an admin may import or export the portfolio',
      { reason: 'manager_only' },
    );
  }
}

function errorCode(err: unknown): string {
  return err instanceof AppError ? err.code : 'internal';
}

function wasCancelled(err: unknown): boolean {
  return err instanceof AppError && err.params['reason'] === 'cancelled';
}

export function createImportHandlers(
  ledger: Ledger,
  options: ImportHandlerOptions = {},
): ImportHandlers {
  const previews = new Map<string, { file: string; preview: PortfolioPreview; userId: string }>();
  const controllers = new Map<string, AbortController>();
  const progress = new Map<string, ImportProgress & { errorCode?: string }>();

  const report = (p: ImportProgress & { errorCode?: string }): void => {
    progress.delete(p.runId);
    progress.set(p.runId, p);
    // Forget the oldest finished runs; running ones are always kept.
    for (const [id, old] of progress) {
      if (progress.size <= KEEP_FINISHED + controllers.size) break;
      if (old.state !== 'running') progress.delete(id);
    }
    options.onProgress?.(p);
  };

  const start = (runId: string): AbortController => {
    if (controllers.has(runId))
      throw new AppError('conflict', 'This run id is in use', { reason: 'run_id_in_use' });
    const controller = new AbortController();
    controllers.set(runId, controller);
    return controller;
  };

  /** Records how a run ended, then hands the error on. */
  const ended = (runId: string, err: unknown): never => {
    const last = progress.get(runId);
    if (last)
      report({
        ...last,
        state: wasCancelled(err) ? 'cancelled' : 'failed',
        errorCode: errorCode(err),
      });
    throw err;
  };

  return {
    async 'import.inspect'(input, ctx) {
      requireManager(ledger, ctx);
      const inspection = await inspectPortfolio(input.file, {
        ...(input.readOptions ? { readOptions: input.readOptions } : {}),
        savedMappings: listSavedMappings(ledger),
      });
      return {
        meta: inspection.meta,
        suggestion: inspection.suggestion,
        mapping: inspection.mapping,
        savedMappingSource: inspection.savedMapping?.sourceSystem ?? null,
        suggestedAsOfDate: inspection.suggestedAsOfDate,
        sampleRows: inspection.sampleRows,
        readOptions: inspection.readOptions,
      };
    },

    async 'import.preview'(input, ctx) {
      requireManager(ledger, ctx);
      const controller = start(input.runId);
      report({
        runId: input.runId,
        stage: 'preview',
        state: 'running',
        bytesRead: 0,
        totalBytes: 0,
        rows: 0,
      });
      try {
        const officers = stmt<{ code: string; name: string }>(
          ledger.db,
          `SELECT login AS code, name FROM users WHERE role = 'officer' AND active = 1`,
        ).all();
        const preview = await previewPortfolio(input.file, {
          mapping: input.mapping,
          context: { asOfDate: input.asOfDate, officers, unknownOfficer: input.unknownOfficer },
          ...(input.readOptions ? { readOptions: input.readOptions } : {}),
          signal: controller.signal,
          onProgress: (p) =>
            report({
              runId: input.runId,
              stage: 'preview',
              state: 'running',
              bytesRead: p.bytesRead,
              totalBytes: p.totalBytes,
              rows: p.rows,
            }),
        });
        const previewId = uuidv7();
        previews.set(previewId, { file: input.file, preview, userId: ctx.userId });
        while (previews.size > KEEP_PREVIEWS)
          previews.delete(previews.keys().next().value as string);
        const last = progress.get(input.runId);
        if (last) report({ ...last, state: 'done' });
        return {
          previewId,
          report: toWireReport(preview.report),
          sample: preview.sample,
          canImport: preview.canImport,
        };
      } catch (err) {
        return ended(input.runId, err);
      } finally {
        controllers.delete(input.runId);
      }
    },

    async 'import.run'(input, ctx) {
      requireManager(ledger, ctx);
      const kept = previews.get(input.previewId);
      if (!kept || kept.userId !== ctx.userId) {
        throw new AppError('not_found', 'This preview is gone: preview the file again', {
          entity: 'preview',
        });
      }
      const controller = start(input.runId);
      report({
        runId: input.runId,
        stage: 'run',
        state: 'running',
        phase: 'writing',
        rowsRead: 0,
        totalRows: kept.preview.report.totalRows,
        loansWritten: 0,
      });
      try {
        const result = await importPortfolioIntoLedger(
          ledger,
          kept.file,
          kept.preview,
          { actorId: ctx.userId, full: input.full, validOnly: input.validOnly },
          {
            signal: controller.signal,
            onProgress: (p) =>
              report({
                runId: input.runId,
                stage: 'run',
                state: 'running',
                ...p,
              }),
          },
        );
        previews.delete(input.previewId);
        report({
          runId: input.runId,
          stage: 'run',
          state: 'done',
          phase: 'done',
          rowsRead: result.rowsRead,
          totalRows: kept.preview.report.totalRows,
          loansWritten: result.loansCreated + result.loansUpdated,
          result,
        });
        return result;
      } catch (err) {
        return ended(input.runId, err);
      } finally {
        controllers.delete(input.runId);
      }
    },

    async 'import.cancel'(input, ctx) {
      requireManager(ledger, ctx);
      const controller = controllers.get(input.runId);
      controller?.abort(new AppError('conflict', 'Cancelled', { reason: 'cancelled' }));
      return { cancelled: controller !== undefined };
    },

    async 'import.progress'(input, ctx) {
      requireManager(ledger, ctx);
      return (
        progress.get(input.runId) ?? { runId: input.runId, stage: 'unknown', state: 'unknown' }
      );
    },

    async 'import.mappings.list'(_input, ctx) {
      requireManager(ledger, ctx);
      return listSavedMappings(ledger);
    },

    async 'import.mappings.save'(input, ctx) {
      requireManager(ledger, ctx);
      return saveMapping(ledger, ctx.userId, {
        sourceSystem: input.sourceSystem,
        mapping: input.mapping,
        headers: input.headers,
        ...(input.encoding ? { encoding: input.encoding } : {}),
        ...(input.delimiter ? { delimiter: input.delimiter } : {}),
        ...(input.sheet ? { sheet: input.sheet } : {}),
      });
    },

    async 'export.reconciliation'(input, ctx) {
      requireManager(ledger, ctx);
      return exportReconciliation(ledger, input);
    },
  };
}
