// Words for every import code, in both languages the app speaks. The renderer shows them in
// the preview table; the admin CLI prints them. Placeholders are {name}; a number parameter
// whose name ends in 'Fen' is shown as money, and {field} as the field's label.
import type { Fen } from '../domain/types';
import { formatFen } from '../money';
import { PORTFOLIO_FIELD_KEYS, PORTFOLIO_FIELDS, type PortfolioFieldKey } from './fields';
import type { FileIssue, FileIssueCode, IssueParams, ReadErrorReason, RowIssue, RowIssueCode } from './issue-codes';

export type ImportLang = 'zh-CN' | 'en';
type Message = Record<ImportLang, string>;

export const ROW_ISSUE_MESSAGES: Readonly<Record<RowIssueCode, Message>> = {
  missing_loan_no: { 'zh-CN': '缺少贷款编号', en: 'Loan number is missing' },
  missing_value: { 'zh-CN': '{field}为空', en: '{field} is missing' },
  bad_loan_no: {
    'zh-CN': '贷款编号“{value}”不可用：可能已被 Excel 转成数字或科学计数法，请把该列设为文本后重新导出',
    en: 'Loan number "{value}" cannot be used: Excel may have turned it into a number; set the column to text and export again',
  },
  bad_text: {
    'zh-CN': '{field}含有乱码“{value}”，文件编码可能选错了',
    en: "{field} \"{value}\" is garbled: the file's encoding may be wrong",
  },
  too_long: { 'zh-CN': '{field}超过{max}个字符', en: '{field} is longer than {max} characters' },
  bad_amount: { 'zh-CN': '{field}“{value}”不是有效金额', en: '{field} "{value}" is not an amount' },
  negative_amount: { 'zh-CN': '{field}不能为负数（{value}）', en: '{field} cannot be negative ({value})' },
  zero_principal: { 'zh-CN': '贷款金额不能为 0', en: 'Principal cannot be zero' },
  bad_date: {
    'zh-CN': '{field}“{value}”不是可识别的日期（可用 2026-03-05、2026/3/5、20260305 或 2026年3月5日）',
    en: '{field} "{value}" is not a date (use 2026-03-05, 2026/3/5, 20260305 or 2026年3月5日)',
  },
  impossible_date: { 'zh-CN': '{field}“{value}”在日历上不存在', en: '{field} "{value}" does not exist on the calendar' },
  date_out_of_range: {
    'zh-CN': '{field}“{value}”不在 1950 至 2100 年之间',
    en: '{field} "{value}" is not between 1950 and 2100',
  },
  bad_integer: { 'zh-CN': '{field}“{value}”不是整数', en: '{field} "{value}" is not a whole number' },
  term_out_of_range: {
    'zh-CN': '期限“{value}”应在 {min}–{max} 个月之间',
    en: 'Term "{value}" must be {min}–{max} months',
  },
  days_past_due_out_of_range: {
    'zh-CN': '逾期天数“{value}”应在 {min}–{max} 之间',
    en: 'Days past due "{value}" must be between {min} and {max}',
  },
  bad_rate: { 'zh-CN': '{field}“{value}”不是有效利率', en: '{field} "{value}" is not a rate' },
  rate_out_of_range: {
    'zh-CN': '{field}“{value}”应在 {min}%–{max}% 之间',
    en: '{field} "{value}" must be between {min}% and {max}%',
  },
  bad_phone: {
    'zh-CN': '{field}“{value}”不是有效的手机或带区号的座机号码',
    en: '{field} "{value}" is not a mobile number or a landline with area code',
  },
  bad_id_number: {
    'zh-CN': '身份证号“{value}”格式或校验位不正确',
    en: 'ID number "{value}" has a wrong format or check digit',
  },
  outstanding_exceeds_principal: {
    'zh-CN': '剩余本金 {outstandingFen} 大于贷款金额 {principalFen}',
    en: 'Outstanding principal {outstandingFen} is more than the principal {principalFen}',
  },
  disbursed_after_as_of: {
    'zh-CN': '放款日期 {disbursedOn} 晚于数据日期 {asOfDate}',
    en: "Disbursed on {disbursedOn}, after the file's as-of date {asOfDate}",
  },
  next_due_before_disbursed: {
    'zh-CN': '下次还款日 {nextDueOn} 早于放款日期 {disbursedOn}',
    en: 'Next due date {nextDueOn} is before the disbursement date {disbursedOn}',
  },
  duplicate_loan_no_in_file: {
    'zh-CN': '贷款编号 {loanNo} 在文件中重复（另见第 {otherRows} 行），这些行都不会导入',
    en: 'Loan number {loanNo} appears more than once (also row {otherRows}); none of these rows is imported',
  },
  unknown_officer_code: {
    'zh-CN': '客户经理“{code}”不是系统中的用户',
    en: 'Officer "{code}" is not a known user',
  },
  arrears_exceed_outstanding: {
    'zh-CN': '逾期金额 {arrearsFen} 大于剩余本金 {outstandingFen}，请核对',
    en: 'Arrears {arrearsFen} are more than the outstanding principal {outstandingFen}; please check',
  },
  arrears_without_days_past_due: {
    'zh-CN': '有逾期金额 {arrearsFen}，但逾期天数为 0',
    en: 'Arrears of {arrearsFen} but 0 days past due',
  },
  days_past_due_without_arrears: {
    'zh-CN': '逾期 {daysPastDue} 天，但逾期金额为 0',
    en: '{daysPastDue} days past due but no arrears',
  },
  masked_phone: {
    'zh-CN': '{field}“{value}”已脱敏，无法拨打',
    en: '{field} "{value}" is masked and cannot be dialled',
  },
  skipped_summary_row: { 'zh-CN': '合计行或表尾，已跳过', en: 'Totals or footer line, skipped' },
};

