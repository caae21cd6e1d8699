// Performance marks the benchmark (bench/renderer-worklist.ts) reads from the page:
// how long from the worklist data arriving to its rows being committed, and from the
// officer's submit click to the contact confirmation on screen. Marks cost nothing when
// nobody reads them; each measure is kept so a bench can collect every sample.
export const PERF = {
  worklistData: 'fb:worklist:data',
  worklistRendered: 'fb:worklist:rendered',
  /** Measure: worklist.list answer arrived → rows committed. */
  worklistFirstPage: 'fb:worklist:first-page',
  contactSubmit: 'fb:contact:submit',
  contactConfirmed: 'fb:contact:confirmed',
  /** Measure: submit click → confirmation shown. */
  contactLogged: 'fb:contact:logged',
} as const;

export function mark(name: string): void {
  performance.mark(name);
}

/** Measures from the latest `startMark` to now (ending at `endMark`), then clears both marks. */
export function measureSince(measureName: string, startMark: string, endMark: string): void {
  if (performance.getEntriesByName(startMark, 'mark').length === 0) return;
  performance.mark(endMark);
  performance.measure(measureName, startMark, endMark);
  performance.clearMarks(startMark);
  performance.clearMarks(endMark);
}
