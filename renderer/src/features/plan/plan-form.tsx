// Hardship and a repayment plan: why the borrower cannot pay (reason codes), a quick
// monthly cash flow that gives the affordable instalment as the officer types, and the
// schedule built from it (shared/domain/hardship) before anything is sent. The proposal
// is recorded as 'proposed'; a manager decides.
import { useMemo, useState } from 'react';
import { Alert, Button, Checkbox, Drawer, Input, Select, Space, Statistic, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseFile, RecordedFact } from '../../../../shared/api/contract';
import { addMonthsClamped } from '../../../../shared/dates';
import {
  AFFORDABLE_SHARE_PCT,
  affordableInstalment,
  type PlanRefusal,
} from '../../../../shared/domain/hardship';
import {
  HARDSHIP_REASONS,
  type HardshipReason,
  type IsoDate,
} from '../../../../shared/domain/types';
import type { ApiError } from '../../api/client';
import { useMutation } from '../../api/use-mutation';
import { useAppInfo } from '../../app/app-info';
import { useFormatContext } from '../../app/use-format';
import { DateField } from '../../components/date-field';
import {
  MoneyInput,
  fenToInputText,
  nonNegativeFen,
  positiveFen,
} from '../../components/money-input';
import { errorText, longDate, money, type FormatContext } from '../../i18n/format';
import { NoteWordingWarning } from '../note/note-wording-warning';
import { defaultLoan } from '../payment/payment-form';
import { planTotalFen, previewPlan, PLAN_MAX_MONTHS } from './plan-totals';

export function refusalText(r: PlanRefusal, ctx: FormatContext): string {
  switch (r.code) {
    case 'nothing_to_repay':
      return ctx.t('plan.refusal.nothing_to_repay');
    case 'no_repayment_capacity':
      return ctx.t('plan.refusal.no_repayment_capacity');
    case 'exceeds_max_months':
      return ctx.t('plan.refusal.exceeds_max_months', {
        months: r.monthsNeeded,
        max: r.maxMonths,
        min: money(r.minMonthlyFen),
      });
  }
}

function planErrorText(error: ApiError, ctx: FormatContext): string {
  const reason = error.params['reason'];
  if (error.code === 'invalid_input' && typeof reason === 'string') {
    const key = `plan.error.${reason}`;
    const n = (k: string) =>
      typeof error.params[k] === 'number' ? (error.params[k] as number) : 0;
    if (ctx.t(key, { defaultValue: '' }) !== '')
      return ctx.t(key, {
        affordable: money(n('affordableFen')),
        months: n('monthsNeeded'),
        max: n('maxMonths'),
        min: money(n('minMonthlyFen')),
      });
  }
  return errorText(error, ctx.t);
}

