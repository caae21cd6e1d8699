// The reasons for a case's rank as one line of words. Each reason is kept whole when the
// line wraps (CJK text may otherwise break inside "8天未联系"); the text content is
// exactly formatReasons(), separators included.
import type { PriorityReason } from '../../../shared/domain/types';
import { formatReasons, reasonWords, type FormatContext } from '../i18n/format';

export interface ReasonLineProps {
  reasons: readonly PriorityReason[];
  ctx: FormatContext;
  className?: string;
  testId?: string;
}

export function ReasonLine({ reasons, ctx, className, testId }: ReasonLineProps) {
  const words = reasonWords(reasons, ctx);
  const separator = ctx.t('reason.separator');
  const glued = separator.trimEnd();
  const breakable = separator.slice(glued.length);
  return (
    <span className={className} data-testid={testId} title={formatReasons(reasons, ctx)}>
      {words.map((word, i) =>
        i < words.length - 1 ? (
          <span key={i}>
            <span className="fb-reason">
              {word}
              {glued}
            </span>
            {breakable}
          </span>
        ) : (
          <span key={i} className="fb-reason">
            {word}
          </span>
        ),
      )}
    </span>
  );
}