export const FILE_ISSUE_MESSAGES: Readonly<Record<FileIssueCode, Message>> = {
  missing_required_column: {
    'zh-CN': '必填字段“{field}”没有对应的列',
    en: 'No column is mapped to the required field "{field}"',
  },
  mapped_column_not_in_file: {
    'zh-CN': '映射到“{field}”的列“{column}”不在此文件中',
    en: 'Column "{column}" (mapped to {field}) is not in this file',
  },
  no_data_rows: { 'zh-CN': '文件中没有数据行', en: 'The file has no data rows' },
};

export const READ_ERROR_MESSAGES: Readonly<Record<ReadErrorReason, Message>> = {
  empty_file: { 'zh-CN': '文件是空的', en: 'The file is empty' },
  unsupported_format: {
    'zh-CN': '无法识别的文件格式，请导出为 CSV、TSV 或 XLSX',
    en: 'Unrecognised file format: export as CSV, TSV or XLSX',
  },
  damaged_file: {
    'zh-CN': '文件已损坏或不完整（可能没有下载或复制完），请从核心系统重新导出',
    en: 'The file is damaged or incomplete (perhaps not fully downloaded or copied): export it again from the core system',
  },
  legacy_xls: {
    'zh-CN': '这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 或 CSV',
    en: 'This is an old Excel (.xls) file: save it as .xlsx or CSV in Excel or WPS',
  },
  html_table: {
    'zh-CN': '这个文件实际上是网页表格，请在 Excel 或 WPS 中另存为 .xlsx 或 CSV',
    en: 'This file is really a web page table: save it as .xlsx or CSV in Excel or WPS',
  },
  unknown_encoding: {
    'zh-CN': '无法判断文件编码，请手动选择（UTF-8 或 GBK）',
    en: "Cannot tell the file's encoding: choose it (UTF-8 or GBK)",
  },
  malformed_csv: {
    'zh-CN': '第 {line} 行附近的 CSV 格式有误（可能缺少引号）',
    en: 'The CSV is malformed near line {line} (a quote may be missing)',
  },
  no_header_row: {
    'zh-CN': '在前 {rows} 行中找不到表头',
    en: 'No header row in the first {rows} rows',
  },
  sheet_not_found: {
    'zh-CN': '找不到工作表“{sheet}”（现有：{sheets}）',
    en: 'No worksheet "{sheet}" (there are: {sheets})',
  },
  file_changed: {
    'zh-CN': '文件在预览之后被修改过，请重新预览',
    en: 'The file changed after the preview: preview it again',
  },
};

function isFieldKey(value: unknown): value is PortfolioFieldKey {
  return typeof value === 'string' && (PORTFOLIO_FIELD_KEYS as readonly string[]).includes(value);
}

/** Fills a template: {field} becomes the field's label, *Fen numbers become money. */
export function fillImportMessage(template: string, params: IssueParams, lang: ImportLang): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (name === 'field' && isFieldKey(value)) return PORTFOLIO_FIELDS[value].label[lang];
    if (name.endsWith('Fen') && typeof value === 'number') return formatFen(value as Fen);
    return String(value);
  });
}

export function formatRowIssue(issue: RowIssue, lang: ImportLang): string {
  const params: IssueParams = issue.field ? { field: issue.field, ...issue.params } : issue.params;
  return fillImportMessage(ROW_ISSUE_MESSAGES[issue.code][lang], params, lang);
}

export function formatFileIssue(issue: FileIssue, lang: ImportLang): string {
  return fillImportMessage(FILE_ISSUE_MESSAGES[issue.code][lang], issue.params, lang);
}

export function formatReadError(reason: ReadErrorReason, params: IssueParams, lang: ImportLang): string {
  return fillImportMessage(READ_ERROR_MESSAGES[reason][lang], params, lang);
}
