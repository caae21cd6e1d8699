// Handlers for the proposed import and reconciliation operations (import-contract.ts), as a
// partial handler map the lead merges into the ledger's handlers once the contract has them.
// Previews are kept in memory (the last few) so 'import.run' writes exactly what was
// previewed; a preview is only good for the file as it was (importPortfolioRows checks).
import { v7 as uuidv7 } from 'uuid';
import type { CallContext } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { toWireReport } from '../../../shared/import/validate';
import {
  inspectPortfolio,
  previewPortfolio,
  type PortfolioPreview,
} from '../../../shared/node/portfolio-import';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';
import type {
  ImportOpInput,
  ImportOpName,
  ImportOutputs,
  ImportProgressEvent,
} from './import-contract';
import { importPortfolioIntoLedger } from './ledger-import';
import { exportReconciliation } from './reconciliation-export';

export type ImportHandlers = {
  [N in ImportOpName]: (input: ImportOpInput<N>, ctx: CallContext) => Promise<ImportOutputs[N]>;
};

export interface ImportHandlerOptions {
  /** Where progress goes (Electron main: webContents.send; dev bridge: server-sent events). */
  onProgress?: (event: ImportProgressEvent) => void;
}

const KEEP_PREVIEWS = 4;

function requireManager(ledger: Ledger, ctx: CallContext): void {
  const role = stmt<string>(ledger.db, 'SELECT role FROM users WHERE id = ? AND active = 1')
    .pluck()
    .get(ctx.userId);
  if (role !== 'manager' && role !== 'admin') {
    throw new AppError(
      'forbidden',
      'Only a manager or an admin may import or export the portfolio',
      {
        reason: 'role_required',
      },
    );
  }
}

export function createImportHandlers(
  ledger: Ledger,
  options: ImportHandlerOptions = {},
): ImportHandlers {
  const previews = new Map<string, { file: string; preview: PortfolioPreview; userId: string }>();
  const runs = new Map<string, AbortController>();

  const track = (runId: string): AbortController => {
    if (runs.has(runId))
      throw new AppError('conflict', 'This run id is in use', { reason: 'run_id_in_use' });
    const controller = new AbortController();
    runs.set(runId, controller);
    return controller;
  };

  return {
    async 'import.inspect'(input, ctx) {
      requireManager(ledger, ctx);
      const inspection = await inspectPortfolio(input.file, {
        ...(input.readOptions ? { readOptions: input.readOptions } : {}),
        ...(input.savedMappings ? { savedMappings: input.savedMappings } : {}),
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
      const controller = track(input.runId);
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
          onProgress: (p) => options.onProgress?.({ runId: input.runId, stage: 'preview', ...p }),
        });
        const previewId = uuidv7();
        previews.set(previewId, { file: input.file, preview, userId: ctx.userId });
        while (previews.size > KEEP_PREVIEWS)
          previews.delete(previews.keys().next().value as string);
        return {
          previewId,
          report: toWireReport(preview.report),
          sample: preview.sample,
          canImport: preview.canImport,
        };
      } finally {
        runs.delete(input.runId);
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
      const controller = track(input.runId);
      try {
        const result = await importPortfolioIntoLedger(
          ledger,
          kept.file,
          kept.preview,
          { actorId: ctx.userId, full: input.full, validOnly: input.validOnly },
          {
            signal: controller.signal,
            onProgress: (p) => options.onProgress?.({ runId: input.runId, stage: 'run', ...p }),
          },
        );
        previews.delete(input.previewId);
        return result;
      } finally {
        runs.delete(input.runId);
      }
    },

    async 'import.cancel'(input) {
      const controller = runs.get(input.runId);
      controller?.abort(new AppError('conflict', 'Cancelled', { reason: 'cancelled' }));
      return { cancelled: controller !== undefined };
    },

    async 'export.reconciliation'(input, ctx) {
      requireManager(ledger, ctx);
      return exportReconciliation(ledger, input);
    },
  };
}
