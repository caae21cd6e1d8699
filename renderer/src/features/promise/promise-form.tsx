// A promise to pay taken outside a logged contact (the borrower came to the office, or
// called back): amount and date. Kept / partly kept / broken is worked out by the ledger
// from payments and the pack's grace days.
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseFile, RecordedFact } from '../../../../shared/api/contract';
import type { IsoDate } from '../../../../shared/domain/types';
import { useMutation } from '../../api/use-mutation';
import { useAppInfo } from '../../app/app-info';
import { usePolicy } from '../../app/policy';
import { DateField } from '../../components/date-field';
import { MoneyInput, positiveFen } from '../../components/money-input';
import { errorText, money } from '../../i18n/format';
import { NoteWordingWarning } from '../note/note-wording-warning';

interface Values {
  amount?: string;
  dueDate?: IsoDate | null;
  note?: string;
}

export function PromiseForm({
  file,
  onClose,
  onRecorded,
}: {
  file: CaseFile;
  onClose: () => void;
  onRecorded: (fact: RecordedFact) => void;
}) {
  const { t } = useTranslation();
  const info = useAppInfo();
  const pack = usePolicy();
  const [form] = Form.useForm<Values>();
  const note = Form.useWatch('note', form);
  const save = useMutation('promise.record');
  const arrears = file.loans.reduce((s, l) => s + l.arrearsFen, 0);

  const submit = async (v: Values) => {
    const amountFen = positiveFen(v.amount);
    if (amountFen === null || !v.dueDate) return;
    const fact = await save.run({
      caseId: file.caseId,
      amountFen,
      dueDate: v.dueDate,
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    });
    if (fact) onRecorded(fact);
  };

  return (
    <Modal
      open
      title={t('promise.title', { name: file.borrower.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('promise.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={save.pending}
      okButtonProps={{ 'data-testid': 'promise-submit' }}
      destroyOnHidden
      data-testid="promise-form"
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} className="fb-form">
        <div className="fb-inline-promise">
          <Form.Item
            name="amount"
            label={t('promise.amount')}
            extra={arrears > 0 ? t('promise.arrearsHint', { amount: money(arrears) }) : undefined}
            rules={[
              { required: true, message: t('promise.amountRequired') },
              {
                validator: (_r, value: string | undefined) =>
                  !value || positiveFen(value) !== null
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('money.invalid'))),
              },
            ]}
          >
            <MoneyInput testId="promise-form-amount" autoFocus />
          </Form.Item>
          <Form.Item
            name="dueDate"
            label={t('promise.dueDate')}
            extra={pack ? t('promise.graceHint', { count: pack.promiseGraceDays }) : undefined}
            rules={[{ required: true, message: t('promise.dueDateRequired') }]}
          >
            <DateField min={info.today} testId="promise-form-date" />
          </Form.Item>
        </div>
        <Form.Item name="note" label={t('contact.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <NoteWordingWarning text={note} />
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
