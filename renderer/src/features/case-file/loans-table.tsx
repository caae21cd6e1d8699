import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LoanView } from '../../../../shared/api/contract';
import { BucketTag } from '../../components/bucket-tag';
import { longDate, money, type FormatContext } from '../../i18n/format';
import { ScheduleTable } from './schedule-table';

export function LoansTable({ loans, ctx }: { loans: LoanView[]; ctx: FormatContext }) {
  const { t } = useTranslation();
  return (
    <Table<LoanView>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={loans}
      data-testid="case-loans"
      tableLayout="fixed"
      expandable={{
        // The schedule of the first loan is open: it is usually the one in arrears.
        defaultExpandedRowKeys: loans[0] ? [loans[0].id] : [],
        expandedRowRender: (l) => <ScheduleTable schedule={l.schedule} ctx={ctx} />,
      }}
      columns={[
        {
          key: 'loan',
          title: t('caseFile.loan.loanNo'),
          width: 190,
          render: (_v, l) => (
            <div className="fb-cell-stack fb-cell-stack-wrap">
              <span className="fb-num">{l.loanNo}</span>
              <span className="fb-secondary">
                {l.product} · {t('caseFile.loan.term', { count: l.termMonths })}
              </span>
            </div>
          ),
        },
        {
          key: 'principal',
          title: t('caseFile.loan.principal'),
          align: 'right',
          render: (_v, l) => (
            <div className="fb-cell-stack">
              <span className="fb-num">{money(l.principalFen)}</span>
              <span className="fb-secondary" title={t('caseFile.loan.disbursedOn')}>
                {longDate(l.disbursedOn, ctx)}
              </span>
            </div>
          ),
        },
        {
          key: 'dpd',
          title: t('caseFile.loan.dpd'),
          align: 'right',
          width: 120,
          render: (_v, l) => (
            <div className="fb-dpd">
              <BucketTag code={l.bucket} range={undefined} daysPastDue={l.daysPastDue} ctx={ctx} />
              <span className="fb-num">{t('worklist.dpdValue', { count: l.daysPastDue })}</span>
            </div>
          ),
        },
        {
          key: 'arrears',
          title: t('caseFile.loan.arrears'),
          align: 'right',
          render: (_v, l) => <span className="fb-num fb-money">{money(l.arrearsFen)}</span>,
        },
        {
          key: 'outstanding',
          title: t('caseFile.loan.outstanding'),
          width: 120,
          align: 'right',
          render: (_v, l) => <span className="fb-num">{money(l.outstandingFen)}</span>,
        },
        {
          key: 'status',
          title: t('caseFile.loan.statusLabel'),
          width: 76,
          render: (_v, l) => (
            <Tag variant="filled" color={l.status === 'active' ? 'blue' : 'default'}>
              {t(`caseFile.loan.status.${l.status}`)}
            </Tag>
          ),
        },
      ]}
    />
  );
}
