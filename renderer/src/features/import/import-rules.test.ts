import { describe, expect, it } from 'vitest';
import type { ImportInspectOutput, ImportPreviewOutput } from '../../../../shared/api/import-contract';
import type { ImportReportWire } from '../../../../shared/import';
import { importBlocker, previewBlocker } from './import-rules';
import type { ImportFlowState } from './use-import-flow';

const REQUIRED = {
  loan_no: 'A',
  borrower_name: 'B',
  principal: 'C',
  disbursed_on: 'D',
  term_months: 'E',
  outstanding_principal: 'F',
  arrears_amount: 'G',
  days_past_due: 'H',
};

function state(over: Partial<ImportFlowState> = {}): ImportFlowState {
  return {
    step: 1,
    file: { path: '/tmp/a.csv', name: 'a.csv' },
    inspection: {} as ImportInspectOutput,
    readOverrides: {},
    inspecting: false,
    inspectError: null,
    mapping: { columns: { ...REQUIRED } },
    mappingOrigin: { kind: 'edited' },
    asOfDate: '2026-11-28',
    unknownOfficer: 'error',
    preview: null,
    full: false,
    validOnly: false,
    run: null,
    ...over,
  };
}

function previewed(report: Partial<ImportReportWire>, canImport = true): Partial<ImportFlowState> {
  const output = {
    previewId: 'p',
    canImport,
    sample: [],
    report: { validRows: 10, rejectedRows: 0, ...report } as ImportReportWire,
  } satisfies ImportPreviewOutput;
  return {
    preview: { runId: 'r', running: false, progress: null, output, error: null, cancelled: false },
  };
}

describe('previewBlocker', () => {
  it('lets a fully mapped file with a date be checked', () => {
    expect(previewBlocker(state())).toBeNull();
  });
  it('waits for a file, its reading, every required column and the as-of date', () => {
    expect(previewBlocker(state({ file: null, inspection: null }))).toBe('noFile');
    expect(previewBlocker(state({ inspecting: true }))).toBe('reading');
    const { loan_no: _dropped, ...withoutLoanNo } = REQUIRED;
    expect(previewBlocker(state({ mapping: { columns: withoutLoanNo } }))).toBe('missingRequired');
    expect(previewBlocker(state({ asOfDate: null }))).toBe('noAsOfDate');
  });
});

describe('importBlocker', () => {
  it('imports a clean preview', () => {
    expect(importBlocker(state(previewed({})))).toBeNull();
  });
  it('refuses a file with rejected rows unless the manager chose valid rows only', () => {
    expect(importBlocker(state(previewed({ rejectedRows: 2 })))).toBe('rejected');
    expect(importBlocker(state({ ...previewed({ rejectedRows: 2 }), validOnly: true }))).toBeNull();
  });
  it('refuses a file with file issues even with valid rows only', () => {
    expect(importBlocker(state({ ...previewed({ rejectedRows: 2 }, false), validOnly: true }))).toBe('notImportable');
  });
  it('waits while the preview runs', () => {
    expect(importBlocker(state())).toBe('previewing');
  });
});
