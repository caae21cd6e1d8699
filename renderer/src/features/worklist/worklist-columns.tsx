// The worklist's columns. Widths are set for 1366×768: fixed columns for short values,
// and the reason column takes what is left so the words rarely wrap past two lines.
import type { TableColumnsType } from 'antd';
import { Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { WorklistFacets, WorklistRow } from '../../../../shared/api/contract';
import { BucketTag } from '../../components/bucket-tag';
import { PromiseStatusTag } from '../../components/promise-status-tag';
import { ReasonLine } from '../../components/reason-line';
import { instantDate, money, relativeDate, shortDate, type FormatContext } from '../../i18n/format';

export interface ColumnOptions {
  t: TFunction;
  ctx: FormatContext;
  facets: WorklistFacets | undefined;
  /** Rank of the first row on this page, minus one. */
  offset: number;
}

export function worklistColumns({
  t,
  ctx,
  facets,
  offset,
}: ColumnOptions): TableColumnsType<WorklistRow> {
  const bucketByCode = new Map((facets?.buckets ?? []).map((b) => [b.code, b]));
  return [
    {
      key: 'rank',
      title: t('worklist.columns.rank'),
      width: 52,
      align: 'right',
      render: (_value, _row, index) => <span className="fb-num fb-rank">{offset + index + 1}</span>,
    },
    {
      key: 'borrower',
      title: t('worklist.columns.borrower'),
      width: 136,
      render: (_value, row) => (
        <div className="fb-cell-stack">
          <span className="fb-borrower-name" data-testid="borrower-name">
            {row.borrowerName}
          </span>
          <span className="fb-secondary fb-num">{row.loanNo}</span>
        </div>
      ),
    },
    {
      key: 'village',
      title: t('worklist.columns.village'),
      width: 120,
      render: (_value, row) => (
        <div className="fb-cell-stack">
          <span>{row.village}</span>
          <span className="fb-secondary">{row.township}</span>
        </div>
      ),
    },
    {
      key: 'dpd',
      title: t('worklist.columns.dpd'),
      width: 128,
      align: 'right',
      render: (_value, row) => (
        <div className="fb-dpd">
          <BucketTag
            code={row.bucket}
            range={bucketByCode.get(row.bucket)}
            daysPastDue={row.daysPastDue}
            ctx={ctx}
          />
          <span className="fb-num" data-testid="dpd">
            {t('worklist.dpdValue', { count: row.daysPastDue })}
          </span>
        </div>
      ),
    },
    {
      key: 'arrears',
      title: t('worklist.columns.arrears'),
      width: 124,
      align: 'right',
      render: (_value, row) => <span className="fb-num fb-money">{money(row.arrearsFen)}</span>,
    },
    {
      key: 'promise',
      title: t('worklist.columns.promise'),
      width: 144,
      render: (_value, row) =>
        row.promise ? (
          <div className="fb-cell-stack">
            <span className="fb-promise-line">
              <span className="fb-num">{shortDate(row.promise.dueDate, ctx)}</span>
              <PromiseStatusTag status={row.promise.status} />
            </span>
            <span className="fb-secondary fb-num">{money(row.promise.amountFen)}</span>
          </div>
        ) : (
          <span className="fb-secondary">{t('worklist.noPromise')}</span>
        ),
    },
    {
      key: 'lastContact',
      title: t('worklist.columns.lastContact'),
      width: 156,
      render: (_value, row) =>
        row.lastContact ? (
          <div className="fb-cell-stack">
            <span>
              {relativeDate(instantDate(row.lastContact.at, ctx), ctx)}
              {t('reason.separator')}
              {t(`channel.${row.lastContact.channel}`)}
            </span>
            <span className="fb-secondary">{t(`outcome.${row.lastContact.outcome}`)}</span>
          </div>
        ) : (
          <Typography.Text type="warning">{t('worklist.neverContacted')}</Typography.Text>
        ),
    },
    {
      key: 'reasons',
      title: t('worklist.columns.reasons'),
      render: (_value, row) => (
        <ReasonLine reasons={row.reasons} ctx={ctx} className="fb-reasons" testId="reasons" />
      ),
    },
  ];
}
