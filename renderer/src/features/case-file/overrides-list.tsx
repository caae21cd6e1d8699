// Contacts made against a conduct rule with a written reason: shown to everyone who
// opens the case, and flagged for the manager.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OverrideView } from '../../../../shared/api/contract';
import { formatInstant, type FormatContext } from '../../i18n/format';
import { ruleCodeText } from '../contact/conduct-words';

export function OverridesList({
  overrides,
  ctx,
}: {
  overrides: OverrideView[];
  ctx: FormatContext;
}) {
  const { t } = useTranslation();
  return (
    <ul className="fb-overrides" data-testid="case-overrides">
      {overrides.map((o) => (
        <li key={o.factId}>
          <div className="fb-override-head">
            <Tag color="volcano" variant="filled">
              {t('overrides.forManager')}
            </Tag>
            <span>
              {o.ruleCodes.map((c) => ruleCodeText(c, ctx)).join(t('plans.reasonJoiner'))}
            </span>
          </div>
          <div className="fb-timeline-note">{o.reason}</div>
          <div className="fb-secondary">
            {formatInstant(o.at, ctx)}
            {t('reason.separator')}
            {t('caseFile.recordedBy', { name: o.by.name })}
          </div>
        </li>
      ))}
    </ul>
  );
}
