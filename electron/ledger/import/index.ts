// The portfolio import and the reconciliation export on the desktop ledger.
export {
  importPortfolioIntoLedger,
  importRunning,
  type LedgerImportControl,
  type LedgerImportOptions,
  type LedgerImportProgress,
  type LedgerImportResult,
} from './ledger-import';
export {
  exportReconciliation,
  reconciliationRows,
  type ReconciliationExportOptions,
} from './reconciliation-export';
export {
  createImportHandlers,
  type ImportHandlerOptions,
  type ImportHandlers,
  type ImportOpName,
} from './handlers';
export { guardDuringImport, importRunningError } from './import-guard';
export { listSavedMappings, saveMapping } from './saved-mappings';
