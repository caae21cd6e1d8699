// The pure half of the portfolio import: safe for the renderer (no Node APIs).
export * from './fields';
export * from './raw-row';
export * from './issue-codes';
export * from './mapping';
export * from './saved-mapping';
export { HEADER_ALIASES, headerMoneyUnit, matchHeader, normaliseHeader, type HeaderMatch } from './header-names';
export { parseImportAmount, fenToYuanText, type AmountParse } from './amount';
export { parseImportDate, guessAsOfDate, IMPORT_DATE_MAX, IMPORT_DATE_MIN, type DateParse, type DateParseError } from './date';
export { splitAddress, type AddressParts } from './address';
export { parseIdNumber, parseImportInteger, parseLoanNo, parsePhones, parseRatePct, type PhoneNumbers } from './field-parsers';
export {
  createRowValidator,
  DAYS_PAST_DUE_RANGE,
  RATE_PCT_RANGE,
  TERM_MONTHS_RANGE,
  type OfficerRef,
  type RowCheck,
  type RowValidator,
  type ValidationContext,
} from './validate-row';
export {
  mappedColumnsMissing,
  toWireReport,
  validatePortfolio,
  type ImportReport,
  type ImportReportWire,
  type PortfolioValidation,
  type ValidatedRow,
  type ValidateOptions,
} from './validate';
export * from './messages';
export * from './reconciliation';
