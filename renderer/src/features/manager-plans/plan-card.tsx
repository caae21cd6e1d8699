// One plan as the manager weighs it: who and where, why the household is in hardship, its
// cash flow against the instalment asked, what the plan pays and from when, how late the
// case is now, the officer's note, the schedule on request, and the decision once taken.
import { useState, type ReactNode } from 'react';
import { Button, Tag } from 'antd';
import { CheckOutlined, CloseOutlined, DownOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { PlanForDecision } from '../../../../shared/api/manager-contract';
import { formatInstant, longDate, money, type FormatContext } from '../../i18n/format';
import type { PlanDecision } from './decision-modal';

const STATUS_COLORS: Record<PlanForDecision['status'], string> = {
  proposed: 'processing',
  approved: 'success',
  rejected: 'error',
};

export interface PlanCardProps {
  plan: PlanForDecision;
  ctx: FormatContext;
  /** Absent for decided plans: nothing left to decide. */
  onDecide?: (plan: PlanForDecision, decision: PlanDecision) => void;
  onOpenCase: (caseId: string) => void;
}

export function PlanCard({ plan, ctx, onDecide, onOpenCase }: PlanCardProps) {
  const { t } = useTranslation();
  const [scheduleOpen, setScheduleOpen] = useState(false);
  const overAffordable = plan.monthlyFen > plan.affordableFen;
  return (
    <article
      className="fb-plan-card fb-panel"
      data-testid="plan-card"
      data-plan-id={plan.factId}
      data-case-id={plan.caseId}
    >
      <header className="fb-plan-card-head">
        <a
          className="fb-plan-borrower"
          href={`#/case/${encodeURIComponent(plan.caseId)}`}
          onClick={(e) => {
            e.preventDefault();
            onOpenCase(plan.caseId);
          }}
          data-testid="plan-open-case"
        >
          {plan.borrowerName}
        </a>
        <span className="fb-secondary">
          {[plan.village, plan.loanNo].filter(Boolean).join(' · ')}
        </span>
        <Tag color={STATUS_COLORS[plan.status]} variant="filled" data-testid="plan-status">
          {t(`plans.statusValue.${plan.status}`)}
        </Tag>
        <span className="fb-plan-card-officer fb-secondary">
          {t('plans.queue.officerLine', { name: plan.officer.name })}
          {t('reason.separator')}
          {t('plans.queue.proposedLine', {
            name: plan.proposedBy.name,
            at: formatInstant(plan.proposedAt, ctx),
          })}
        </span>
        {onDecide && plan.decision === null && (
          <span className="fb-plan-card-actions">
            <Button
              type="primary"
              icon={<CheckOutlined />}
              onClick={() => onDecide(plan, 'approved')}
              data-testid="plan-approve"
            >
              {t('plans.decide.approve')}
            </Button>
            <Button
              danger
              icon={<CloseOutlined />}
              onClick={() => onDecide(plan, 'rejected')}
              data-testid="plan-reject"
            >
              {t('plans.decide.reject')}
            </Button>
          </span>
        )}
      </header>

      <div className="fb-plan-card-body">
        <Figure label={t('plans.queue.plan')} testId="plan-terms">
          <span className="fb-num fb-plan-terms">
            {t('plans.queue.terms', {
              monthly: money(plan.monthlyFen),
              count: plan.months,
              total: money(plan.totalFen),
            })}
          </span>
          <span className="fb-secondary">
            {t('plans.queue.firstDue', { date: longDate(plan.firstDueDate, ctx) })}
          </span>
        </Figure>
        <Figure label={t('plans.queue.cashFlow')} testId="plan-cash-flow">
          <span className="fb-num">
            {t('plans.queue.income', { amount: money(plan.monthlyIncomeFen) })}
            {t('reason.separator')}
            {t('plans.queue.expenses', { amount: money(plan.essentialExpensesFen) })}
          </span>
          <span className={overAffordable ? 'fb-plan-over' : 'fb-secondary'}>
            {t('plans.queue.affordable', { amount: money(plan.affordableFen) })}
            {overAffordable && ` · ${t('plans.queue.overAffordable')}`}
          </span>
        </Figure>
        <Figure label={t('plans.queue.now')} testId="plan-now">
          <span className="fb-num">
            {plan.daysPastDue > 0
              ? t('bucket.single', { count: plan.daysPastDue })
              : t('bucket.current')}
          </span>
          <span className={`fb-num${plan.arrearsFen > 0 ? ' fb-money-strong' : ''}`}>
            {t('plans.queue.arrears', { amount: money(plan.arrearsFen) })}
          </span>
        </Figure>
        <Figure label={t('plans.reasons')} testId="plan-reasons">
          <span className="fb-plan-reasons">
            {plan.hardshipReasons.map((r) => (
              <Tag key={r} color="purple" variant="outlined">
                {t(`hardship.${r}`)}
              </Tag>
            ))}
          </span>
        </Figure>
      </div>

      {plan.note && (
        <div className="fb-plan-note" data-testid="plan-note">
          <span className="fb-plan-note-label">{t('plans.queue.note')}</span>
          {plan.note}
        </div>
      )}

      {plan.decision && (
        <div
          className={`fb-plan-decision fb-plan-decision-${plan.status}`}
          data-testid="plan-decision"
        >
          <strong>{t(`plans.statusValue.${plan.status}`)}</strong>
          <span>
            {t('plans.queue.decidedBy', {
              name: plan.decision.by.name,
              at: formatInstant(plan.decision.at, ctx),
            })}
          </span>
          <span className="fb-plan-decision-comment" data-testid="plan-decision-comment">
            {plan.decision.comment}
          </span>
        </div>
      )}

      <div className="fb-plan-schedule">
        <Button
          type="link"
          size="small"
          icon={scheduleOpen ? <DownOutlined /> : <RightOutlined />}
          onClick={() => setScheduleOpen((o) => !o)}
          aria-expanded={scheduleOpen}
          data-testid="plan-schedule-toggle"
        >
          {t('plans.queue.schedule', { count: plan.instalments.length })}
        </Button>
        {scheduleOpen && (
          <ol className="fb-plan-schedule-list" data-testid="plan-schedule">
            {plan.instalments.map((i) => (
              <li key={i.seq}>
                <span className="fb-plan-seq">{i.seq}</span>
                <span className="fb-num">{longDate(i.dueDate, ctx)}</span>
                <span className="fb-num fb-plan-amount">{money(i.amountFen)}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </article>
  );
}

function Figure({
  label,
  testId,
  children,
}: {
  label: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="fb-plan-figure" data-testid={testId}>
      <div className="fb-stat-label">{label}</div>
      <div className="fb-plan-figure-value">{children}</div>
    </div>
  );
}
