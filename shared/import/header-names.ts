// Recognising the column headers core banking systems and spreadsheets use. Headers are
// compared after normalisation (full-width to half-width, case, spaces, punctuation and a
// bracketed unit such as '(元)' removed), so '贷款金额（元）', 'Loan No.' and 'loan_no' all
// meet their alias. Within a field, aliases are listed most specific first: when two
// columns could be the loan number (借据号 and 合同号), the earlier alias wins.
import { toHalfWidth } from './cell-text';
import type { MoneyUnit, PortfolioFieldKey } from './fields';

export const HEADER_ALIASES: Readonly<Record<PortfolioFieldKey, readonly string[]>> = {
  loan_no: [
    'loan_no', '贷款编号', '借据号', '借据编号', '贷款借据号', '贷款账号', '贷款号', 'Loan No.', 'Loan number',
    'Loan ID', 'Loan account', 'Account No.', '合同号', '合同编号', '贷款合同号', '借款合同号',
  ],
  borrower_name: [
    'borrower_name', '客户姓名', '借款人', '借款人姓名', '客户名称', '借款人名称', '户名', '姓名', 'Borrower',
    'Borrower name', 'Customer name', 'Client name', 'Name',
  ],
  id_number: [
    'id_number', '身份证号', '身份证号码', '证件号码', '证件号', '身份证', '借款人身份证号', 'ID number', 'ID No.',
    'ID card', 'National ID',
  ],
  phone: [
    'phone', '手机号码', '手机号', '联系电话', '手机', '电话', '电话号码', '联系方式', '借款人电话', '借款人手机',
    'Mobile', 'Phone number', 'Mobile phone', 'Tel', 'Telephone',
  ],
  county: ['county', '县区', '区县', '县', '县(区)', '县/区', '所属县区', 'District'],
  township: ['township', '乡镇', '乡镇(街道)', '乡镇街道', '乡/镇', '镇', '乡', '街道', '所属乡镇', 'Town'],
  village: ['village', '村/社区', '村社区', '村(社区)', '村', '行政村', '社区', '村居', '所属村', 'Community'],
  address: [
    'address', '地址', '住址', '家庭住址', '居住地址', '联系地址', '户籍地址', '详细地址', '家庭地址', 'Home address',
  ],
  product: [
    'product', '产品名称', '贷款产品', '产品', '贷款品种', '业务品种', '贷款种类', 'Product name', 'Loan product',
  ],
  principal: [
    'principal', '贷款金额', '放款金额', '合同金额', '借款金额', '发放金额', '贷款本金', '借据金额', 'Loan amount',
    'Disbursed amount', 'Amount disbursed', 'Principal amount',
  ],
  disbursed_on: [
    'disbursed_on', '放款日期', '发放日期', '放款日', '发放日', '贷款发放日', '借款日期', '起息日', '借据起始日',
    'Disbursement date', 'Disbursed on', 'Disbursed date', 'Loan date', 'Start date',
  ],
  term_months: ['term_months', '期限(月)', '贷款期限', '期限', '期限月', '借款期限', 'Term', 'Term (months)', 'Tenor'],
  annual_rate: ['annual_rate', '年利率', '执行利率', '贷款利率', '利率', 'Interest rate', 'Annual rate', 'Rate'],
  installment_amount: [
    'installment_amount', '每期还款额', '每期应还', '每期还款金额', '月供', '每月还款额', '期供金额', '期供',
    'Installment', 'Instalment', 'Instalment amount', 'Monthly payment', 'EMI',
  ],
  outstanding_principal: [
    'outstanding_principal', '剩余本金', '本金余额', '贷款余额', '未还本金', '在贷余额', '借据余额', '余额',
    'Outstanding', 'Outstanding balance', 'Principal outstanding', 'Outstanding principal', 'Balance',
  ],
  arrears_amount: [
    'arrears_amount', '逾期金额', '逾期总额', '拖欠金额', '欠款金额', '逾期本息', '逾期应还', 'Arrears',
    'Overdue amount', 'Amount overdue', 'Past due amount',
  ],
  days_past_due: [
    'days_past_due', '逾期天数', '拖欠天数', '逾期天', 'DPD', 'Days past due', 'Days overdue', 'Overdue days',
  ],
  next_due_on: [
    'next_due_on', '下次还款日', '下期还款日', '下一还款日', '下次还款日期', '下期应还日期', '下次应还日',
    'Next due date', 'Next due', 'Next payment date',
  ],
  maturity_on: ['maturity_on', '到期日', '到期日期', '贷款到期日', '借据到期日', 'Maturity date', 'Maturity', 'End date'],
  officer_code: [
    'officer_code', '客户经理', '客户经理编号', '客户经理号', '客户经理工号', '客户经理代码', '信贷员', '信贷员编号',
    '信贷员工号', '管户人', '管户经理', '管户人工号', '工号', 'Officer', 'Officer code', 'Officer ID',
    'Loan officer', 'Credit officer',
  ],
  guarantor_name: ['guarantor_name', '担保人', '担保人姓名', '保证人', '保证人姓名', 'Guarantor', 'Guarantor name'],
  guarantor_phone: [
    'guarantor_phone', '担保人电话', '担保人手机', '担保人手机号', '担保人联系电话', '保证人电话', '保证人手机',
    'Guarantor phone', 'Guarantor mobile',
  ],
  as_of_date: [
    'as_of_date', '数据日期', '统计日期', '报表日期', '截止日期', '余额日期', '账务日期', '快照日期', 'As of',
    'As of date', 'Snapshot date', 'Report date', 'Data date',
  ],
};

