// Portfolio quality metrics for the branch manager: pure functions over plain rows,
// shared by the ledger, the server and the renderer (no Node APIs here).
export * from './types';
export { safeRatio, type WithoutIds } from './common';
export { agingBuckets, type Aging, type AgingBucket } from './aging';
export {
  arrearsRate,
  DEFAULT_PAR_THRESHOLDS,
  portfolioAtRisk,
  type ArrearsRate,
  type ParFigure,
  type PortfolioAtRisk,
} from './par';
export {
  ROLL_OUTCOMES,
  rollRates,
  rollRows,
  type NewLoans,
  type RollCell,
  type RollOutcome,
  type RollRateOptions,
  type RollRates,
  type RollRow,
} from './roll-rates';
export {
  collectionFromSnapshots,
  collectionRate,
  dueAndPaidInPeriod,
  type CollectionRate,
  type LoanDueAndPaid,
  type PortfolioCollection,
} from './collection';
export { loanSnapshot, type SnapshotLoan } from './snapshot';
export {
  promiseMetrics,
  type KeptRate,
  type PromiseGroup,
  type PromiseMetricOptions,
  type PromiseMetrics,
} from './promises';
export {
  contactRecency,
  DEFAULT_RECENCY_DAYS,
  isEffectiveContact,
  isRightPartyContact,
  ptpConversion,
  type CaseList,
  type ContactGroup,
  type ContactRecency,
  type PtpConversion,
  type RecencyLevel,
} from './contacts';
export {
  officerActivity,
  type OfficerActivity,
  type OfficerActivityOptions,
} from './officer-activity';
export { overrideFigures, type OverrideFigures, type OverrideList } from './overrides';
export {
  casesBehind,
  dashboardSummaryWith,
  portfolioDashboard,
  summarySnapshotFigures,
  type DashboardFigure,
  type SnapshotFigures,
  type DashboardInput,
  type DashboardSummary,
  type PortfolioDashboard,
} from './dashboard';
