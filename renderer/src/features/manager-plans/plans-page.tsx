// The manager's decisions: repayment plans waiting for approval (and those already decided),
// and the conduct-rule overrides to review. A decided plan stays where it was in the queue,
// showing its decision, until the manager leaves the tab, so the list does not jump under
// the pointer while they work through it.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { App, Empty, Skeleton, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlanDecided, PlanForDecision } from '../../../../shared/api/manager-contract';
import type { ApiError } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query';
import { useAppInfo } from '../../app/app-info';
import { useDataVersion } from '../../app/data-version';
import { useRouter } from '../../app/router';
import { useFormatContext } from '../../app/use-format';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { DecisionModal, type PlanDecision } from './decision-modal';
import { OverridesReview } from './overrides-review';
import { PlanCard } from './plan-card';
import './plans.css';

type PlansTab = 'proposed' | 'approved' | 'rejected' | 'overrides';

export function PlansPage() {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const info = useAppInfo();
  const { openCase } = useRouter();
  const { bump } = useDataVersion();
  const { message } = App.useApp();
  const [tab, setTab] = useState<PlansTab>('proposed');
  const [deciding, setDeciding] = useState<{
    plan: PlanForDecision;
    decision: PlanDecision;
  } | null>(null);
  /** Plans decided on this visit of the queue, shown with their decision in place. */
  const [decidedHere, setDecidedHere] = useState<Record<string, PlanForDecision>>({});

  const waiting = useApiQuery('manager.plans', { status: 'proposed' });
  const decidedStatus = tab === 'approved' || tab === 'rejected' ? tab : null;
  const decided = useApiQuery('manager.plans', decidedStatus ? { status: decidedStatus } : null);
  const overridesWaiting = useApiQuery('manager.overrides', { reviewed: false });

  const queue = useMemo(
    () => (waiting.data ?? []).map((p) => decidedHere[p.factId] ?? p),
    [waiting.data, decidedHere],
  );
  const stillWaiting = queue.filter((p) => p.decision === null).length;
  // The hook keeps the previous answer while the next loads: never show approved plans
  // under the rejected tab for that moment.
  // Decided plans: the latest decision first (the queue itself is oldest proposal first).
  const decidedList = useMemo(
    () =>
      (decided.data ?? [])
        .filter((p) => p.status === decidedStatus)
        .sort((a, b) => (b.decision?.at ?? '').localeCompare(a.decision?.at ?? '')),
    [decided.data, decidedStatus],
  );

  const { reload: reloadWaiting } = waiting;
  const changeTab = useCallback(
    (next: PlansTab) => {
      if (next === 'proposed') {
        setDecidedHere({});
        reloadWaiting();
      }
      setTab(next);
    },
    [reloadWaiting],
  );

  const onDecided = useCallback(
    (plan: PlanForDecision, result: PlanDecided, comment: string) => {
      setDeciding(null);
      setDecidedHere((d) => ({
        ...d,
        [plan.factId]: {
          ...plan,
          status: result.decision,
          decision: {
            factId: result.factId,
            at: result.occurredAt,
            by: info.currentUser,
            comment,
          },
        },
      }));
      void message.success(
        t(
          result.decision === 'approved'
            ? 'plans.decide.approvedToast'
            : 'plans.decide.rejectedToast',
          {
            name: plan.borrowerName,
          },
        ),
      );
      bump();
    },
    [info.currentUser, message, t, bump],
  );

  const countBadge = (n: number | undefined) =>
    n !== undefined && n > 0 ? <span className="fb-section-count">{n}</span> : null;

  return (
    <div className="fb-page fb-plans-page" data-testid="plans-page">
      <div className="fb-page-head">
        <div>
          <Typography.Title level={4} className="fb-page-title">
            {t('plans.queue.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('plans.queue.subtitle')}</Typography.Text>
        </div>
      </div>
      <Tabs
        className="fb-plans-tabs"
        activeKey={tab}
        onChange={(key) => changeTab(key as PlansTab)}
        items={[
          {
            key: 'proposed',
            label: (
              <span data-testid="plans-tab-proposed">
                {t('plans.queue.tabs.proposed')}
                {countBadge(waiting.data ? stillWaiting : undefined)}
              </span>
            ),
          },
          {
            key: 'approved',
            label: <span data-testid="plans-tab-approved">{t('plans.queue.tabs.approved')}</span>,
          },
          {
            key: 'rejected',
            label: <span data-testid="plans-tab-rejected">{t('plans.queue.tabs.rejected')}</span>,
          },
          {
            key: 'overrides',
            label: (
              <span data-testid="plans-tab-overrides">
                {t('plans.queue.tabs.overrides')}
                {countBadge(overridesWaiting.data?.length)}
              </span>
            ),
          },
        ]}
      />
      <div className="fb-plans-scroll" data-testid={`plans-panel-${tab}`}>
        {tab === 'proposed' && (
          <PlanList
            plans={queue}
            loaded={waiting.data !== undefined}
            error={waiting.error}
            onRetry={waiting.reload}
            empty={t('plans.queue.emptyProposed')}
            render={(p) => (
              <PlanCard
                key={p.factId}
                plan={p}
                ctx={ctx}
                onOpenCase={openCase}
                onDecide={(plan, decision) => setDeciding({ plan, decision })}
              />
            )}
          />
        )}
        {decidedStatus && (
          <PlanList
            plans={decidedList}
            loaded={decided.data !== undefined && !(decided.loading && decidedList.length === 0)}
            error={decided.error}
            onRetry={decided.reload}
            empty={t(`plans.queue.empty.${decidedStatus}`)}
            render={(p) => <PlanCard key={p.factId} plan={p} ctx={ctx} onOpenCase={openCase} />}
          />
        )}
        {tab === 'overrides' && (
          <OverridesReview onReviewed={overridesWaiting.reload} onOpenCase={openCase} />
        )}
      </div>
      {deciding && (
        <DecisionModal
          plan={deciding.plan}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
          onDecided={(result, comment) => onDecided(deciding.plan, result, comment)}
        />
      )}
    </div>
  );
}

function PlanList({
  plans,
  loaded,
  error,
  onRetry,
  empty,
  render,
}: {
  plans: PlanForDecision[];
  loaded: boolean;
  error: ApiError | undefined;
  onRetry: () => void;
  empty: string;
  render: (plan: PlanForDecision) => ReactNode;
}) {
  const { t } = useTranslation();
  if (error && !loaded) {
    return <ApiErrorAlert title={t('plans.queue.loadFailed')} error={error} onRetry={onRetry} />;
  }
  if (!loaded) {
    return (
      <div className="fb-panel fb-skeleton">
        <Skeleton active paragraph={{ rows: 6 }} />
      </div>
    );
  }
  if (plans.length === 0) {
    return (
      <div className="fb-panel fb-plans-empty">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />
      </div>
    );
  }
  return <div className="fb-plan-list">{plans.map(render)}</div>;
}
