// The import's four steps as one piece of state: the file and how it is read, the mapping,
// the preview (validation of every row, nothing written) and the run. Changing anything a
// preview depends on throws the preview away, so what is imported is always what was shown.
import { useCallback, useEffect, useRef, useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import type {
  ColumnMappingInput,
  ImportInspectOutput,
  ImportPreviewOutput,
  ImportProgressOutput,
  ImportRunOutput,
  ReadOptionsInput,
} from '../../../../shared/api/import-contract';
import type { IsoDate } from '../../../../shared/domain/types';
import { missingRequiredFields } from '../../../../shared/import';
import { ERROR_CODES, type ErrorCode } from '../../../../shared/errors';
import { ApiError, asApiError, invoke } from '../../api/client';
import { isCancelledError } from './import-texts';
import { callWithProgress, PROGRESS_POLL_MS } from './long-call';

export type ImportStep = 0 | 1 | 2 | 3;
export type UnknownOfficerMode = 'error' | 'warning';

export interface ChosenFile {
  path: string;
  name: string;
}

/** Where the mapping on screen came from, said above the mapping table. */
export type MappingOrigin =
  | { kind: 'saved'; sourceSystem: string }
  | { kind: 'suggested'; recognised: number }
  | { kind: 'edited' };

export interface PreviewState {
  runId: string;
  running: boolean;
  progress: ImportProgressOutput | null;
  output: ImportPreviewOutput | null;
  error: ApiError | null;
  cancelled: boolean;
}

export interface RunState {
  runId: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  progress: ImportProgressOutput | null;
  result: ImportRunOutput | null;
  error: ApiError | null;
  cancelling: boolean;
}

export interface ImportFlowState {
  step: ImportStep;
  file: ChosenFile | null;
  inspection: ImportInspectOutput | null;
  /** Reading settings the user chose over detection (pinned when a mapping is saved). */
  readOverrides: ReadOptionsInput;
  inspecting: boolean;
  inspectError: ApiError | null;
  mapping: ColumnMappingInput;
  mappingOrigin: MappingOrigin | null;
  asOfDate: IsoDate | null;
  unknownOfficer: UnknownOfficerMode;
  preview: PreviewState | null;
  /** Close the active loans the file does not list. */
  full: boolean;
  /** Import the valid rows when some are rejected. */
  validOnly: boolean;
  run: RunState | null;
}

const INITIAL: ImportFlowState = {
  step: 0,
  file: null,
  inspection: null,
  readOverrides: {},
  inspecting: false,
  inspectError: null,
  mapping: { columns: {}, splitAddress: true },
  mappingOrigin: null,
  asOfDate: null,
  unknownOfficer: 'error',
  preview: null,
  full: false,
  validOnly: false,
  run: null,
};

export interface ImportFlow {
  state: ImportFlowState;
  goTo: (step: ImportStep) => void;
  /** Inspects a file the user picked (resets everything after step 1). */
  openFile: (file: ChosenFile) => Promise<void>;
  setReadOption: <K extends keyof ReadOptionsInput>(key: K, value: ReadOptionsInput[K]) => Promise<void>;
  setMapping: (mapping: ColumnMappingInput) => void;
  markMappingSaved: (sourceSystem: string) => void;
  setAsOfDate: (date: IsoDate | null) => void;
  setUnknownOfficer: (mode: UnknownOfficerMode) => void;
  setFull: (full: boolean) => void;
  setValidOnly: (validOnly: boolean) => void;
  /** Validates every row; moves to the preview step at once and fills it when done. */
  startPreview: (override?: { unknownOfficer?: UnknownOfficerMode }) => Promise<void>;
  startRun: () => Promise<ImportRunOutput | null>;
  /** Cancels the preview or run in flight; a run rolls back entirely. */
  cancel: () => Promise<void>;
  reset: () => void;
}

function toErrorCode(code: string | undefined): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code ?? '') ? (code as ErrorCode) : 'internal';
}

/**
 * The run in flight, kept beyond the page: a manager who opens the worklist while a big file
 * imports and comes back finds its progress and its cancel button again, not step 1.
 */
let runInFlight: { runId: string; file: ChosenFile | null } | null = null;

function stateForRunInFlight(): ImportFlowState {
  if (!runInFlight) return INITIAL;
  return {
    ...INITIAL,
    file: runInFlight.file,
    step: 3,
    run: {
      runId: runInFlight.runId,
      state: 'running',
      progress: null,
      result: null,
      error: null,
      cancelling: false,
    },
  };
}

/** Everything the preview depends on has changed: drop it and any finished run. */
function withoutPreview(s: ImportFlowState): ImportFlowState {
  return { ...s, preview: null, run: null, validOnly: false, step: s.step > 1 ? 1 : s.step };
}

