// Money collected in the field: which loan, how much (yuan with up to two decimals, read
// exactly into fen), how it was paid, and the transaction number for anything but cash.
// The ledger gives the receipt number; the receipt opens as soon as it is recorded.
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseFile, LoanView, RecordedPayment } from '../../../../shared/api/contract';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../../shared/domain/types';
import { useMutation } from '../../api/use-mutation';
import { MoneyInput, fenToInputText, positiveFen } from '../../components/money-input';
import { errorText, money } from '../../i18n/format';

interface Values {
  loanId?: string;
  amount?: string;
  method?: PaymentMethod;
  reference?: string;
  note?: string;
}

/** The loan money goes to by default: the most overdue active one (as the ledger does). */
export function defaultLoan(loans: readonly LoanView[]): LoanView | undefined {
  const active = loans.filter((l) => l.status === 'active');
  return [...active].sort((a, b) => b.daysPastDue - a.daysPastDue)[0] ?? loans[0];
}

export function PaymentForm({
  file,
  onClose,
  onRecorded,
}: {
  file: CaseFile;
  onClose: () => void;
  onRecorded: (payment: RecordedPayment) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const save = useMutation('payment.record');
  const [loanId, setLoanId] = useState(() => defaultLoan(file.loans)?.id);
  const method = Form.useWatch('method', form) ?? 'cash';
  const amountText = Form.useWatch('amount', form);
  const loan = file.loans.find((l) => l.id === loanId);
  const amountFen = positiveFen(amountText);

  const submit = async (v: Values) => {
    const fen = positiveFen(v.amount);
    if (fen === null || !v.method) return;
    const payment = await save.run({
      caseId: file.caseId,
      ...(loanId ? { loanId } : {}),
      amountFen: fen,
      method: v.method,
      ...(v.method !== 'cash' && v.reference?.trim() ? { reference: v.reference.trim() } : {}),
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    });
    if (payment) onRecorded(payment);
  };

  return (
    <Modal
      open
      width={560}
      title={t('payment.title', { name: file.borrower.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={
        amountFen ? t('payment.submitAmount', { amount: money(amountFen) }) : t('payment.submit')
      }
      cancelText={t('common.cancel')}
      confirmLoading={save.pending}
      okButtonProps={{ 'data-testid': 'payment-submit' }}
      destroyOnHidden
      data-testid="payment-form"
    >
      <Form<Values>
        form={form}
        layout="vertical"
        className="fb-form"
        onFinish={submit}
        initialValues={{ method: 'cash' }}
      >
        {file.loans.length > 1 && (
          <Form.Item label={t('payment.loan')}>
            <Select<string>
              value={loanId}
              onChange={setLoanId}
              data-testid="payment-loan"
              options={file.loans.map((l) => ({
                value: l.id,
                label: `${l.loanNo} · ${t('payment.loanArrears', { amount: money(l.arrearsFen) })}`,
              }))}
            />
          </Form.Item>
        )}
        {loan && (
          <div className="fb-payment-loan fb-secondary" data-testid="payment-loan-summary">
            <span className="fb-num">{loan.loanNo}</span>
            <span>{t('payment.loanArrears', { amount: money(loan.arrearsFen) })}</span>
            <span>{t('payment.loanOutstanding', { amount: money(loan.outstandingFen) })}</span>
          </div>
        )}
        <Form.Item
          name="amount"
          label={t('payment.amount')}
          rules={[
            { required: true, message: t('payment.amountRequired') },
            {
              validator: (_r, value: string | undefined) =>
                !value || positiveFen(value) !== null
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('money.invalid'))),
            },
          ]}
        >
          <MoneyInput testId="payment-amount" autoFocus />
        </Form.Item>
        {loan && loan.arrearsFen > 0 && (
          <Button
            size="small"
            type="link"
            className="fb-fill-link"
            onClick={() => form.setFieldValue('amount', fenToInputText(loan.arrearsFen))}
          >
            {t('payment.fillArrears', { amount: money(loan.arrearsFen) })}
          </Button>
        )}
        <Form.Item name="method" label={t('payment.method')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="payment-method">
            {PAYMENT_METHODS.map((m) => (
              <Radio.Button key={m} value={m} data-testid={`method-${m}`}>
                {t(`paymentMethod.${m}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {method !== 'cash' && (
          <Form.Item
            name="reference"
            label={t('payment.reference')}
            extra={t('payment.referenceHelp')}
            rules={[
              {
                required: method !== 'other',
                whitespace: true,
                message: t('payment.referenceRequired'),
              },
            ]}
          >
            <Input maxLength={64} data-testid="payment-reference" className="fb-num" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('contact.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        {save.error && (
          <Alert
            type="error"
            showIcon
            title={t('common.saveFailed')}
            description={errorText(save.error, t)}
          />
        )}
      </Form>
    </Modal>
  );
}
