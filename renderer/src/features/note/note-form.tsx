// A free note on the case, checked gently for threatening or abusive wording.
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseFile, RecordedFact } from '../../../../shared/api/contract';
import { useMutation } from '../../api/use-mutation';
import { errorText } from '../../i18n/format';
import { NoteWordingWarning } from './note-wording-warning';

export function NoteForm({
  file,
  onClose,
  onRecorded,
}: {
  file: CaseFile;
  onClose: () => void;
  onRecorded: (fact: RecordedFact) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ text?: string }>();
  const text = Form.useWatch('text', form);
  const save = useMutation('note.record');
  return (
    <Modal
      open
      title={t('note.title', { name: file.borrower.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('note.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={save.pending}
      okButtonProps={{ 'data-testid': 'note-submit' }}
      destroyOnHidden
      data-testid="note-form"
    >
      <Form
        form={form}
        layout="vertical"
        className="fb-form"
        onFinish={async (v: { text?: string }) => {
          const value = v.text?.trim();
          if (!value) return;
          const fact = await save.run({ caseId: file.caseId, text: value });
          if (fact) onRecorded(fact);
        }}
      >
        <Form.Item
          name="text"
          label={t('note.text')}
          rules={[{ required: true, whitespace: true, message: t('note.required') }]}
        >
          <Input.TextArea rows={5} maxLength={2000} showCount autoFocus data-testid="note-text" />
        </Form.Item>
        <NoteWordingWarning text={text} />
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
