// Every fact on the case, newest first, each with when and who recorded it.
import { Empty, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../../../shared/api/contract';
import type { FactKind } from '../../../../shared/domain/types';
import { formatInstant, type FormatContext } from '../../i18n/format';
import { refusalText } from '../sync/sync-texts';
import { factDetails } from './fact-details';
import '../sync/sync.css';

const KIND_COLORS: Record<FactKind, string> = {
  contact: 'blue',
  promise: 'blue',
  payment: 'green',
  payment_reversal: 'red',
  plan_proposal: 'gray',
  plan_decision: 'gray',
  note: 'gray',
  reassignment: 'gray',
  flag_change: 'gray',
};

export function CaseTimeline({ entries, ctx }: { entries: TimelineEntry[]; ctx: FormatContext }) {
  const { t } = useTranslation();
  if (entries.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseFile.noTimeline')} />;
  const newestFirst = [...entries].sort((a, b) =>
    a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0,
  );
  return (
    <Timeline
      className="fb-timeline"
      data-testid="case-timeline"
      items={newestFirst.map((entry) => {
        const { summary, notes, reversed, override, notices, flaggedTerms } = factDetails(
          entry,
          ctx,
        );
        // Recorded here, refused by head office: shown with why, counted in no figure.
        const refusal = entry.refusal ? refusalText(entry.refusal.code, t) : null;
        return {
          key: entry.factId,
          color: entry.refusal ? 'gray' : KIND_COLORS[entry.kind],
          content: (
            <div className="fb-timeline-entry">
              <div className="fb-timeline-head">
                <span className="fb-timeline-kind">{t(`factKind.${entry.kind}`)}</span>
                {reversed && (
                  <Tag color="error" variant="filled">
                    {t('caseFile.reversed')}
                  </Tag>
                )}
                {entry.refusal && (
                  <Tag color="error" variant="filled" data-testid="timeline-refused">
                    {t('refusedFact.tag')}
                  </Tag>
                )}
                {override && (
                  <Tag color="volcano" variant="filled" data-testid="timeline-override">
                    {t('timeline.overridden')}
                  </Tag>
                )}
                {summary.length > 0 && (
                  <span className="fb-timeline-summary">
                    {summary.map((line) => (
                      <span key={line.key} className="fb-timeline-field">
                        {line.label && <span className="fb-secondary">{line.label}</span>}{' '}
                        {line.value}
                      </span>
                    ))}
                  </span>
                )}
              </div>
              {refusal && entry.refusal && (
                <div
                  className="fb-timeline-note fb-timeline-refusal"
                  data-testid="timeline-refusal"
                >
                  {entry.refusal.dismissed
                    ? t('refusedFact.dismissedLine', { reason: refusal.reason })
                    : t('refusedFact.line', { reason: refusal.reason, todo: refusal.todo })}
                </div>
              )}
              {notes.map((note, i) => (
                <div key={i} className="fb-timeline-note">
                  {note}
                </div>
              ))}
              {override && (
                <div className="fb-timeline-note fb-timeline-override">
                  {t('timeline.overrideLine', { rules: override.rules, reason: override.reason })}
                </div>
              )}
              {notices.map((n) => (
                <div key={n} className="fb-secondary fb-timeline-notice">
                  {n}
                </div>
              ))}
              {flaggedTerms.length > 0 && (
                <div className="fb-secondary fb-timeline-notice">
                  {t('timeline.flaggedTerms', { terms: flaggedTerms.join(t('note.termJoiner')) })}
                </div>
              )}
              <Typography.Text type="secondary" className="fb-timeline-meta">
                <span className="fb-num">{formatInstant(entry.occurredAt, ctx)}</span>
                {t('reason.separator')}
                {t('caseFile.recordedBy', { name: entry.recordedBy.name })}
              </Typography.Text>
            </div>
          ),
        };
      })}
    />
  );
}
