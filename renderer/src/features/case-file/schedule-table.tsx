// A loan's instalments with what has been paid on each and its status today.
import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InstalmentView } from '../../../../shared/api/contract';
import { longDate, money, type FormatContext } from '../../i18n/format';

const STATUS_COLORS: Record<InstalmentView['status'], string> = {
  paid: 'success',
  partly_paid: 'warning',
  overdue: 'error',
  due: 'processing',
  future: 'default',
};

export function ScheduleTable({
  schedule,
  ctx,
}: {
  schedule: InstalmentView[];
  ctx: FormatContext;
}) {
  const { t } = useTranslation();
  return (
    <Table<InstalmentView>
      size="small"
      rowKey="seq"
      pagination={false}
      dataSource={schedule}
      data-testid="loan-schedule"
      className="fb-schedule"
      rowClassName={(i) => `fb-inst-${i.status}`}
      columns={[
        { key: 'seq', title: t('schedule.seq'), width: 56, render: (_v, i) => i.seq },
        { key: 'due', title: t('schedule.dueDate'), render: (_v, i) => longDate(i.dueDate, ctx) },
        {
          key: 'principal',
          title: t('schedule.principal'),
          align: 'right',
          render: (_v, i) => <span className="fb-num">{money(i.principalFen)}</span>,
        },
        {
          key: 'interest',
          title: t('schedule.interest'),
          align: 'right',
          render: (_v, i) => <span className="fb-num">{money(i.interestFen)}</span>,
        },
        {
          key: 'paid',
          title: t('schedule.paid'),
          align: 'right',
          render: (_v, i) => <span className="fb-num">{money(i.paidFen)}</span>,
        },
        {
          key: 'status',
          title: t('schedule.status'),
          width: 90,
          render: (_v, i) => (
            <Tag color={STATUS_COLORS[i.status]} variant="filled" data-testid="instalment-status">
              {t(`schedule.statusValue.${i.status}`)}
            </Tag>
          ),
        },
      ]}
    />
  );
}