export function PlanForm({
  file,
  onClose,
  onRecorded,
}: {
  file: CaseFile;
  onClose: () => void;
  onRecorded: (fact: RecordedFact) => void;
}) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const info = useAppInfo();
  const save = useMutation('plan.propose');
  const activeLoans = file.loans.filter((l) => l.status === 'active');
  const [loanId, setLoanId] = useState(() => defaultLoan(activeLoans)?.id);
  const [reasons, setReasons] = useState<HardshipReason[]>([]);
  const [income, setIncome] = useState('');
  const [expenses, setExpenses] = useState('');
  const [otherDebts, setOtherDebts] = useState('');
  const [monthlyText, setMonthlyText] = useState<string | null>(null);
  const [startDate, setStartDate] = useState<IsoDate | null>(addMonthsClamped(info.today, 1));
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);

  const loan = activeLoans.find((l) => l.id === loanId);
  const incomeFen = nonNegativeFen(income);
  const expensesFen = nonNegativeFen(expenses);
  const otherFen = nonNegativeFen(otherDebts);
  const cashFlowOk = incomeFen !== null && expensesFen !== null && otherFen !== null;
  const affordableFen = cashFlowOk
    ? affordableInstalment({
        monthlyIncomeFen: incomeFen,
        essentialExpensesFen: expensesFen,
        otherDebtPaymentsFen: otherFen,
      })
    : 0;
  // The instalment follows the affordable amount until the officer types their own.
  const monthlyFen = monthlyText === null ? affordableFen : positiveFen(monthlyText);
  const proposal = useMemo(
    () =>
      loan && monthlyFen !== null && startDate ? previewPlan(loan, monthlyFen, startDate) : null,
    [loan, monthlyFen, startDate],
  );
  const aboveAffordable = monthlyFen !== null && monthlyFen > affordableFen;
  const problems: string[] = [];
  if (reasons.length === 0) problems.push(t('plan.needReason'));
  if (!cashFlowOk) problems.push(t('plan.badCashFlow'));
  if (aboveAffordable && note.trim() === '') problems.push(t('plan.explainAbove'));
  if (!startDate) problems.push(t('plan.needStart'));
  const canSubmit = Boolean(loan && proposal?.ok && problems.length === 0 && !save.pending);

  const submit = async () => {
    setTried(true);
    if (!loan || !canSubmit || monthlyFen === null || !startDate || !cashFlowOk) return;
    const fact = await save.run({
      caseId: file.caseId,
      loanId: loan.id,
      hardshipReasons: reasons,
      monthlyIncomeFen: incomeFen,
      essentialExpensesFen: expensesFen,
      otherDebtPaymentsFen: otherFen,
      monthlyFen,
      startDate,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    if (fact) onRecorded(fact);
  };

  return (
    <Drawer
      open
      size={1000}
      onClose={onClose}
      title={t('plan.title', { name: file.borrower.name })}
      data-testid="plan-form"
      className="fb-form-drawer"
      destroyOnHidden
      footer={
        <div className="fb-drawer-footer">
          <span className="fb-footer-note">{t('plan.proposedHint')}</span>
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              onClick={submit}
              loading={save.pending}
              disabled={tried && !canSubmit}
              data-testid="plan-submit"
            >
              {t('plan.submit')}
            </Button>
          </Space>
        </div>
      }
    >
      <div className="fb-plan-grid">
        <div className="fb-plan-inputs">
          {activeLoans.length > 1 && (
            <label className="fb-field">
              <span className="fb-field-label">{t('payment.loan')}</span>
              <Select<string>
                value={loanId}
                onChange={setLoanId}
                options={activeLoans.map((l) => ({ value: l.id, label: l.loanNo }))}
              />
            </label>
          )}
          <fieldset className="fb-field">
            <legend className="fb-field-label">{t('plan.reasons')}</legend>
            <Checkbox.Group<HardshipReason>
              className="fb-reason-grid"
              value={reasons}
              onChange={setReasons}
              data-testid="plan-reasons"
              options={HARDSHIP_REASONS.map((r) => ({ value: r, label: t(`hardship.${r}`) }))}
            />
            {tried && reasons.length === 0 && (
              <div className="fb-field-error">{t('plan.needReason')}</div>
            )}
          </fieldset>
          <div className="fb-field-label">{t('plan.cashFlow')}</div>
          <div className="fb-cashflow">
            <label className="fb-field">
              <span className="fb-secondary">{t('plan.income')}</span>
              <MoneyInput value={income} onChange={setIncome} testId="plan-income" />
            </label>
            <label className="fb-field">
              <span className="fb-secondary">{t('plan.expenses')}</span>
              <MoneyInput value={expenses} onChange={setExpenses} testId="plan-expenses" />
            </label>
            <label className="fb-field">
              <span className="fb-secondary">{t('plan.otherDebts')}</span>
              <MoneyInput value={otherDebts} onChange={setOtherDebts} testId="plan-other-debts" />
            </label>
          </div>
          {!cashFlowOk && <div className="fb-field-error">{t('plan.badCashFlow')}</div>}
          <div className="fb-affordable" data-testid="plan-affordable">
            <Statistic
              title={t('plan.affordable')}
              value={money(affordableFen)}
              styles={{ content: { fontSize: 24, fontWeight: 600 } }}
            />
            <div className="fb-secondary">
              {t('plan.affordableRule', { pct: AFFORDABLE_SHARE_PCT })}
            </div>
          </div>
          <div className="fb-cashflow">
            <label className="fb-field">
              <span className="fb-secondary">{t('plan.monthly')}</span>
              <MoneyInput
                value={monthlyText ?? (affordableFen > 0 ? fenToInputText(affordableFen) : '')}
                onChange={(v) => setMonthlyText(v)}
                testId="plan-monthly"
              />
            </label>
            <label className="fb-field">
              <span className="fb-secondary">{t('plan.startDate')}</span>
              <DateField
                value={startDate}
                onChange={setStartDate}
                min={info.today}
                testId="plan-start"
                allowClear={false}
              />
            </label>
          </div>
          {monthlyText !== null && (
            <Button
              type="link"
              size="small"
              className="fb-fill-link"
              onClick={() => setMonthlyText(null)}
            >
              {t('plan.useAffordable')}
            </Button>
          )}
          {aboveAffordable && (
            <Alert
              type="warning"
              showIcon
              className="fb-form-alert"
              title={t('plan.aboveAffordable')}
            />
          )}
          <label className="fb-field">
            <span className="fb-secondary">{t('contact.note')}</span>
            <Input.TextArea
              rows={2}
              maxLength={2000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              data-testid="plan-note"
            />
          </label>
          <NoteWordingWarning text={note} />
        </div>

        <div className="fb-plan-preview" data-testid="plan-preview">
          {loan && (
            <div className="fb-plan-facts">
              <Statistic title={t('plan.total')} value={money(planTotalFen(loan))} />
              <Statistic title={t('caseFile.loan.arrears')} value={money(loan.arrearsFen)} />
              {proposal?.ok && <Statistic title={t('plan.months')} value={proposal.months} />}
            </div>
          )}
          {proposal && !proposal.ok && (
            <Alert
              type="error"
              showIcon
              data-testid="plan-refusal"
              title={t('plan.noPlan')}
              description={refusalText(proposal.refusal, ctx)}
            />
          )}
          {proposal?.ok && (
            <>
              <div className="fb-plan-summary" data-testid="plan-summary">
                {t('plan.summary', {
                  monthly: money(proposal.monthlyFen),
                  months: proposal.months,
                  start: longDate(proposal.instalments[0]!.dueDate, ctx),
                })}
                {proposal.arrearsClearedOn &&
                  t('plan.arrearsCleared', { date: longDate(proposal.arrearsClearedOn, ctx) })}
              </div>
              <Table
                size="small"
                rowKey="seq"
                pagination={false}
                scroll={{ y: 360 }}
                dataSource={proposal.instalments}
                data-testid="plan-schedule"
                columns={[
                  { key: 'seq', title: t('schedule.seq'), width: 60, render: (_v, i) => i.seq },
                  {
                    key: 'due',
                    title: t('schedule.dueDate'),
                    render: (_v, i) => longDate(i.dueDate, ctx),
                  },
                  {
                    key: 'amount',
                    title: t('schedule.amount'),
                    align: 'right',
                    render: (_v, i) => (
                      <span className="fb-num">{money(i.principalFen + i.interestFen)}</span>
                    ),
                  },
                ]}
              />
              <div className="fb-secondary">{t('plan.maxMonths', { count: PLAN_MAX_MONTHS })}</div>
            </>
          )}
          {!proposal && <div className="fb-secondary">{t('plan.previewEmpty')}</div>}
          {tried && problems.length > 0 && (
            <Alert
              type="warning"
              showIcon
              className="fb-form-alert"
              title={problems.join(t('conduct.joiner'))}
            />
          )}
          {save.error && (
            <Alert
              type="error"
              showIcon
              className="fb-form-alert"
              title={t('common.saveFailed')}
              description={planErrorText(save.error, ctx)}
            />
          )}
        </div>
      </div>
    </Drawer>
  );
}
