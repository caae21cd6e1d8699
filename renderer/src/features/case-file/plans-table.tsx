// Repayment plans proposed on the case, with their status and, opened, their schedule.
import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlanStatus, PlanView } from '../../../../shared/api/contract';
import { formatInstant, longDate, money, type FormatContext } from '../../i18n/format';

const STATUS_COLORS: Record<PlanStatus, string> = {
  proposed: 'processing',
  approved: 'success',
  rejected: 'error',
};

export function PlansTable({ plans, ctx }: { plans: PlanView[]; ctx: FormatContext }) {
  const { t } = useTranslation();
  return (
    <Table<PlanView>
      size="small"
      rowKey="factId"
      pagination={false}
      dataSource={plans}
      data-testid="case-plans"
      expandable={{
        expandedRowRender: (p) => (
          <div className="fb-plan-detail">
            <div className="fb-secondary">
              {t('plans.cashFlow', {
                income: money(p.monthlyIncomeFen),
                expenses: money(p.essentialExpensesFen),
                other: money(p.otherDebtPaymentsFen),
                affordable: money(p.affordableFen),
              })}
            </div>
            {p.decision && (
              <div className="fb-secondary">
                {t('plans.decision', {
                  by: p.decision.by.name,
                  at: formatInstant(p.decision.at, ctx),
                  comment: p.decision.comment,
                })}
              </div>
            )}
            <ol className="fb-plan-instalments">
              {p.instalments.map((i) => (
                <li key={i.seq}>
                  <span>{longDate(i.dueDate, ctx)}</span>
                  <span className="fb-num">{money(i.amountFen)}</span>
                </li>
              ))}
            </ol>
          </div>
        ),
      }}
      columns={[
        {
          key: 'at',
          title: t('plans.proposedAt'),
          render: (_v, p) => <span className="fb-num">{formatInstant(p.proposedAt, ctx)}</span>,
        },
        {
          key: 'monthly',
          title: t('plans.monthly'),
          align: 'right',
          render: (_v, p) => <span className="fb-num">{money(p.monthlyFen)}</span>,
        },
        {
          key: 'months',
          title: t('plans.months'),
          align: 'right',
          render: (_v, p) => p.instalments.length,
        },
        {
          key: 'reasons',
          title: t('plans.reasons'),
          render: (_v, p) =>
            p.hardshipReasons.map((r) => t(`hardship.${r}`)).join(t('plans.reasonJoiner')),
        },
        { key: 'by', title: t('plans.by'), render: (_v, p) => p.proposedBy.name },
        {
          key: 'status',
          title: t('plans.status'),
          render: (_v, p) => (
            <Tag color={STATUS_COLORS[p.status]} variant="filled" data-testid="plan-status">
              {t(`plans.statusValue.${p.status}`)}
            </Tag>
          ),
        },
      ]}
    />
  );
}
