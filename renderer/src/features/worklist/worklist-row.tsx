// One worklist row as grid cells: rank, borrower, place, days late, arrears, promise,
// last contact, and why it ranks here in words. Rows have a fixed height so the virtual
// list can place 20,000 of them without measuring any.
import { memo } from 'react';
import { Checkbox } from 'antd';
import type { WorklistFacets, WorklistRow } from '../../../../shared/api/contract';
import { BucketTag } from '../../components/bucket-tag';
import { ReasonLine } from '../../components/reason-line';
import { money, type FormatContext } from '../../i18n/format';
import { LastContactCell, PromiseCell } from './row-cells';
import type { VillageGroup } from './worklist-layout';

export const ROW_HEIGHT = 60;
export const HEADER_HEIGHT = 36;

export const COLUMN_KEYS = [
  'rank',
  'borrower',
  'village',
  'dpd',
  'arrears',
  'promise',
  'lastContact',
  'reasons',
] as const;

export interface WorklistRowViewProps {
  row: WorklistRow;
  rank: number;
  active: boolean;
  ctx: FormatContext;
  buckets: WorklistFacets['buckets'] | undefined;
  onOpen: (rowIndex: number) => void;
  rowIndex: number;
  /** A manager picking cases to reassign: the rank cell becomes a tick box. */
  selectable?: boolean;
  selected?: boolean;
}

export const WorklistRowView = memo(function WorklistRowView({
  row,
  rank,
  active,
  ctx,
  buckets,
  onOpen,
  rowIndex,
  selectable = false,
  selected = false,
}: WorklistRowViewProps) {
  const { t } = ctx;
  const range = buckets?.find((b) => b.code === row.bucket);
  return (
    <div
      role="row"
      className={`fb-wl-row fb-wl-grid${active ? ' fb-row-active' : ''}`}
      data-testid="worklist-row"
      data-case-id={row.caseId}
      data-selected={selectable ? selected : undefined}
      aria-selected={active}
      aria-rowindex={rank}
      title={selectable ? undefined : t('worklist.openCase', { name: row.borrowerName })}
      onClick={() => onOpen(rowIndex)}
    >
      <div role="cell" className="fb-wl-cell fb-num fb-rank">
        {selectable ? (
          <Checkbox
            checked={selected}
            tabIndex={-1}
            className="fb-wl-tick"
            data-testid="worklist-tick"
            aria-label={row.borrowerName}
          />
        ) : (
          rank
        )}
      </div>
      <div role="cell" className="fb-wl-cell fb-cell-stack">
        <span className="fb-borrower-name" data-testid="borrower-name">
          {row.borrowerName}
        </span>
        <span className="fb-secondary fb-num">{row.loanNo}</span>
      </div>
      <div role="cell" className="fb-wl-cell fb-cell-stack">
        <span>{row.village}</span>
        <span className="fb-secondary">{row.township}</span>
      </div>
      <div role="cell" className="fb-wl-cell fb-dpd">
        <BucketTag code={row.bucket} range={range} daysPastDue={row.daysPastDue} ctx={ctx} />
        <span className="fb-num" data-testid="dpd">
          {t('worklist.dpdValue', { count: row.daysPastDue })}
        </span>
      </div>
      <div role="cell" className="fb-wl-cell fb-wl-right">
        <span className="fb-num fb-money">{money(row.arrearsFen)}</span>
      </div>
      <div role="cell" className="fb-wl-cell">
        <PromiseCell row={row} ctx={ctx} />
      </div>
      <div role="cell" className="fb-wl-cell">
        <LastContactCell row={row} ctx={ctx} />
      </div>
      <div role="cell" className="fb-wl-cell">
        <ReasonLine reasons={row.reasons} ctx={ctx} className="fb-reasons" testId="reasons" />
      </div>
    </div>
  );
});

/** A row whose data is still on its way: the same shape, in grey. */
export function PlaceholderRow({ rank }: { rank: number }) {
  return (
    <div role="row" className="fb-wl-row fb-wl-grid fb-wl-placeholder" aria-busy>
      <div role="cell" className="fb-wl-cell fb-num fb-rank">
        {rank}
      </div>
      {COLUMN_KEYS.slice(1).map((k) => (
        <div role="cell" key={k} className="fb-wl-cell">
          <span className="fb-skeleton-bar" />
        </div>
      ))}
    </div>
  );
}

export function GroupHeader({ group, ctx }: { group: VillageGroup; ctx: FormatContext }) {
  return (
    <div role="row" className="fb-wl-group" data-testid="village-header">
      <span className="fb-wl-group-village" data-testid="village-header-name">
        {group.village}
      </span>
      <span className="fb-secondary">{group.township}</span>
      <span className="fb-wl-group-count fb-num" data-testid="village-header-count">
        {ctx.t('worklist.groupCount', { count: group.count })}
      </span>
    </div>
  );
}
