// The dashboard's headline numbers, one card each: what the branch lends, what is late,
// PAR at three levels, the month's collection and promises, cures and rolls against the
// previous month end, cases left without contact, and overrides waiting for review.
// Every number is a link to the cases behind it.
import type { ReactNode } from 'react';
import { Tooltip } from 'antd';
import type { ManagerDashboard } from '../../../../shared/api/manager-contract';
import type { DashboardFigure } from '../../../../shared/domain/portfolio';
import type { ManagerScope } from '../../app/router';
import { money, shortDate, type FormatContext } from '../../i18n/format';
import { compactMoney, percent } from './figure-format';
import { FigureLink } from './figure-link';

interface KpiProps {
  title: ReactNode;
  testId: string;
  children: ReactNode;
  tone?: 'risk' | 'good';
}

function Kpi({ title, testId, children, tone }: KpiProps) {
  return (
    <section className={`fb-kpi${tone ? ` fb-kpi-${tone}` : ''}`} data-testid={testId}>
      <h3 className="fb-kpi-title">{title}</h3>
      {children}
    </section>
  );
}

export interface KpiCardsProps {
  data: ManagerDashboard;
  scope: ManagerScope;
  ctx: FormatContext;
}

export function KpiCards({ data, scope, ctx }: KpiCardsProps) {
  const { t, lang } = ctx;
  const d = data.dashboard;
  const link = (figure: DashboardFigure, children: ReactNode, testId?: string, big = false) => (
    <FigureLink
      figure={figure}
      scope={scope}
      className={big ? 'fb-kpi-value fb-num' : 'fb-num'}
      testId={testId}
    >
      {children}
    </FigureLink>
  );
  const amount = (fen: number) => (
    <Tooltip title={money(fen)}>
      <span>{compactMoney(fen, lang)}</span>
    </Tooltip>
  );
  const loans = (count: number) => t('manager.units.loans', { count });
  const firstRoll = d.rolls.rows[0];

  return (
    <div className="fb-kpi-grid" data-testid="kpi-cards">
      <Kpi title={t('manager.kpi.portfolio')} testId="kpi-portfolio">
        {link(
          { figure: 'portfolio' },
          amount(d.aging.totals.balanceFen),
          'kpi-portfolio-value',
          true,
        )}
        <div className="fb-kpi-sub">
          {link({ figure: 'portfolio' }, loans(d.aging.totals.count), 'kpi-portfolio-count')}
        </div>
      </Kpi>

      <Kpi title={t('manager.kpi.arrears')} testId="kpi-arrears" tone="risk">
        {link(
          { figure: 'arrears' },
          amount(d.arrears.overduePrincipalFen),
          'kpi-arrears-value',
          true,
        )}
        <div className="fb-kpi-sub">
          {t('manager.kpi.arrearsRate', { ratio: percent(d.arrears.ratio) })}
          <span className="fb-kpi-dot" />
          {link({ figure: 'arrears' }, loans(d.arrears.count), 'kpi-arrears-count')}
        </div>
      </Kpi>

      {d.par.levels.map((level) => {
        const days = level.days as 1 | 30 | 90;
        const figure: DashboardFigure = { figure: 'par', days };
        return (
          <Kpi
            key={days}
            title={
              <Tooltip title={t('manager.kpi.parHelp', { days })}>
                <span>{t('manager.kpi.par', { days })}</span>
              </Tooltip>
            }
            testId={`kpi-par${days}`}
            tone="risk"
          >
            {link(figure, percent(level.ratio), `kpi-par${days}-value`, true)}
            <div className="fb-kpi-sub">
              {link(figure, amount(level.riskFen), `kpi-par${days}-balance`)}
              <span className="fb-kpi-dot" />
              {link(figure, loans(level.count), `kpi-par${days}-count`)}
            </div>
            {level.restructuredRiskFen > 0 && (
              <div className="fb-kpi-sub fb-secondary">
                {t('manager.kpi.restructured', {
                  amount: compactMoney(level.restructuredRiskFen, lang),
                })}
              </div>
            )}
          </Kpi>
        );
      })}

      <Kpi title={t('manager.kpi.collection')} testId="kpi-collection" tone="good">
        {link(
          { figure: 'collection', group: 'due' },
          percent(d.collection.ratio),
          'kpi-collection-value',
          true,
        )}
        <div className="fb-kpi-sub">
          {t('manager.kpi.paidOfDue', {
            paid: compactMoney(d.collection.paidFen, lang),
            due: compactMoney(d.collection.dueFen, lang),
          })}
        </div>
        <div className="fb-kpi-sub">
          {link(
            { figure: 'collection', group: 'short' },
            t('manager.kpi.short', { count: d.collection.short.count }),
            'kpi-collection-short',
          )}
        </div>
      </Kpi>

      <Kpi title={t('manager.kpi.keptRate')} testId="kpi-promises" tone="good">
        <Tooltip
          title={t('manager.kpi.keptOfMatured', {
            kept: d.promises.keptRate.kept,
            matured: d.promises.keptRate.matured,
          })}
        >
          <span>
            {link(
              { figure: 'promises', group: 'matured' },
              percent(d.promises.keptRate.ratio),
              'kpi-kept-rate',
              true,
            )}
          </span>
        </Tooltip>
        <div className="fb-kpi-sub">
          {link(
            { figure: 'promises', group: 'made' },
            t('manager.kpi.made', { count: d.promises.made.count }),
            'kpi-promises-made',
          )}
          <span className="fb-kpi-dot" />
          {link(
            { figure: 'promises', group: 'kept' },
            t('manager.kpi.kept', { count: d.promises.kept.count }),
            'kpi-promises-kept',
          )}
          <span className="fb-kpi-dot" />
          {link(
            { figure: 'promises', group: 'broken' },
            t('manager.kpi.broken', { count: d.promises.broken.count }),
            'kpi-promises-broken',
          )}
        </div>
        <div className="fb-kpi-sub">
          {link(
            { figure: 'ptp', group: 'promised' },
            t('manager.kpi.ptp', { ratio: percent(d.ptpConversion.ratio) }),
            'kpi-ptp',
          )}
        </div>
      </Kpi>

      <Kpi
        title={t('manager.kpi.cureRate', { date: shortDate(data.rollFrom, ctx) })}
        testId="kpi-rolls"
      >
        {link({ figure: 'cured' }, percent(d.rolls.cureRate), 'kpi-cure-rate', true)}
        <div className="fb-kpi-sub">
          {link(
            { figure: 'cured' },
            t('manager.kpi.cured', { count: d.rolls.cured.count }),
            'kpi-cured',
          )}
        </div>
        {firstRoll && (
          <div className="fb-kpi-sub">
            {link(
              { figure: 'roll', bucket: firstRoll.code, outcome: 'rolledForward' },
              t('manager.kpi.rollRate', {
                from: firstRoll.code,
                to: d.rolls.rows[1]?.code ?? '',
                ratio: percent(firstRoll.rollRate),
              }),
              'kpi-roll-rate',
            )}
          </div>
        )}
      </Kpi>

      <Kpi title={t('manager.kpi.noContact')} testId="kpi-no-contact" tone="risk">
        <div className="fb-kpi-levels">
          {d.contactRecency.levels.map((level) => (
            <span key={level.days} className="fb-kpi-level">
              {link(
                { figure: 'noContact', days: level.days as 7 | 14 | 30 },
                level.count.toLocaleString(lang),
                `kpi-no-contact-${level.days}`,
                true,
              )}
              <span className="fb-secondary">{t('manager.kpi.days', { count: level.days })}</span>
            </span>
          ))}
        </div>
        <div className="fb-kpi-sub">
          {link(
            { figure: 'neverContacted' },
            t('manager.kpi.never', { count: d.contactRecency.never.count }),
            'kpi-never-contacted',
          )}
        </div>
      </Kpi>

      <Kpi title={t('manager.kpi.overrides')} testId="kpi-overrides">
        {link(
          { figure: 'overrides', group: 'toReview' },
          d.overrides.toReview.count.toLocaleString(lang),
          'kpi-overrides-to-review',
          true,
        )}
        <div className="fb-kpi-sub">
          {link(
            { figure: 'overrides', group: 'inPeriod' },
            t('manager.kpi.overridesInPeriod', { count: d.overrides.inPeriod.count }),
            'kpi-overrides-in-period',
          )}
        </div>
      </Kpi>
    </div>
  );
}
