// The report itself, laid out for A4 portrait (186 mm between the print margins): the
// header, the key figures, then one section per subject, each kept whole on a page.
import { memo, useCallback, useMemo, useRef, type ReactNode } from 'react';
import type { UserSummary } from '../../../../shared/api/contract';
import type { ManagerDashboard } from '../../../../shared/api/manager-contract';
import { formatInstant, longDate, type FormatContext } from '../../i18n/format';
import { ReportChart } from './report-chart';
import {
  agingChart,
  officerRows,
  officersChart,
  parChart,
  promisesChart,
  rollChart,
} from './report-charts';
import { count, percent, yuan } from './report-format';
import { AgingTable, ContactTable, OfficerTable, PromiseTable, RollTable } from './report-tables';

/** Charts on the sheet: "Save as PDF" waits until this many have drawn. */
export const REPORT_CHART_COUNT = 5;

/** Sheet width between the margins in CSS pixels (186 mm at 96 dpi). */
const SHEET_PX = 700;

export interface ReportSheetProps {
  data: ManagerDashboard;
  ctx: FormatContext;
  branchName: string;
  preparedBy: UserSummary;
  ready: boolean;
  onChartsDrawn: (n: number) => void;
}

export const ReportSheet = memo(function ReportSheet({
  data,
  ctx,
  branchName,
  preparedBy,
  ready,
  onChartsDrawn,
}: ReportSheetProps) {
  const { t } = ctx;
  const d = data.dashboard;
  const drawnCharts = useRef(new Set<string>());
  const onDrawn = useCallback(
    (id: string) => {
      drawnCharts.current.add(id);
      onChartsDrawn(drawnCharts.current.size);
    },
    [onChartsDrawn],
  );
  const charts = useMemo(
    () => ({
      aging: agingChart(d, ctx),
      par: parChart(d, t),
      promises: promisesChart(d, t),
      roll: rollChart(d, t),
      officers: officersChart(d, data.officers, t),
    }),
    [d, ctx, t, data.officers],
  );
  const officers = useMemo(() => officerRows(d, data.officers), [d, data.officers]);
  const generatedAt = useMemo(() => new Date().toISOString(), []);

  return (
    <div
      className="fb-report-sheet"
      data-testid="report-sheet"
      data-charts-ready={ready ? 'true' : 'false'}
    >
      <header className="fb-report-head">
        <div className="fb-report-head-main">
          <div className="fb-report-kind">{t('report.title')}</div>
          <h1 className="fb-report-branch" data-testid="report-branch">
            {branchName}
          </h1>
        </div>
        <dl className="fb-report-meta">
          <dt>{t('report.asOf')}</dt>
          <dd data-testid="report-as-of">{longDate(data.asOf, ctx)}</dd>
          <dt>{t('report.period')}</dt>
          <dd>
            {t('report.periodValue', {
              from: longDate(data.period.from, ctx),
              to: longDate(data.period.to, ctx),
            })}
          </dd>
          <dt>{t('report.preparedBy')}</dt>
          <dd>
            {preparedBy.name}
            {t('reason.separator')}
            {formatInstant(generatedAt, ctx)}
          </dd>
        </dl>
      </header>

      <section className="fb-report-kpis" data-testid="report-kpis">
        <Kpi
          label={t('report.kpi.portfolio')}
          value={yuan(d.aging.totals.balanceFen)}
          note={t('report.kpi.loans', {
            count: d.aging.totals.count,
            value: count(d.aging.totals.count),
          })}
          testId="kpi-portfolio"
        />
        {d.par.levels.map((l) => (
          <Kpi
            key={l.days}
            label={`PAR${l.days}`}
            value={percent(l.ratio, l.grossFen)}
            note={yuan(l.riskFen)}
            testId={`kpi-par${l.days}`}
            tone={l.days >= 30 ? 'bad' : undefined}
          />
        ))}
        <Kpi
          label={t('report.kpi.arrearsRate')}
          value={percent(d.arrears.ratio, d.arrears.outstandingPrincipalFen)}
          note={yuan(d.arrears.overduePrincipalFen)}
          testId="kpi-arrears"
        />
        <Kpi
          label={t('report.kpi.collection')}
          value={percent(d.collection.ratio, d.collection.dueFen)}
          note={t('report.kpi.collectionNote', {
            paid: yuan(d.collection.paidFen),
            due: yuan(d.collection.dueFen),
          })}
          testId="kpi-collection"
        />
        <Kpi
          label={t('report.kpi.keptRate')}
          value={percent(d.promises.keptRate.ratio, d.promises.keptRate.matured)}
          note={t('report.ofMatured', {
            kept: count(d.promises.keptRate.kept),
            matured: count(d.promises.keptRate.matured),
          })}
          testId="kpi-kept-rate"
        />
        <Kpi
          label={t('report.kpi.cureRate')}
          value={percent(d.rolls.cureRate, d.rolls.delinquentAtStart.count)}
          note={t('report.kpi.cured', { count: d.rolls.cured.count })}
          testId="kpi-cure-rate"
          tone="good"
        />
        <Kpi
          label={t('report.kpi.noContact30')}
          value={count(d.contactRecency.noContact30.count)}
          note={t('report.kpi.never', { count: d.contactRecency.never.count })}
          testId="kpi-no-contact"
        />
        <Kpi
          label={t('report.kpi.overrides')}
          value={count(d.overrides.toReview.count)}
          note={t('report.kpi.overridesInPeriod', { count: d.overrides.inPeriod.count })}
          testId="kpi-overrides"
        />
      </section>

      <Section title={t('report.sections.portfolio')} testId="report-portfolio">
        <div className="fb-report-charts">
          <Figure caption={t('report.chart.aging')}>
            <ReportChart
              option={charts.aging}
              width={400}
              height={210}
              testId="chart-aging"
              onDrawn={onDrawn}
            />
          </Figure>
          <Figure caption={t('report.chart.par')}>
            <ReportChart
              option={charts.par}
              width={SHEET_PX - 400 - 16}
              height={210}
              testId="chart-par"
              onDrawn={onDrawn}
            />
          </Figure>
        </div>
        <AgingTable d={d} ctx={ctx} />
        <p className="fb-report-note">{t('report.parNote')}</p>
      </Section>

      <Section title={t('report.sections.promises')} testId="report-promises">
        <div className="fb-report-split">
          <Figure caption={t('report.chart.promises')}>
            <ReportChart
              option={charts.promises}
              width={200}
              height={170}
              testId="chart-promises"
              onDrawn={onDrawn}
            />
          </Figure>
          <PromiseTable d={d} ctx={ctx} />
          <ContactTable d={d} ctx={ctx} />
        </div>
      </Section>

      <Section
        title={t('report.sections.rolls', {
          from: longDate(data.rollFrom, ctx),
          to: longDate(data.asOf, ctx),
        })}
        testId="report-rolls"
      >
        <Figure caption={t(`report.chart.roll.${d.rolls.by}`)}>
          <ReportChart
            option={charts.roll}
            width={SHEET_PX}
            height={150}
            testId="chart-roll"
            onDrawn={onDrawn}
          />
        </Figure>
        <RollTable d={d} ctx={ctx} />
      </Section>

      <Section title={t('report.sections.officers')} testId="report-officers">
        <Figure caption={t('report.chart.officers')}>
          <ReportChart
            option={charts.officers}
            width={SHEET_PX}
            height={150}
            testId="chart-officers"
            onDrawn={onDrawn}
          />
        </Figure>
        <OfficerTable rows={officers} ctx={ctx} />
      </Section>

      <Section title={t('report.sections.overrides')} testId="report-overrides">
        <p className="fb-report-line">
          {t('report.overridesLine', {
            inPeriod: d.overrides.inPeriod.count,
            toReview: d.overrides.toReview.count,
          })}
        </p>
        {d.overrides.byRule.length > 0 && (
          <ul className="fb-report-rules">
            {d.overrides.byRule.map((r) => (
              <li key={r.ruleCode}>
                <span>{t(`conduct.rule.${r.ruleCode}`, { defaultValue: r.ruleCode })}</span>
                <span className="fb-num">{count(r.count)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <footer className="fb-report-footer">
        {t('report.footer', { branch: branchName, date: longDate(data.asOf, ctx) })}
      </footer>
    </div>
  );
});

function Kpi({
  label,
  value,
  note,
  testId,
  tone,
}: {
  label: string;
  value: string;
  note: string;
  testId: string;
  tone?: 'good' | 'bad' | undefined;
}) {
  return (
    <div className={`fb-report-kpi${tone ? ` fb-report-kpi-${tone}` : ''}`} data-testid={testId}>
      <div className="fb-report-kpi-label">{label}</div>
      <div className="fb-report-kpi-value">{value}</div>
      <div className="fb-report-kpi-note">{note}</div>
    </div>
  );
}

function Section({
  title,
  testId,
  children,
}: {
  title: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <section className="fb-report-section" data-testid={testId}>
      <h2 className="fb-report-h2">{title}</h2>
      {children}
    </section>
  );
}

function Figure({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <figure className="fb-report-figure">
      <figcaption>{caption}</figcaption>
      {children}
    </figure>
  );
}
