// A gentle, non-blocking warning when a note contains wording from the branch pack's
// lists of threatening or abusive terms. The officer can still save the note.
import { Alert } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { checkNoteWording } from '../../../../shared/policy/conduct';
import { usePolicy } from '../../app/policy';

export function useNoteWording(text: string | undefined): string[] {
  const pack = usePolicy();
  return useMemo(() => (pack && text ? checkNoteWording(pack, text) : []), [pack, text]);
}

export function NoteWordingWarning({ text }: { text: string | undefined }) {
  const { t } = useTranslation();
  const terms = useNoteWording(text);
  if (terms.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className="fb-form-alert"
      data-testid="note-wording-warning"
      title={t('note.wordingTitle')}
      description={t('note.wordingBody', {
        terms: terms.map((w) => `“${w}”`).join(t('note.termJoiner')),
      })}
    />
  );
}
