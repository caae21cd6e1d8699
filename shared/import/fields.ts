// The portfolio fields an import can fill, as the core banking export describes a loan.
// Keys are snake_case because they are also the stable names a saved mapping stores;
// a validated row (PortfolioRow) uses camelCase properties like the rest of the code.
import type { Fen, IsoDate } from '../domain/types';

export const PORTFOLIO_FIELD_KEYS = [
  'loan_no',
  'borrower_name',
  'id_number',
  'phone',
  'county',
  'township',
  'village',
  'address',
  'product',
  'principal',
  'disbursed_on',
  'term_months',
  'annual_rate',
  'installment_amount',
  'outstanding_principal',
  'arrears_amount',
  'days_past_due',
  'next_due_on',
  'maturity_on',
  'officer_code',
  'guarantor_name',
  'guarantor_phone',
  'as_of_date',
] as const;
export type PortfolioFieldKey = (typeof PORTFOLIO_FIELD_KEYS)[number];

export type PortfolioFieldType = 'loan_no' | 'text' | 'money' | 'date' | 'integer' | 'percent' | 'phone' | 'id_number';

export interface PortfolioFieldDef {
  key: PortfolioFieldKey;
  type: PortfolioFieldType;
  /** A row without a value here cannot be imported (the ledger has nothing to put in its place). */
  required: boolean;
  label: { 'zh-CN': string; en: string };
  /** Longest text accepted, so one runaway cell cannot bloat the ledger. */
  maxLength?: number;
}

const def = (
  key: PortfolioFieldKey,
  type: PortfolioFieldType,
  required: boolean,
  zh: string,
  en: string,
  maxLength?: number,
): PortfolioFieldDef => ({ key, type, required, label: { 'zh-CN': zh, en }, ...(maxLength ? { maxLength } : {}) });

// Required: what the ledger's loans table cannot do without (principal > 0, disbursement
// date, term) plus what collections run on (outstanding, arrears, days past due).
export const PORTFOLIO_FIELDS: Readonly<Record<PortfolioFieldKey, PortfolioFieldDef>> = {
  loan_no: def('loan_no', 'loan_no', true, '贷款编号', 'Loan number', 64),
  borrower_name: def('borrower_name', 'text', true, '客户姓名', 'Borrower name', 100),
  id_number: def('id_number', 'id_number', false, '身份证号', 'ID number', 18),
  phone: def('phone', 'phone', false, '手机号码', 'Phone', 100),
  county: def('county', 'text', false, '县区', 'County', 50),
  township: def('township', 'text', false, '乡镇', 'Township', 50),
  village: def('village', 'text', false, '村/社区', 'Village', 50),
  address: def('address', 'text', false, '地址', 'Address', 300),
  product: def('product', 'text', false, '产品名称', 'Product', 100),
  principal: def('principal', 'money', true, '贷款金额', 'Principal', undefined),
  disbursed_on: def('disbursed_on', 'date', true, '放款日期', 'Disbursed on'),
  term_months: def('term_months', 'integer', true, '期限(月)', 'Term (months)'),
  annual_rate: def('annual_rate', 'percent', false, '年利率', 'Annual rate'),
  installment_amount: def('installment_amount', 'money', false, '每期还款额', 'Instalment'),
  outstanding_principal: def('outstanding_principal', 'money', true, '剩余本金', 'Outstanding principal'),
  arrears_amount: def('arrears_amount', 'money', true, '逾期金额', 'Arrears'),
  days_past_due: def('days_past_due', 'integer', true, '逾期天数', 'Days past due'),
  next_due_on: def('next_due_on', 'date', false, '下次还款日', 'Next due date'),
  maturity_on: def('maturity_on', 'date', false, '到期日', 'Maturity date'),
  officer_code: def('officer_code', 'text', false, '客户经理', 'Officer code', 50),
  guarantor_name: def('guarantor_name', 'text', false, '担保人', 'Guarantor', 100),
  guarantor_phone: def('guarantor_phone', 'phone', false, '担保人电话', 'Guarantor phone', 100),
  as_of_date: def('as_of_date', 'date', false, '数据日期', 'As of date'),
};

export const REQUIRED_FIELD_KEYS: readonly PortfolioFieldKey[] = PORTFOLIO_FIELD_KEYS.filter(
  (k) => PORTFOLIO_FIELDS[k].required,
);

export const MONEY_FIELD_KEYS = ['principal', 'installment_amount', 'outstanding_principal', 'arrears_amount'] as const;
export type MoneyFieldKey = (typeof MONEY_FIELD_KEYS)[number];

/** What the numbers in a money column count: yuan (元), ten-thousand yuan (万元) or fen (分). */
export const MONEY_UNITS = ['yuan', 'wan_yuan', 'fen'] as const;
export type MoneyUnit = (typeof MONEY_UNITS)[number];

/** One loan as the core banking file states it on `asOfDate`, normalised and checked. */
export interface PortfolioRow {
  /** The row as a spreadsheet shows it (header and title rows count), for messages. */
  rowNumber: number;
  loanNo: string;
  borrowerName: string;
  /** As exported; often masked ('1742181994********'). Upper-case X. */
  idNumber: string | null;
  /** First phone number in the cell, digits only (landlines keep their area code). */
  phone: string | null;
  /** Further numbers when the cell held several ('138…/139…'). */
  otherPhones: string[];
  county: string | null;
  township: string | null;
  village: string | null;
  /** The address column as given (its county / township / village may also have been split out). */
  address: string | null;
  product: string | null;
  principalFen: Fen;
  disbursedOn: IsoDate;
  termMonths: number;
  /** Percent per year, e.g. 4.35 for 4.35 %. */
  annualRatePct: number | null;
  installmentFen: Fen | null;
  outstandingFen: Fen;
  arrearsFen: Fen;
  daysPastDue: number;
  nextDueOn: IsoDate | null;
  maturityOn: IsoDate | null;
  /** Normalised to the code of a known officer when the context lists officers (a name may match too). */
  officerCode: string | null;
  guarantorName: string | null;
  guarantorPhone: string | null;
  /** The snapshot date: the row's own as_of_date column, else the file's date from the context. */
  asOfDate: IsoDate;
}
