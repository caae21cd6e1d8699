// While a portfolio import holds the ledger's one connection in its open transaction,
// any other statement through it would join that transaction (and share its fate on
// cancel) or read its half-written rows; a derived-state refresh after midnight would
// even write into it. So every operation not listed in OPS_ALLOWED_DURING_IMPORT is
// refused with conflict / import_running until the import commits or rolls back.
import type { ApiHandlers, CallContext, OpName } from '../../../shared/api/contract';
import { OPS_ALLOWED_DURING_IMPORT } from '../../../shared/api/import-contract';
import { AppError } from '../../../shared/errors';
import type { Ledger } from '../ledger';
import { importRunning } from './ledger-import';

const allowed = new Set<string>(OPS_ALLOWED_DURING_IMPORT);

export function importRunningError(): AppError {
  return new AppError('conflict', 'A portfolio import is running: try again when it has finished', {
    reason: 'import_running',
  });
}

/** The same handlers, each refusing while an import runs unless it is allowed then. */
export function guardDuringImport(ledger: Ledger, handlers: ApiHandlers): ApiHandlers {
  const guarded: Record<string, (input: unknown, ctx: CallContext) => unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as [
    OpName,
    (input: unknown, ctx: CallContext) => unknown,
  ][]) {
    guarded[name] = allowed.has(name)
      ? handler
      : (input, ctx) => {
          if (importRunning(ledger)) throw importRunningError();
          return handler(input, ctx);
        };
  }
  return guarded as ApiHandlers;
}
