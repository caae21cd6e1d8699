// Reversing a payment: a new fact with a reason, never an edit or a deletion. The
// original stays on the case (and its receipt shows "reversed").
import { useState } from 'react';
import { Alert, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PaymentView, RecordedFact } from '../../../../shared/api/contract';
import { useMutation } from '../../api/use-mutation';
import { useFormatContext } from '../../app/use-format';
import { errorText, formatInstant, money } from '../../i18n/format';

export const REVERSAL_MIN_CHARS = 5;

export function ReversePaymentForm({
  payment,
  onClose,
  onRecorded,
}: {
  payment: PaymentView;
  onClose: () => void;
  onRecorded: (fact: RecordedFact) => void;
}) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const [reason, setReason] = useState('');
  const save = useMutation('payment.reverse');
  const ready = reason.trim().length >= REVERSAL_MIN_CHARS;
  return (
    <Modal
      open
      title={t('reversal.title', { receiptNo: payment.receiptNo })}
      onCancel={onClose}
      okText={t('reversal.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, disabled: !ready, 'data-testid': 'reversal-submit' }}
      confirmLoading={save.pending}
      onOk={async () => {
        const fact = await save.run({ paymentFactId: payment.factId, reason: reason.trim() });
        if (fact) onRecorded(fact);
      }}
      destroyOnHidden
      data-testid="reversal-form"
    >
      <p>
        {t('reversal.what', {
          amount: money(payment.amountFen),
          method: t(`paymentMethod.${payment.method}`),
          when: formatInstant(payment.collectedAt, ctx),
        })}
      </p>
      <Alert type="info" showIcon className="fb-form-alert" title={t('reversal.never')} />
      <Input.TextArea
        rows={3}
        value={reason}
        maxLength={1000}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t('reversal.placeholder')}
        data-testid="reversal-reason"
      />
      <div className="fb-secondary">{t('reversal.min', { count: REVERSAL_MIN_CHARS })}</div>
      {save.error && (
        <Alert
          type="error"
          showIcon
          title={t('common.saveFailed')}
          description={errorText(save.error, t)}
        />
      )}
    </Modal>
  );
}
