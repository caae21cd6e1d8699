// Node-only half of the portfolio import (file reading, the import passes, reconciliation
// export). The pure half (fields, mapping, parsers, validation, messages) is shared/import.
export { PortfolioReadError } from './errors';
export {
  readPortfolio,
  PROGRESS_EVERY,
  type PortfolioSource,
  type ReadOptions,
  type ReadProgress,
} from './read-portfolio';
export {
  inspectPortfolio,
  previewPortfolio,
  importPortfolioRows,
  type PassOptions,
  type PinnedReadOptions,
  type PortfolioInspection,
  type PortfolioPreview,
} from './import-passes';
export { writeReconciliation, type ReconciliationWritten, type WriteReconciliationOptions } from './write-reconciliation';
export { detectDelimiter, detectEncoding } from './sniff';