/** Words a header may put before the real name ('借款人手机号', 'Customer phone'). */
const SUBJECT_PREFIXES = ['借款人', '客户', '贷款', '借款', 'borrower', 'customer', 'client', 'loan'];

/** Everything that does not tell headers apart: case, spaces, punctuation, bracketed notes. */
export function normaliseHeader(header: string): string {
  return toHalfWidth(header)
    .toLowerCase()
    .replace(/[([{【<《][^)\]}】>》]*[)\]}】>》]/g, '')
    .replace(/[\s_\-./\\:*#'"`~,;|?!，。：；、·]+/g, '');
}

/** The unit a header states for its numbers: '贷款金额(万元)' -> 'wan_yuan'. */
export function headerMoneyUnit(header: string): MoneyUnit | null {
  const text = toHalfWidth(header);
  if (/万元|万/.test(text)) return 'wan_yuan';
  if (/[([【]\s*(?:单位\s*:?\s*)?分\s*[)\]】]|\(fen\)/i.test(text)) return 'fen';
  if (/元|yuan|rmb|cny/i.test(text)) return 'yuan';
  return null;
}

export interface HeaderMatch {
  field: PortfolioFieldKey;
  /** 'exact': the whole header is an alias; 'prefix': an alias after a subject word. */
  how: 'exact' | 'prefix';
  /** Position of the alias in its field's list: lower is more specific. */
  rank: number;
}

const aliasIndex = new Map<string, { field: PortfolioFieldKey; rank: number }>();
for (const [field, aliases] of Object.entries(HEADER_ALIASES) as [PortfolioFieldKey, readonly string[]][]) {
  aliases.forEach((alias, rank) => {
    const key = normaliseHeader(alias);
    // The first field to claim a normalised alias keeps it (the table has no real clashes).
    if (key && !aliasIndex.has(key)) aliasIndex.set(key, { field, rank });
  });
}

/** Which field a header names, if any. */
export function matchHeader(header: string): HeaderMatch | null {
  const key = normaliseHeader(header);
  if (!key) return null;
  const exact = aliasIndex.get(key);
  if (exact) return { ...exact, how: 'exact' };
  for (const prefix of SUBJECT_PREFIXES) {
    if (key.startsWith(prefix) && key.length > prefix.length) {
      const hit = aliasIndex.get(key.slice(prefix.length));
      if (hit) return { ...hit, how: 'prefix' };
    }
  }
  return null;
}
