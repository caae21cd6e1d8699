// The case file, opened from the worklist: who the borrower is and how to reach them,
// what they owe (after the payments collected in the field), their flags, promises,
// payments, plans and overrides, and one timeline of every fact with who recorded it —
// plus everything the officer does on a case. Esc or the back button returns to the list.
import { memo, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Descriptions, Empty, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, CheckCircleFilled, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type {
  CaseFile,
  PaymentView,
  PlanView,
  RecordedFact,
  RecordedPayment,
} from '../../../../shared/api/contract';
import type { ContactChannel, ContactOutcome } from '../../../../shared/domain/types';
import { useApiQuery } from '../../api/use-api-query';
import { useAppInfo } from '../../app/app-info';
import { useDataVersion } from '../../app/data-version';
import { measureSince, PERF } from '../../app/perf';
import { useFormatContext } from '../../app/use-format';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { PromiseStatusTag } from '../../components/promise-status-tag';
import { ReasonLine } from '../../components/reason-line';
import { formatInstant, longDate, money, shortDate, type FormatContext } from '../../i18n/format';
import { ContactForm } from '../contact/contact-form';
import { DecisionModal, type PlanDecision } from '../manager-plans/decision-modal';
import { NoteForm } from '../note/note-form';
import { PaymentForm } from '../payment/payment-form';
import { ReversePaymentForm } from '../payment/reverse-payment-form';
import { PlanForm } from '../plan/plan-form';
import { PromiseForm } from '../promise/promise-form';
import { ReceiptModal } from '../receipt/receipt-modal';
import { isTypingTarget } from '../worklist/use-row-keyboard';
import { CaseActions, type CaseAction } from './case-actions';
import { CaseTimeline } from './case-timeline';
import { ContactPointsList } from './contact-points-list';
import { FLAG_NAMES, FlagsForm } from './flags-form';
import { LoansTable } from './loans-table';
import { OverridesList } from './overrides-list';
import { PaymentsTable } from './payments-table';
import { PlansTable } from './plans-table';
import { PromisesTable } from './promises-table';

export const FLAG_COLORS: Record<keyof CaseFile['flags'], string> = {
  hardship: 'purple',
  vulnerable: 'cyan',
  dispute: 'orange',
  doNotContact: 'red',
};

interface Confirmation {
  id: string;
  kind: 'contact' | 'other';
  text: string;
}

export interface CasePageProps {
  caseId: string;
  onBack: () => void;
}

export function CasePage({ caseId, onBack }: CasePageProps) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const { bump } = useDataVersion();
  const query = useApiQuery('case.get', { caseId });
  // Old data stays in the hook while the next case loads; never show it under another case.
  const file = query.data && query.data.caseId === caseId ? query.data : undefined;
  const [action, setAction] = useState<CaseAction | null>(null);
  const [flagsOpen, setFlagsOpen] = useState(false);
  const [receipt, setReceipt] = useState<{ paymentFactId: string; justRecorded: boolean } | null>(
    null,
  );
  const [reversing, setReversing] = useState<PaymentView | null>(null);
  const [deciding, setDeciding] = useState<{ plan: PlanView; decision: PlanDecision } | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [refresh, setRefresh] = useState(0);
  const overlayOpen =
    action !== null || flagsOpen || receipt !== null || reversing !== null || deciding !== null;
  // Managers decide proposed plans here too; officers only see them.
  const canDecide = useAppInfo().currentUser.role !== 'officer';
  const decidePlan = useCallback(
    (plan: PlanView, decision: PlanDecision) => setDeciding({ plan, decision }),
    [],
  );

  useEffect(() => {
    if (overlayOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || isTypingTarget(event.target)) return;
      event.preventDefault();
      onBack();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [overlayOpen, onBack]);

  // What a recorded fact changes elsewhere (the case file, the worklist's ranks, the
  // conduct checks) is fetched after the confirmation is on screen, so the officer sees
  // "recorded" as soon as the ledger has committed it.
  const afterConfirmation = useRef<(() => void) | null>(null);
  const { reload } = query;
  useEffect(() => {
    if (!confirmation) return;
    // Benchmark: submit click → the confirmation on screen.
    if (confirmation.kind === 'contact')
      measureSince(PERF.contactLogged, PERF.contactSubmit, PERF.contactConfirmed);
    afterConfirmation.current?.();
    afterConfirmation.current = null;
  }, [confirmation]);

  const recorded = useCallback(
    (fact: RecordedFact, text: string, kind: Confirmation['kind'] = 'other') => {
      afterConfirmation.current = () => {
        setRefresh((n) => n + 1);
        reload();
        bump();
      };
      setAction(null);
      setFlagsOpen(false);
      setReversing(null);
      setDeciding(null);
      setConfirmation({
        id: fact.factId,
        kind,
        text: `${text}${t('reason.separator')}${formatInstant(fact.occurredAt, ctx)}`,
      });
    },
    [reload, bump, t, ctx],
  );

  const openFlags = useCallback(() => setFlagsOpen(true), []);
  const openReceipt = useCallback(
    (p: PaymentView) => setReceipt({ paymentFactId: p.factId, justRecorded: false }),
    [],
  );

  const onContactRecorded = useCallback(
    (
      fact: RecordedFact,
      what: { channel: ContactChannel; outcome: ContactOutcome; override: boolean },
    ) =>
      recorded(
        fact,
        t(what.override ? 'confirm.contactOverride' : 'confirm.contact', {
          channel: t(`channel.${what.channel}`),
          outcome: t(`outcome.${what.outcome}`),
        }),
        'contact',
      ),
    [recorded, t],
  );

  const onPaymentRecorded = useCallback(
    (payment: RecordedPayment) => {
      recorded(payment, t('confirm.payment', { receiptNo: payment.receiptNo }));
      setReceipt({ paymentFactId: payment.factId, justRecorded: true });
    },
    [recorded, t],
  );

  return (
    <div className="fb-page fb-case-page" data-testid="case-page">
      <div className="fb-case-head">
        <Tooltip title={t('caseFile.backHint')}>
          <Button icon={<ArrowLeftOutlined />} onClick={onBack} data-testid="case-back">
            {t('caseFile.back')}
          </Button>
        </Tooltip>
        {file ? (
          <CaseTitle file={file} />
        ) : (
          <span className="fb-case-name">{t('caseFile.title')}</span>
        )}
        {file && (
          <Typography.Text type="secondary" className="fb-case-officer">
            {t('caseFile.officerLine', { name: file.officer.name })}
          </Typography.Text>
        )}
      </div>

      {query.error && !file && (
        <ApiErrorAlert
          title={t('caseFile.loadFailed')}
          error={query.error}
          onRetry={query.reload}
        />
      )}
      {!file && !query.error && (
        <div className="fb-panel fb-skeleton">
          <Skeleton active paragraph={{ rows: 12 }} />
        </div>
      )}
      {file && (
        <>
          <CaseSummary file={file} ctx={ctx} />
          <CaseActions file={file} onAction={setAction} refresh={refresh} />
          {confirmation && (
            <Alert
              key={confirmation.id}
              type="success"
              showIcon
              icon={<CheckCircleFilled />}
              closable={{ onClose: () => setConfirmation(null) }}
              className="fb-confirmation"
              data-testid={confirmation.kind === 'contact' ? 'contact-confirmed' : 'fact-confirmed'}
              title={confirmation.text}
            />
          )}
          <div className="fb-case-columns">
            <div className="fb-case-main fb-panel" data-testid="case-main">
              <CaseBody
                file={file}
                ctx={ctx}
                onEditFlags={openFlags}
                onReceipt={openReceipt}
                onReverse={setReversing}
                {...(canDecide && { onDecidePlan: decidePlan })}
              />
            </div>
            <aside className="fb-case-side fb-panel" data-testid="case-side">
              <CaseSide file={file} ctx={ctx} />
            </aside>
          </div>

          {(action === 'visit' || action === 'call' || action === 'sms' || action === 'letter') && (
            <ContactForm
              file={file}
              channel={action}
              onClose={() => setAction(null)}
              onRecorded={onContactRecorded}
            />
          )}
          {action === 'promise' && (
            <PromiseForm
              file={file}
              onClose={() => setAction(null)}
              onRecorded={(f) => recorded(f, t('confirm.promise'))}
            />
          )}
          {action === 'payment' && (
            <PaymentForm
              file={file}
              onClose={() => setAction(null)}
              onRecorded={onPaymentRecorded}
            />
          )}
          {action === 'plan' && (
            <PlanForm
              file={file}
              onClose={() => setAction(null)}
              onRecorded={(f) => recorded(f, t('confirm.plan'))}
            />
          )}
          {action === 'note' && (
            <NoteForm
              file={file}
              onClose={() => setAction(null)}
              onRecorded={(f) => recorded(f, t('confirm.note'))}
            />
          )}
          {flagsOpen && (
            <FlagsForm
              file={file}
              onClose={() => setFlagsOpen(false)}
              onRecorded={(f) => recorded(f, t('confirm.flags'))}
            />
          )}
          {reversing && (
            <ReversePaymentForm
              payment={reversing}
              onClose={() => setReversing(null)}
              onRecorded={(f) =>
                recorded(f, t('confirm.reversal', { receiptNo: reversing.receiptNo }))
              }
            />
          )}
          {deciding && (
            <DecisionModal
              plan={{
                factId: deciding.plan.factId,
                borrowerName: file.borrower.name,
                monthlyFen: deciding.plan.monthlyFen,
                months: deciding.plan.instalments.length,
                totalFen: deciding.plan.instalments.reduce((sum, i) => sum + i.amountFen, 0),
              }}
              decision={deciding.decision}
              onClose={() => setDeciding(null)}
              onDecided={(result) =>
                recorded(
                  {
                    factId: result.factId,
                    caseId: result.caseId,
                    kind: 'plan_decision',
                    occurredAt: result.occurredAt,
                  },
                  t(
                    result.decision === 'approved'
                      ? 'plans.decide.approvedToast'
                      : 'plans.decide.rejectedToast',
                    { name: file.borrower.name },
                  ),
                )
              }
            />
          )}
          {receipt && (
            <ReceiptModal
              paymentFactId={receipt.paymentFactId}
              justRecorded={receipt.justRecorded}
              onClose={() => setReceipt(null)}
            />
          )}
        </>
      )}
    </div>
  );
}

function CaseTitle({ file }: { file: CaseFile }) {
  const { t } = useTranslation();
  return (
    <span className="fb-case-title">
      <span className="fb-case-name" data-testid="case-borrower-name">
        {file.borrower.name}
      </span>
      <Tag color={file.status === 'open' ? 'blue' : 'default'} variant="filled">
        {t(`caseFile.status.${file.status}`)}
      </Tag>
      {FLAG_NAMES.filter((f) => file.flags[f]).map((f) => (
        <Tag key={f} color={FLAG_COLORS[f]} data-testid={`flag-${f}`}>
          {t(`flags.${f}`)}
        </Tag>
      ))}
    </span>
  );
}

/** The few numbers an officer reads first, and why the case ranks where it does. */
const CaseSummary = memo(function CaseSummary({
  file,
  ctx,
}: {
  file: CaseFile;
  ctx: FormatContext;
}) {
  const { t } = useTranslation();
  const active = file.loans.filter((l) => l.status === 'active');
  const dpd = Math.max(0, ...active.map((l) => l.daysPastDue));
  const arrears = file.loans.reduce((s, l) => s + l.arrearsFen, 0);
  const outstanding = file.loans.reduce((s, l) => s + l.outstandingFen, 0);
  const latest = [...file.promises].sort((a, b) => (a.madeOn < b.madeOn ? 1 : -1))[0];
  const stat = (label: string, value: ReactNode, testId: string) => (
    <div className="fb-stat">
      <div className="fb-stat-label">{label}</div>
      <div className="fb-stat-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
  return (
    <div className="fb-case-summary fb-panel">
      {stat(
        t('caseFile.loan.dpd'),
        <span className="fb-num">{t('worklist.dpdValue', { count: dpd })}</span>,
        'case-dpd',
      )}
      {stat(
        t('caseFile.loan.arrears'),
        <span className="fb-num fb-money-strong">{money(arrears)}</span>,
        'case-arrears',
      )}
      {stat(
        t('caseFile.outstandingAfter'),
        <span className="fb-num">{money(outstanding)}</span>,
        'case-outstanding',
      )}
      {stat(
        t('caseFile.latestPromise'),
        latest ? (
          <span className="fb-promise-line">
            <span className="fb-num">
              {money(latest.amountFen)} · {shortDate(latest.dueDate, ctx)}
            </span>
            <PromiseStatusTag status={latest.status} />
          </span>
        ) : (
          <span className="fb-secondary">{t('worklist.noPromise')}</span>
        ),
        'case-latest-promise',
      )}
      {stat(
        t('caseFile.nextAction'),
        file.nextActionDate ? longDate(file.nextActionDate, ctx) : t('caseFile.none'),
        'case-next-action',
      )}
      <div className="fb-case-reasons" data-testid="case-reasons">
        <span className="fb-case-reasons-label">{t('caseFile.priority')}</span>
        <ReasonLine reasons={file.priority.reasons} ctx={ctx} />
      </div>
    </div>
  );
});

const CaseBody = memo(function CaseBody({
  file,
  ctx,
  onEditFlags,
  onReceipt,
  onReverse,
  onDecidePlan,
}: {
  file: CaseFile;
  ctx: FormatContext;
  onEditFlags: () => void;
  onReceipt: (p: PaymentView) => void;
  onReverse: (p: PaymentView) => void;
  onDecidePlan?: (plan: PlanView, decision: PlanDecision) => void;
}) {
  const { t } = useTranslation();
  const b = file.borrower;
  return (
    <div className="fb-case-body">
      <Section title={t('caseFile.sections.borrower')}>
        <Descriptions
          size="small"
          column={2}
          className="fb-case-descriptions"
          items={[
            {
              key: 'idNumber',
              label: t('caseFile.idNumber'),
              children: <span className="fb-num">{b.idNumberMasked}</span>,
            },
            {
              key: 'gender',
              label: t('caseFile.genderLabel'),
              children: b.gender ? t(`caseFile.gender.${b.gender}`) : t('caseFile.none'),
            },
            {
              key: 'area',
              label: t('caseFile.area'),
              children: [b.county, b.township, b.village].filter(Boolean).join(' · '),
            },
            { key: 'officer', label: t('caseFile.officer'), children: file.officer.name },
            { key: 'address', label: t('caseFile.address'), children: b.address, span: 2 },
          ]}
        />
      </Section>
      <Section
        title={t('caseFile.sections.flags')}
        extra={
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={onEditFlags}
            data-testid="edit-flags"
          >
            {t('caseFile.editFlags')}
          </Button>
        }
      >
        <div className="fb-flag-row" data-testid="case-flags">
          {FLAG_NAMES.map((f) => (
            <Tag
              key={f}
              color={file.flags[f] ? FLAG_COLORS[f] : 'default'}
              variant={file.flags[f] ? 'solid' : 'outlined'}
              className={file.flags[f] ? '' : 'fb-flag-off'}
            >
              {t(`flags.${f}`)}
              {file.flags[f] ? '' : ` · ${t('caseFile.flagOff')}`}
            </Tag>
          ))}
        </div>
      </Section>
      <Section title={t('caseFile.sections.contacts')} count={file.contactPoints.length}>
        <ContactPointsList points={file.contactPoints} />
      </Section>
      <Section title={t('caseFile.sections.loans')} count={file.loans.length}>
        <LoansTable loans={file.loans} ctx={ctx} />
      </Section>
      <Section title={t('caseFile.sections.promises')} count={file.promises.length}>
        {file.promises.length > 0 ? (
          <PromisesTable promises={file.promises} ctx={ctx} />
        ) : (
          <EmptyLine text={t('caseFile.noPromises')} />
        )}
      </Section>
      <Section title={t('caseFile.sections.payments')} count={file.payments.length}>
        {file.payments.length > 0 ? (
          <PaymentsTable
            payments={file.payments}
            ctx={ctx}
            onReceipt={onReceipt}
            onReverse={onReverse}
          />
        ) : (
          <EmptyLine text={t('caseFile.noPayments')} />
        )}
      </Section>
      <Section title={t('caseFile.sections.plans')} count={file.plans.length}>
        {file.plans.length > 0 ? (
          <PlansTable
            plans={file.plans}
            ctx={ctx}
            {...(onDecidePlan && { onDecide: onDecidePlan })}
          />
        ) : (
          <EmptyLine text={t('caseFile.noPlans')} />
        )}
      </Section>
      {file.overrides.length > 0 && (
        <Section title={t('caseFile.sections.overrides')} count={file.overrides.length}>
          <OverridesList overrides={file.overrides} ctx={ctx} />
        </Section>
      )}
    </div>
  );
});

const CaseSide = memo(function CaseSide({ file, ctx }: { file: CaseFile; ctx: FormatContext }) {
  const { t } = useTranslation();
  return (
    <Section title={t('caseFile.sections.timeline')} count={file.timeline.length}>
      <CaseTimeline entries={file.timeline} ctx={ctx} />
    </Section>
  );
});

function EmptyLine({ text }: { text: string }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} className="fb-empty-line" />
  );
}

function Section({
  title,
  count,
  extra,
  children,
}: {
  title: string;
  count?: number;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="fb-case-section">
      <div className="fb-case-section-head">
        <Typography.Title level={5} className="fb-case-section-title">
          {title}
          {count !== undefined && count > 0 && <span className="fb-section-count">{count}</span>}
        </Typography.Title>
        {extra}
      </div>
      {children}
    </section>
  );
}