export function useImportFlow(defaultAsOfDate: IsoDate): ImportFlow {
  const [state, setState] = useState<ImportFlowState>(stateForRunInFlight);
  // The latest state for async callbacks (they outlive the render that made them).
  const latest = useRef(state);
  latest.current = state;
  const update = useCallback((change: (s: ImportFlowState) => ImportFlowState) => {
    setState((s) => {
      const next = change(s);
      latest.current = next;
      return next;
    });
  }, []);
  // The run this page started (and follows through its own call), as opposed to one it adopted.
  const startedHere = useRef<string | null>(null);
  // Each inspection has a number: an answer to an older one (overrides changed quickly) is dropped.
  const inspectSeq = useRef(0);

  const inspect = useCallback(
    async (file: ChosenFile, overrides: ReadOptionsInput, keepMapping: boolean) => {
      const seq = ++inspectSeq.current;
      update((s) => ({ ...withoutPreview(s), file, readOverrides: overrides, inspecting: true, inspectError: null }));
      try {
        const hasOverrides = Object.keys(overrides).length > 0;
        const inspection = await invoke('import.inspect', {
          file: file.path,
          ...(hasOverrides ? { readOptions: overrides } : {}),
        });
        if (seq !== inspectSeq.current) return;
        update((s) => {
          // A reading change keeps the user's edits when the columns are still there.
          const headers = new Set(inspection.meta.headers);
          const keep =
            keepMapping &&
            s.mappingOrigin?.kind === 'edited' &&
            Object.values(s.mapping.columns).every((h) => h === undefined || headers.has(h));
          return {
            ...s,
            inspection,
            inspecting: false,
            mapping: keep ? s.mapping : inspection.mapping,
            mappingOrigin: keep
              ? s.mappingOrigin
              : inspection.savedMappingSource
                ? { kind: 'saved', sourceSystem: inspection.savedMappingSource }
                : { kind: 'suggested', recognised: inspection.suggestion.matches.length },
            asOfDate: keepMapping && s.asOfDate ? s.asOfDate : (inspection.suggestedAsOfDate ?? defaultAsOfDate),
          };
        });
      } catch (err) {
        if (seq !== inspectSeq.current) return;
        update((s) => ({ ...s, inspecting: false, inspectError: asApiError('import.inspect', err) }));
      }
    },
    [update, defaultAsOfDate],
  );

  const openFile = useCallback(
    async (file: ChosenFile) => {
      update(() => ({ ...INITIAL, file }));
      await inspect(file, {}, false);
    },
    [inspect, update],
  );

  const setReadOption = useCallback(
    async <K extends keyof ReadOptionsInput>(key: K, value: ReadOptionsInput[K]) => {
      const s = latest.current;
      if (!s.file) return;
      const overrides: ReadOptionsInput = { ...s.readOverrides };
      if (value === undefined) delete overrides[key];
      else overrides[key] = value;
      // A different sheet or encoding can move the header row: let detection find it again.
      if (key === 'sheet' || key === 'encoding') delete overrides.headerRow;
      await inspect(s.file, overrides, true);
    },
    [inspect],
  );

  const setMapping = useCallback(
    (mapping: ColumnMappingInput) =>
      update((s) => ({ ...withoutPreview(s), mapping, mappingOrigin: { kind: 'edited' } })),
    [update],
  );
  const markMappingSaved = useCallback(
    (sourceSystem: string) => update((s) => ({ ...s, mappingOrigin: { kind: 'saved', sourceSystem } })),
    [update],
  );
  const setAsOfDate = useCallback(
    (asOfDate: IsoDate | null) => update((s) => ({ ...withoutPreview(s), asOfDate })),
    [update],
  );
  const setUnknownOfficer = useCallback(
    (unknownOfficer: UnknownOfficerMode) => update((s) => ({ ...withoutPreview(s), unknownOfficer })),
    [update],
  );
  const setFull = useCallback((full: boolean) => update((s) => ({ ...s, full })), [update]);
  const setValidOnly = useCallback((validOnly: boolean) => update((s) => ({ ...s, validOnly })), [update]);
  const goTo = useCallback((step: ImportStep) => update((s) => ({ ...s, step })), [update]);

  const startPreview = useCallback(
    async (override: { unknownOfficer?: UnknownOfficerMode } = {}) => {
      const s = latest.current;
      if (!s.file || !s.inspection || !s.asOfDate) return;
      if (s.preview?.running || s.run?.state === 'running') return;
      if (missingRequiredFields(s.mapping).length > 0) return;
      const unknownOfficer = override.unknownOfficer ?? s.unknownOfficer;
      const runId = uuidv7();
      const fresh: PreviewState = {
        runId,
        running: true,
        progress: null,
        output: null,
        error: null,
        cancelled: false,
      };
      update((x) => ({ ...x, unknownOfficer, step: 2, preview: fresh, run: null, validOnly: false }));
      const patchPreview = (change: (p: PreviewState) => PreviewState) =>
        update((x) => (x.preview?.runId === runId ? { ...x, preview: change(x.preview) } : x));
      try {
        const output = await callWithProgress(
          runId,
          () =>
            invoke('import.preview', {
              runId,
              file: s.file?.path ?? '',
              mapping: s.mapping,
              asOfDate: s.asOfDate ?? defaultAsOfDate,
              readOptions: s.inspection?.readOptions ?? {},
              unknownOfficer,
            }),
          (progress) => patchPreview((p) => ({ ...p, progress })),
        );
        patchPreview((p) => ({ ...p, running: false, output }));
      } catch (err) {
        const error = asApiError('import.preview', err);
        patchPreview((p) => ({ ...p, running: false, error, cancelled: isCancelledError(error) }));
      }
    },
    [update, defaultAsOfDate],
  );

  const startRun = useCallback(async () => {
    const s = latest.current;
    const previewId = s.preview?.output?.previewId;
    if (!previewId || s.run?.state === 'running') return null;
    const runId = uuidv7();
    runInFlight = { runId, file: s.file };
    startedHere.current = runId;
    update((x) => ({
      ...x,
      step: 3,
      run: { runId, state: 'running', progress: null, result: null, error: null, cancelling: false },
    }));
    const patchRun = (change: (r: RunState) => RunState) =>
      update((x) => (x.run?.runId === runId ? { ...x, run: change(x.run) } : x));
    try {
      const result = await callWithProgress(
        runId,
        () => invoke('import.run', { runId, previewId, full: s.full, validOnly: s.validOnly }),
        (progress) => patchRun((r) => ({ ...r, progress })),
      );
      patchRun((r) => ({ ...r, state: 'done', result, cancelling: false }));
      return result;
    } catch (err) {
      const error = asApiError('import.run', err);
      patchRun((r) => ({
        ...r,
        state: isCancelledError(error) ? 'cancelled' : 'failed',
        error,
        cancelling: false,
      }));
      return null;
    } finally {
      if (runInFlight?.runId === runId) runInFlight = null;
    }
  }, [update]);

  // A run started before this page was last left: follow it by polling until it ends.
  const adoptedRunId = state.run?.state === 'running' && runInFlight?.runId === state.run.runId ? state.run.runId : null;
  useEffect(() => {
    if (!adoptedRunId || startedHere.current === adoptedRunId) return;
    let stopped = false;
    const follow = async () => {
      while (!stopped) {
        await new Promise((resolve) => setTimeout(resolve, PROGRESS_POLL_MS));
        if (stopped) return;
        let progress;
        try {
          progress = await invoke('import.progress', { runId: adoptedRunId });
        } catch {
          continue;
        }
        if (stopped || progress.stage !== 'run') {
          if (progress.stage === 'unknown') {
            // The ledger no longer knows the run (restarted): nothing is running.
            if (runInFlight?.runId === adoptedRunId) runInFlight = null;
            update(() => INITIAL);
          }
          return;
        }
        const p = progress;
        update((x) => {
          if (x.run?.runId !== adoptedRunId) return x;
          if (p.state === 'running') return { ...x, run: { ...x.run, progress: p } };
          return {
            ...x,
            run: {
              ...x.run,
              progress: p,
              state: p.state === 'done' ? 'done' : p.state,
              result: p.result ?? null,
              error:
                p.state === 'failed'
                  ? new ApiError('import.run', toErrorCode(p.errorCode), p.errorCode ?? 'failed')
                  : null,
              cancelling: false,
            },
          };
        });
        if (p.state !== 'running') {
          if (runInFlight?.runId === adoptedRunId) runInFlight = null;
          return;
        }
      }
    };
    void follow();
    return () => {
      stopped = true;
    };
  }, [adoptedRunId, update]);

  const cancel = useCallback(async () => {
    const s = latest.current;
    const runId =
      s.run?.state === 'running' ? s.run.runId : s.preview?.running ? s.preview.runId : null;
    if (!runId) return;
    if (s.run?.runId === runId) update((x) => (x.run ? { ...x, run: { ...x.run, cancelling: true } } : x));
    try {
      await invoke('import.cancel', { runId });
    } catch {
      // The call in flight still answers (done or cancelled); the screen follows that answer.
    }
  }, [update]);

  const reset = useCallback(() => {
    inspectSeq.current++;
    update(() => INITIAL);
  }, [update]);

  return {
    state,
    goTo,
    openFile,
    setReadOption,
    setMapping,
    markMappingSaved,
    setAsOfDate,
    setUnknownOfficer,
    setFull,
    setValidOnly,
    startPreview,
    startRun,
    cancel,
    reset,
  };
}
