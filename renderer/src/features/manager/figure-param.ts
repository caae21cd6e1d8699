// A dashboard number in the URL: the cases-behind screen is addressed as
// #/manager/cases?figure=<json>, so a reload, the back button or a link pasted into a
// note all land on the same list. The JSON is written with a fixed key order so one
// figure always gives one URL, and read back through the contract's own schema so a
// hand-edited or stale URL is refused rather than sent to the ledger.
import { dashboardFigureSchema } from '../../../../shared/api/manager-contract';
import type { DashboardFigure } from '../../../../shared/domain/portfolio';

/** The figure's fields in a fixed order: 'figure' first, then the rest by name. */
export function encodeFigure(figure: DashboardFigure): string {
  const entries = Object.entries(figure).sort(([a], [b]) =>
    a === 'figure' ? -1 : b === 'figure' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return JSON.stringify(Object.fromEntries(entries));
}

/** The figure a URL names, or null when the text is not a figure the ledger knows. */
export function decodeFigure(text: string | null): DashboardFigure | null {
  if (!text) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = dashboardFigureSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Same figure, whatever the key order. */
export function sameFigure(a: DashboardFigure, b: DashboardFigure): boolean {
  return encodeFigure(a) === encodeFigure(b);
}
