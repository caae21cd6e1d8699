// Valid rows as Fieldbook will store them: amounts in yuan with separators, dates as dates,
// the township and village the address split produced. Reading them is how a manager sees
// that 万元 or a date format was understood.
import { Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { PortfolioRow } from '../../../../shared/import';
import { formatFen } from '../../../../shared/money';
import { useFormatContext } from '../../app/use-format';
import { fieldLabel } from './import-texts';

export function ParsedSampleTable({ rows }: { rows: readonly PortfolioRow[] }) {
  const { t } = useTranslation();
  const { lang } = useFormatContext();
  const money = (fen: number) => <span className="fb-num">{formatFen(fen)}</span>;
  const columns: ColumnsType<PortfolioRow> = [
    { key: 'row', title: t('import.raw.row'), dataIndex: 'rowNumber', width: 56, className: 'fb-num' },
    { key: 'loanNo', title: fieldLabel('loan_no', lang), dataIndex: 'loanNo', width: 130, className: 'fb-num' },
    { key: 'name', title: fieldLabel('borrower_name', lang), dataIndex: 'borrowerName', width: 90 },
    {
      key: 'place',
      title: t('import.sample.place'),
      ellipsis: true,
      render: (_: unknown, r) => [r.township, r.village].filter(Boolean).join(' · '),
    },
    {
      key: 'principal',
      title: fieldLabel('principal', lang),
      align: 'right',
      width: 118,
      render: (_: unknown, r) => money(r.principalFen),
    },
    {
      key: 'outstanding',
      title: fieldLabel('outstanding_principal', lang),
      align: 'right',
      width: 118,
      render: (_: unknown, r) => money(r.outstandingFen),
    },
    {
      key: 'arrears',
      title: fieldLabel('arrears_amount', lang),
      align: 'right',
      width: 110,
      render: (_: unknown, r) => money(r.arrearsFen),
    },
    {
      key: 'dpd',
      title: fieldLabel('days_past_due', lang),
      dataIndex: 'daysPastDue',
      align: 'right',
      width: 84,
      className: 'fb-num',
    },
    { key: 'disbursed', title: fieldLabel('disbursed_on', lang), dataIndex: 'disbursedOn', width: 100, className: 'fb-num' },
    { key: 'officer', title: fieldLabel('officer_code', lang), dataIndex: 'officerCode', width: 90 },
  ];
  return (
    <Table<PortfolioRow>
      data-testid="import-parsed-sample"
      size="small"
      rowKey="rowNumber"
      columns={columns}
      dataSource={[...rows]}
      pagination={{ pageSize: 8, size: 'small', showSizeChanger: false, hideOnSinglePage: true }}
    />
  );
}
