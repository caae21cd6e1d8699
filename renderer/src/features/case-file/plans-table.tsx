// Repayment plans proposed on the case, with their status and, opened, their schedule.
// A manager also gets Approve / Reject on a proposed plan (onDecide).
import { Button, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlanStatus, PlanView } from '../../../../shared/api/contract';
import { formatInstant, longDate, money, type FormatContext } from '../../i18n/format';

const STATUS_COLORS: Record<PlanStatus, string> = {
  proposed: 'processing',
  approved: 'success',
  rejected: 'error',
};

export function PlansTable({
  plans,
  ctx,
  onDecide,
}: {
  plans: PlanView[];
  ctx: FormatContext;
  /** Given only to managers: decide a proposed plan (features/manager-plans/decision-modal). */
  onDecide?: (plan: PlanView, decision: 'approved' | 'rejected') => void;
}) {
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
        ...(onDecide
          ? [
              {
                key: 'decide',
                title: '',
                render: (_v: unknown, p: PlanView) =>
                  p.status === 'proposed' ? (
                    <Space size={6}>
                      <Button
                        size="small"
                        type="primary"
                        onClick={() => onDecide(p, 'approved')}
                        data-testid="case-plan-approve"
                      >
                        {t('plans.decide.approve')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        onClick={() => onDecide(p, 'rejected')}
                        data-testid="case-plan-reject"
                      >
                        {t('plans.decide.reject')}
                      </Button>
                    </Space>
                  ) : null,
              },
            ]
          : []),
      ]}
    />
  );
}
