// The first rows of the file exactly as read, under the file's own headers: the quickest way
// to see a wrong encoding (garbled names) or a wrong header row (a title where names should be).
import { Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { RawRow } from '../../../../shared/import';
import { rawCellText } from './mapping-edit';

export interface RawSampleTableProps {
  headers: readonly string[];
  rows: readonly RawRow[];
  /** Rows to show at most. */
  limit?: number;
  testId?: string;
}

export function RawSampleTable({ headers, rows, limit = 8, testId }: RawSampleTableProps) {
  const { t } = useTranslation();
  const columns: ColumnsType<RawRow> = [
    {
      key: '#',
      title: t('import.raw.row'),
      dataIndex: 'rowNumber',
      width: 56,
      fixed: 'left',
      className: 'fb-num fb-import-rownum',
    },
    ...headers.map((header) => ({
      key: header,
      title: header,
      ellipsis: true,
      width: Math.min(220, Math.max(96, header.length * 16 + 24)),
      render: (_: unknown, row: RawRow) => rawCellText(row.cells[header]),
    })),
  ];
  return (
    <Table<RawRow>
      data-testid={testId}
      className="fb-import-raw"
      size="small"
      rowKey="rowNumber"
      columns={columns}
      dataSource={rows.slice(0, limit)}
      pagination={false}
      scroll={{ x: 'max-content' }}
      bordered
    />
  );
}
