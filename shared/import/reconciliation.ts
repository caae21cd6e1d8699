// Field activity handed back to the core banking system: one line per payment, reversal,
// promise, contact or plan decision, keyed by the core system's own loan and receipt numbers.
// This file holds the row shape and how each row becomes cells (pure, so the renderer can
// preview it); shared/node/portfolio-import/write-reconciliation.ts writes CSV and XLSX.
import type { ContactChannel, ContactOutcome, Fen, Instant, IsoDate, PaymentMethod } from '../domain/types';
import { localDateTime, formatMinuteOfDay } from '../dates';
import { fenToYuanText } from './amount';
import type { ImportLang } from './messages';

export const RECONCILIATION_KINDS = ['payment', 'reversal', 'promise', 'contact', 'plan_decision'] as const;
export type ReconciliationKind = (typeof RECONCILIATION_KINDS)[number];

export const PLAN_DECISIONS = ['approved', 'rejected'] as const;
export type PlanDecision = (typeof PLAN_DECISIONS)[number];

export interface ReconciliationRow {
  /** The business date the fact belongs to (branch time zone). */
  businessDate: IsoDate;
  /** When it happened, UTC; printed as local time in the export's time zone. */
  occurredAt: Instant;
  /** The core banking system's loan number. */
  loanNo: string;
  borrowerName: string | null;
  kind: ReconciliationKind;
  /** Payment: its receipt number. Reversal: the receipt number of the payment it reverses. */
  receiptNo: string | null;
  /**
   * Payment or reversal: the amount as recorded (positive). Promise: the promised amount.
   * The export prints reversals negative, so the amount column of payments and reversals
   * sums to the net amount collected.
   */
  amountFen: Fen | null;
  method: PaymentMethod | null;
  /** Promise: the date promised. Plan decision: first due date of the approved plan. */
  dueDate: IsoDate | null;
  channel: ContactChannel | null;
  outcome: ContactOutcome | null;
  decision: PlanDecision | null;
  /** The officer who recorded it. */
  officerCode: string | null;
  /** Reversal reason, contact note, plan decision comment. */
  notes: string | null;
  /** The ledger fact id, so a line can be traced back. */
  factId: string;
}

export const RECONCILIATION_COLUMNS = [
  'business_date',
  'occurred_at',
  'loan_no',
  'borrower_name',
  'kind',
  'receipt_no',
  'amount',
  'method',
  'due_date',
  'channel',
  'outcome',
  'decision',
  'officer_code',
  'notes',
  'fact_id',
] as const;
export type ReconciliationColumn = (typeof RECONCILIATION_COLUMNS)[number];

export const RECONCILIATION_HEADERS: Readonly<Record<ReconciliationColumn, Record<ImportLang, string>>> = {
  business_date: { 'zh-CN': '业务日期', en: 'Business date' },
  occurred_at: { 'zh-CN': '发生时间', en: 'Time' },
  loan_no: { 'zh-CN': '贷款编号', en: 'Loan number' },
  borrower_name: { 'zh-CN': '客户姓名', en: 'Borrower' },
  kind: { 'zh-CN': '类型', en: 'Kind' },
  receipt_no: { 'zh-CN': '收据号', en: 'Receipt number' },
  amount: { 'zh-CN': '金额(元)', en: 'Amount (yuan)' },
  method: { 'zh-CN': '收款方式', en: 'Method' },
  due_date: { 'zh-CN': '约定日期', en: 'Due date' },
  channel: { 'zh-CN': '联系方式', en: 'Channel' },
  outcome: { 'zh-CN': '联系结果', en: 'Outcome' },
  decision: { 'zh-CN': '审批结果', en: 'Decision' },
  officer_code: { 'zh-CN': '客户经理', en: 'Officer' },
  notes: { 'zh-CN': '备注', en: 'Notes' },
  fact_id: { 'zh-CN': '记录ID', en: 'Record ID' },
};

type Labels<K extends string> = Readonly<Record<K, Record<ImportLang, string>>>;

export const KIND_LABELS: Labels<ReconciliationKind> = {
  payment: { 'zh-CN': '还款', en: 'Payment' },
  reversal: { 'zh-CN': '冲正', en: 'Reversal' },
  promise: { 'zh-CN': '承诺还款', en: 'Promise to pay' },
  contact: { 'zh-CN': '联系', en: 'Contact' },
  plan_decision: { 'zh-CN': '还款计划审批', en: 'Plan decision' },
};

