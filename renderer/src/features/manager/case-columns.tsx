// The columns of a manager's case list: the worklist's cells (borrower, place, days late,
// arrears, promise, last contact, reasons) plus the officer and the outstanding balance a
// manager weighs when moving cases.
import type { TableColumnsType } from 'antd';
import type { WorklistFacets, WorklistRow } from '../../../../shared/api/contract';
import { BucketTag } from '../../components/bucket-tag';
import { ReasonLine } from '../../components/reason-line';
import { LastContactCell, PromiseCell } from '../worklist/row-cells';
import { money, type FormatContext } from '../../i18n/format';

export function caseColumns(
  ctx: FormatContext,
  buckets: WorklistFacets['buckets'] | undefined,
): TableColumnsType<WorklistRow> {
  const { t } = ctx;
  return [
    {
      key: 'borrower',
      title: t('manager.cases.columns.borrower'),
      width: 128,
      render: (_, row) => (
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
      title: t('manager.cases.columns.village'),
      width: 104,
      render: (_, row) => (
        <div className="fb-cell-stack">
          <span>{row.village}</span>
          <span className="fb-secondary">{row.township}</span>
        </div>
      ),
    },
    {
      key: 'officer',
      title: t('manager.cases.columns.officer'),
      width: 80,
      render: (_, row) => <span data-testid="case-officer">{row.officer.name}</span>,
    },
    {
      key: 'dpd',
      title: t('manager.cases.columns.dpd'),
      width: 112,
      render: (_, row) => (
        <div className="fb-dpd">
          <BucketTag
            code={row.bucket}
            range={buckets?.find((b) => b.code === row.bucket)}
            daysPastDue={row.daysPastDue}
            ctx={ctx}
          />
          <span className="fb-num">{t('worklist.dpdValue', { count: row.daysPastDue })}</span>
        </div>
      ),
    },
    {
      key: 'arrears',
      title: t('manager.cases.columns.arrears'),
      width: 112,
      align: 'right',
      render: (_, row) => <span className="fb-num fb-money">{money(row.arrearsFen)}</span>,
    },
    {
      key: 'outstanding',
      title: t('manager.cases.columns.outstanding'),
      width: 120,
      align: 'right',
      render: (_, row) => <span className="fb-num">{money(row.outstandingFen)}</span>,
    },
    {
      key: 'promise',
      title: t('manager.cases.columns.promise'),
      width: 150,
      render: (_, row) => <PromiseCell row={row} ctx={ctx} />,
    },
    {
      key: 'lastContact',
      title: t('manager.cases.columns.lastContact'),
      width: 124,
      render: (_, row) => <LastContactCell row={row} ctx={ctx} />,
    },
    {
      key: 'reasons',
      title: t('manager.cases.columns.reasons'),
      render: (_, row) => (
        <ReasonLine reasons={row.reasons} ctx={ctx} className="fb-reasons fb-mgr-reasons" />
      ),
    },
  ];
}
