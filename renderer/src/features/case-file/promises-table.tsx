import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseFile } from '../../../../shared/api/contract';
import { PromiseStatusTag } from '../../components/promise-status-tag';
import { longDate, money, type FormatContext } from '../../i18n/format';

type PromiseRow = CaseFile['promises'][number];

export function PromisesTable({ promises, ctx }: { promises: PromiseRow[]; ctx: FormatContext }) {
  const { t } = useTranslation();
  return (
    <Table<PromiseRow>
      size="small"
      rowKey="factId"
      pagination={false}
      dataSource={promises}
      data-testid="case-promises"
      columns={[
        {
          key: 'madeOn',
          title: t('caseFile.promise.madeOn'),
          render: (_v, p) => longDate(p.madeOn, ctx),
        },
        {
          key: 'dueDate',
          title: t('caseFile.promise.dueDate'),
          render: (_v, p) => longDate(p.dueDate, ctx),
        },
        {
          key: 'amount',
          title: t('caseFile.promise.amount'),
          align: 'right',
          render: (_v, p) => <span className="fb-num">{money(p.amountFen)}</span>,
        },
        {
          key: 'status',
          title: t('caseFile.promise.status'),
          render: (_v, p) => <PromiseStatusTag status={p.status} />,
        },
      ]}
    />
  );
}