export const METHOD_LABELS: Labels<PaymentMethod> = {
  cash: { 'zh-CN': '现金', en: 'Cash' },
  bank_transfer: { 'zh-CN': '银行转账', en: 'Bank transfer' },
  wechat_pay: { 'zh-CN': '微信支付', en: 'WeChat Pay' },
  alipay: { 'zh-CN': '支付宝', en: 'Alipay' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

export const CHANNEL_LABELS: Labels<ContactChannel> = {
  visit: { 'zh-CN': '上门', en: 'Visit' },
  call: { 'zh-CN': '电话', en: 'Call' },
  sms: { 'zh-CN': '短信', en: 'SMS' },
  letter: { 'zh-CN': '信函', en: 'Letter' },
};

export const OUTCOME_LABELS: Labels<ContactOutcome> = {
  promise_to_pay: { 'zh-CN': '承诺还款', en: 'Promise to pay' },
  paid: { 'zh-CN': '已还款', en: 'Paid' },
  partial_payment: { 'zh-CN': '部分还款', en: 'Partial payment' },
  refused: { 'zh-CN': '拒绝还款', en: 'Refused' },
  no_answer: { 'zh-CN': '无人接听', en: 'No answer' },
  unreachable: { 'zh-CN': '无法联系', en: 'Unreachable' },
  wrong_number: { 'zh-CN': '号码错误', en: 'Wrong number' },
  moved_away: { 'zh-CN': '已搬离', en: 'Moved away' },
  disputes_debt: { 'zh-CN': '对欠款有异议', en: 'Disputes the debt' },
  hardship: { 'zh-CN': '经济困难', en: 'Hardship' },
  deceased: { 'zh-CN': '已故', en: 'Deceased' },
};

export const DECISION_LABELS: Labels<PlanDecision> = {
  approved: { 'zh-CN': '批准', en: 'Approved' },
  rejected: { 'zh-CN': '驳回', en: 'Rejected' },
};

export interface ReconciliationFormat {
  lang: ImportLang;
  /** Zone for the time column (the branch's), e.g. 'Asia/Shanghai'. */
  timeZone: string;
  /** 'labels' (default) prints kinds and methods in words; 'codes' prints the stable codes for a machine. */
  values?: 'labels' | 'codes';
}

/** A cell value: text, or yuan as a number for spreadsheets (the CSV prints it with two decimals). */
export type ReconciliationCell = string | { yuanFen: Fen } | null;

/** Spreadsheet programs run cells that start like a formula; officers' free text must not. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function signedAmountFen(row: ReconciliationRow): Fen | null {
  if (row.amountFen === null) return null;
  return row.kind === 'reversal' ? -Math.abs(row.amountFen) : row.amountFen;
}

/** The cells of one export line, in RECONCILIATION_COLUMNS order. */
export function reconciliationCells(row: ReconciliationRow, format: ReconciliationFormat): ReconciliationCell[] {
  const label = <K extends string>(labels: Labels<K>, key: K | null): string | null => {
    if (key === null) return null;
    return format.values === 'codes' ? key : labels[key][format.lang];
  };
  const local = localDateTime(row.occurredAt, format.timeZone);
  const amount = signedAmountFen(row);
  const text = (value: string | null): string | null => (value === null ? null : neutraliseFormula(value));
  return [
    row.businessDate,
    `${local.date} ${formatMinuteOfDay(local.minuteOfDay)}:${String(local.second).padStart(2, '0')}`,
    text(row.loanNo),
    text(row.borrowerName),
    label(KIND_LABELS, row.kind),
    text(row.receiptNo),
    amount === null ? null : { yuanFen: amount },
    label(METHOD_LABELS, row.method),
    row.dueDate,
    label(CHANNEL_LABELS, row.channel),
    label(OUTCOME_LABELS, row.outcome),
    label(DECISION_LABELS, row.decision),
    text(row.officerCode),
    text(row.notes),
    row.factId,
  ];
}

export function reconciliationHeaders(lang: ImportLang): string[] {
  return RECONCILIATION_COLUMNS.map((c) => RECONCILIATION_HEADERS[c][lang]);
}

/** CSV text of a cell: amounts as plain yuan with two decimals ('-1234.50'), blanks empty. */
export function reconciliationCellText(cell: ReconciliationCell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  return fenToYuanText(cell.yuanFen);
}
