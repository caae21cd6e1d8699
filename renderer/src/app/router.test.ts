import { describe, expect, it } from 'vitest';
import type { DashboardFigure } from '../../../shared/domain/portfolio';
import { parseRoute, routeHash, type Route } from './router';

const OFFICER = '016f5e66-e800-7267-b0a3-2005665237a3';

describe('parseRoute', () => {
  it('keeps the worklist and case addresses the officer screens use', () => {
    expect(parseRoute('')).toEqual({ screen: 'worklist' });
    expect(parseRoute('#/')).toEqual({ screen: 'worklist' });
    expect(parseRoute('#/nowhere')).toEqual({ screen: 'worklist' });
    expect(parseRoute('#/case/abc%2F1')).toEqual({ screen: 'case', caseId: 'abc/1' });
  });

  it('reads the dashboard date and officer, ignoring a date that is not one', () => {
    expect(parseRoute('#/manager')).toEqual({ screen: 'dashboard', asOf: null, officerId: null });
    expect(parseRoute(`#/manager?asOf=2026-10-31&officer=${OFFICER}`)).toEqual({
      screen: 'dashboard',
      asOf: '2026-10-31',
      officerId: OFFICER,
    });
    expect(parseRoute('#/manager/?asOf=2026-13-45')).toEqual({
      screen: 'dashboard',
      asOf: null,
      officerId: null,
    });
  });

  it('gives a null figure for a link whose figure the ledger would refuse', () => {
    const route = parseRoute(
      '#/manager/cases?figure=%7B%22figure%22%3A%22par%22%2C%22days%22%3A31%7D',
    );
    expect(route).toEqual({ screen: 'cases', figure: null, asOf: null, officerId: null });
    expect(parseRoute('#/manager/cases?figure=not-json')).toMatchObject({ figure: null });
    expect(parseRoute('#/manager/cases')).toMatchObject({ figure: null });
  });

  it('knows the plans, report and import screens', () => {
    expect(parseRoute('#/manager/plans')).toEqual({ screen: 'plans' });
    expect(parseRoute('#/manager/report?asOf=2026-11-28')).toEqual({
      screen: 'report',
      asOf: '2026-11-28',
    });
    expect(parseRoute('#/import')).toEqual({ screen: 'import' });
  });
});

describe('routeHash', () => {
  const figures: DashboardFigure[] = [
    { figure: 'par', days: 30 },
    { figure: 'aging', bucket: 'M4-6' },
    { figure: 'roll', bucket: 'M6+', outcome: 'rolledForward' },
    { figure: 'rollMatrix', fromBucket: 'M1', toBucket: 'M0' },
    { figure: 'officer', officerId: OFFICER, measure: 'keptRateBase' },
    { figure: 'promises', group: 'matured' },
    { figure: 'neverContacted' },
  ];
  it.each(figures)('round-trips the cases behind %j', (figure) => {
    const route: Route = { screen: 'cases', figure, asOf: '2026-11-28', officerId: OFFICER };
    expect(parseRoute(routeHash(route))).toEqual(route);
  });

  it('round-trips every screen, leaving out empty parameters', () => {
    const routes: Route[] = [
      { screen: 'worklist' },
      { screen: 'case', caseId: 'a b/c' },
      { screen: 'dashboard', asOf: null, officerId: null },
      { screen: 'dashboard', asOf: '2026-11-01', officerId: OFFICER },
      { screen: 'officers', asOf: '2026-11-28' },
      { screen: 'plans' },
      { screen: 'report', asOf: null },
      { screen: 'import' },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
    expect(routeHash({ screen: 'dashboard', asOf: null, officerId: null })).toBe('#/manager');
  });

  it('writes one figure as one address, whatever order its fields came in', () => {
    const a = routeHash({
      screen: 'cases',
      figure: { figure: 'aging', bucket: 'M1' },
      asOf: null,
      officerId: null,
    });
    const reordered = JSON.parse('{"bucket":"M1","figure":"aging"}') as DashboardFigure;
    const b = routeHash({ screen: 'cases', figure: reordered, asOf: null, officerId: null });
    expect(b).toBe(a);
  });
});
