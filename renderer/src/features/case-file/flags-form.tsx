// Changing a case's flags (hardship, vulnerable borrower, dispute, do not contact): every
// change carries a reason and becomes a fact on the timeline.
import { useState } from 'react';
import { Alert, Input, Modal, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseFile, RecordedFact } from '../../../../shared/api/contract';
import type { CaseFlags } from '../../../../shared/domain/types';
import { useMutation } from '../../api/use-mutation';
import { errorText } from '../../i18n/format';

export const FLAG_NAMES: readonly (keyof CaseFlags)[] = [
  'hardship',
  'vulnerable',
  'dispute',
  'doNotContact',
];

export function FlagsForm({
  file,
  onClose,
  onRecorded,
}: {
  file: CaseFile;
  onClose: () => void;
  onRecorded: (fact: RecordedFact) => void;
}) {
  const { t } = useTranslation();
  const [flags, setFlags] = useState<CaseFlags>(file.flags);
  const [reason, setReason] = useState('');
  const save = useMutation('case.setFlags');
  const changed = FLAG_NAMES.filter((f) => flags[f] !== file.flags[f]);
  const ready = changed.length > 0 && reason.trim().length > 0;
  return (
    <Modal
      open
      title={t('flagsForm.title')}
      onCancel={onClose}
      okText={t('flagsForm.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !ready, 'data-testid': 'flags-submit' }}
      confirmLoading={save.pending}
      onOk={async () => {
        const fact = await save.run({
          caseId: file.caseId,
          flags: Object.fromEntries(changed.map((f) => [f, flags[f]])),
          reason: reason.trim(),
        });
        if (fact) onRecorded(fact);
      }}
      destroyOnHidden
      data-testid="flags-form"
    >
      <ul className="fb-flag-switches">
        {FLAG_NAMES.map((f) => (
          <li key={f}>
            <Switch
              checked={flags[f]}
              onChange={(on) => setFlags((prev) => ({ ...prev, [f]: on }))}
              data-testid={`flag-switch-${f}`}
            />
            <span className="fb-flag-name">{t(`flags.${f}`)}</span>
            <span className="fb-secondary">{t(`flagsForm.help.${f}`)}</span>
          </li>
        ))}
      </ul>
      <Input.TextArea
        rows={2}
        value={reason}
        maxLength={1000}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t('flagsForm.reason')}
        data-testid="flags-reason"
      />
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
