// Cells a worklist row shares with every other list of cases (the manager's cases behind a
// number): the promise and the last contact, drawn the same way wherever a case is listed.
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { WorklistRow } from '../../../../shared/api/contract';
import { PromiseStatusTag } from '../../components/promise-status-tag';
import { instantDate, money, relativeDate, shortDate, type FormatContext } from '../../i18n/format';

export function PromiseCell({ row, ctx }: { row: WorklistRow; ctx: FormatContext }) {
  const { t } = useTranslation();
  if (!row.promise) return <span className="fb-secondary">{t('worklist.noPromise')}</span>;
  return (
    <div className="fb-cell-stack">
      <span className="fb-promise-line">
        <span className="fb-num">{shortDate(row.promise.dueDate, ctx)}</span>
        <PromiseStatusTag status={row.promise.status} />
      </span>
      <span className="fb-secondary fb-num">{money(row.promise.amountFen)}</span>
    </div>
  );
}

export function LastContactCell({ row, ctx }: { row: WorklistRow; ctx: FormatContext }) {
  const { t } = useTranslation();
  if (!row.lastContact) {
    return <Typography.Text type="warning">{t('worklist.neverContacted')}</Typography.Text>;
  }
  return (
    <div className="fb-cell-stack">
      <span>
        {relativeDate(instantDate(row.lastContact.at, ctx), ctx)}
        {t('reason.separator')}
        {t(`channel.${row.lastContact.channel}`)}
      </span>
      <span className="fb-secondary">{t(`outcome.${row.lastContact.outcome}`)}</span>
    </div>
  );
}
