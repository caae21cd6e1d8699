// The report's tables: plain HTML, not antd, so they break across printed pages cleanly
// (a repeated header row on each page) and look the same on screen and on paper.
import type { DashboardSummary } from '../../../../shared/domain/portfolio';
import { bucketRangeLabel, type FormatContext } from '../../i18n/format';
import { bucketColorAt, type OfficerRow } from './report-charts';
import { count, decimal, percent, yuan } from './report-format';

export function AgingTable({ d, ctx }: { d: DashboardSummary; ctx: FormatContext }) {
  const { t } = ctx;
  const { buckets, totals } = d.aging;
  return (
    <table className="fb-report-table" data-testid="report-aging-table">
      <thead>
        <tr>
          <th>{t('report.aging.bucket')}</th>
          <th>{t('report.aging.days')}</th>
          <th className="fb-r">{t('report.aging.count')}</th>
          <th className="fb-r">{t('report.aging.countShare')}</th>
          <th className="fb-r">{t('report.aging.balance')}</th>
          <th className="fb-r">{t('report.aging.share')}</th>
        </tr>
      </thead>
      <tbody>
        {buckets.map((b, i) => (
          <tr key={b.code}>
            <td>
              <span className="fb-report-swatch" style={{ background: bucketColorAt(i) }} />
              {b.code}
            </td>
            <td>{bucketRangeLabel(b, ctx)}</td>
            <td className="fb-r">{count(b.count)}</td>
            <td className="fb-r">{percent(b.countShare, totals.count)}</td>
            <td className="fb-r">{yuan(b.balanceFen)}</td>
            <td className="fb-r">{percent(b.share, totals.balanceFen)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={2}>{t('report.total')}</td>
          <td className="fb-r">{count(totals.count)}</td>
          <td className="fb-r">{totals.count > 0 ? '100.0%' : '—'}</td>
          <td className="fb-r">{yuan(totals.balanceFen)}</td>
          <td className="fb-r">{totals.balanceFen > 0 ? '100.0%' : '—'}</td>
        </tr>
      </tfoot>
    </table>
  );
}

const ROLL_COLUMNS = [
  'cured',
  'improved',
  'stayed',
  'rolledForward',
  'rolledTwoPlus',
  'closed',
] as const;

export function RollTable({ d, ctx }: { d: DashboardSummary; ctx: FormatContext }) {
  const { t } = ctx;
  const rows = d.rolls.rows;
  return (
    <table className="fb-report-table" data-testid="report-roll-table">
      <thead>
        <tr>
          <th>{t('report.roll.from')}</th>
          <th className="fb-r">{t('report.roll.startCount')}</th>
          <th className="fb-r">{t('report.roll.startBalance')}</th>
          {ROLL_COLUMNS.map((c) => (
            <th key={c} className="fb-r">
              {t(`report.roll.${c}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.code}>
            <td>{r.code}</td>
            <td className="fb-r">{count(r.start.count)}</td>
            <td className="fb-r">{yuan(r.start.balanceFen)}</td>
            {ROLL_COLUMNS.map((c) => (
              <td
                key={c}
                className={`fb-r${c === 'rolledForward' || c === 'rolledTwoPlus' ? ' fb-report-bad' : ''}${c === 'cured' ? ' fb-report-good' : ''}`}
              >
                {r.start.count === 0 || (c === 'cured' && r === rows[0])
                  ? '—'
                  : percent(r.outcomes[c].rate)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={3}>{t('report.roll.newLoans')}</td>
          <td colSpan={ROLL_COLUMNS.length} className="fb-r">
            {t('report.roll.newLoansValue', {
              count: d.rolls.newLoans.count,
              balance: yuan(d.rolls.newLoans.balanceFen),
            })}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

export function OfficerTable({ rows, ctx }: { rows: OfficerRow[]; ctx: FormatContext }) {
  const { t } = ctx;
  const sum = (f: (r: OfficerRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const kept = sum((r) => r.keptRate.kept);
  const matured = sum((r) => r.keptRate.matured);
  return (
    <table className="fb-report-table fb-report-table-dense" data-testid="report-officer-table">
      <thead>
        <tr>
          <th>{t('report.officers.name')}</th>
          <th className="fb-r">{t('report.officers.caseload')}</th>
          <th className="fb-r">{t('report.officers.balance')}</th>
          <th className="fb-r">{t('report.officers.contacts')}</th>
          <th className="fb-r">{t('report.officers.perDay')}</th>
          <th className="fb-r">{t('report.officers.effective')}</th>
          <th className="fb-r">{t('report.officers.rightParty')}</th>
          <th className="fb-r">{t('report.officers.promises')}</th>
          <th className="fb-r">{t('report.officers.keptRate')}</th>
          <th className="fb-r">{t('report.officers.collected')}</th>
          <th className="fb-r">{t('report.officers.overrides')}</th>
          <th className="fb-r">{t('report.officers.untouched')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.officerId} data-testid="report-officer-row">
            <td>{r.name}</td>
            <td className="fb-r">{count(r.caseload.count)}</td>
            <td className="fb-r">{yuan(r.balanceFen)}</td>
            <td className="fb-r">{count(r.contacts.count)}</td>
            <td className="fb-r">{decimal(r.contactsPerDay)}</td>
            <td className="fb-r">{count(r.effectiveContacts.count)}</td>
            <td className="fb-r">{count(r.rightPartyContacts.count)}</td>
            <td className="fb-r">{count(r.promisesMade.count)}</td>
            <td className="fb-r">{percent(r.keptRate.ratio, r.keptRate.matured)}</td>
            <td className="fb-r">{yuan(r.collected.amountFen)}</td>
            <td className="fb-r">{count(r.overrides.count)}</td>
            <td className="fb-r">{count(r.untouched.count)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td>{t('report.officers.branch')}</td>
          <td className="fb-r">{count(sum((r) => r.caseload.count))}</td>
          <td className="fb-r">{yuan(sum((r) => r.balanceFen))}</td>
          <td className="fb-r">{count(sum((r) => r.contacts.count))}</td>
          <td className="fb-r">{decimal(sum((r) => r.contactsPerDay))}</td>
          <td className="fb-r">{count(sum((r) => r.effectiveContacts.count))}</td>
          <td className="fb-r">{count(sum((r) => r.rightPartyContacts.count))}</td>
          <td className="fb-r">{count(sum((r) => r.promisesMade.count))}</td>
          <td className="fb-r">{percent(matured === 0 ? 0 : kept / matured, matured)}</td>
          <td className="fb-r">{yuan(sum((r) => r.collected.amountFen))}</td>
          <td className="fb-r">{count(sum((r) => r.overrides.count))}</td>
          <td className="fb-r">{count(sum((r) => r.untouched.count))}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** Promises of the month by outcome, with the kept rate and PTP conversion under them. */
export function PromiseTable({ d, ctx }: { d: DashboardSummary; ctx: FormatContext }) {
  const { t } = ctx;
  const p = d.promises;
  const groups = ['made', 'fallingDue', 'kept', 'partlyKept', 'broken', 'pending'] as const;
  return (
    <div>
      <table className="fb-report-table" data-testid="report-promise-table">
        <thead>
          <tr>
            <th>{t('report.promises.title')}</th>
            <th className="fb-r">{t('report.aging.count')}</th>
            <th className="fb-r">{t('report.promises.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g}>
              <td>{t(`report.promises.${g}`)}</td>
              <td className="fb-r">{count(p[g].count)}</td>
              <td className="fb-r">{yuan(p[g].amountFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="fb-report-line">
        <strong>{t('report.promises.keptRate')}</strong>{' '}
        {percent(p.keptRate.ratio, p.keptRate.matured)}
        <span className="fb-report-aside">
          {t('report.ofMatured', {
            kept: count(p.keptRate.kept),
            matured: count(p.keptRate.matured),
          })}
        </span>
      </p>
      <p className="fb-report-line">
        <strong>{t('report.promises.ptp')}</strong>{' '}
        {percent(d.ptpConversion.ratio, d.ptpConversion.effective.count)}
        <span className="fb-report-aside">
          {t('report.ofEffective', {
            promised: count(d.ptpConversion.promised.count),
            effective: count(d.ptpConversion.effective.count),
          })}
        </span>
      </p>
    </div>
  );
}

/** Open cases by how long since the last contact. */
export function ContactTable({ d, ctx }: { d: DashboardSummary; ctx: FormatContext }) {
  const { t } = ctx;
  const c = d.contactRecency;
  const share = (n: number) => percent(c.open === 0 ? 0 : n / c.open, c.open);
  return (
    <table className="fb-report-table" data-testid="report-contact-table">
      <thead>
        <tr>
          <th>{t('report.contacts.title')}</th>
          <th className="fb-r">{t('report.contacts.cases')}</th>
          <th className="fb-r">{t('report.contacts.share')}</th>
        </tr>
      </thead>
      <tbody>
        {c.levels.map((l) => (
          <tr key={l.days}>
            <td>{t('report.contacts.noContact', { count: l.days })}</td>
            <td className="fb-r">{count(l.count)}</td>
            <td className="fb-r">{share(l.count)}</td>
          </tr>
        ))}
        <tr>
          <td>{t('report.contacts.never')}</td>
          <td className="fb-r">{count(c.never.count)}</td>
          <td className="fb-r">{share(c.never.count)}</td>
        </tr>
      </tbody>
      <tfoot>
        <tr>
          <td>{t('report.contacts.open')}</td>
          <td className="fb-r">{count(c.open)}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}
