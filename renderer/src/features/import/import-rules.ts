// When the flow may move on: what the buttons' enabled state and their explanations follow.
import { missingRequiredFields } from '../../../../shared/import';
import type { ImportFlowState } from './use-import-flow';

export type PreviewBlocker = 'noFile' | 'reading' | 'missingRequired' | 'noAsOfDate';

/** Why the mapping cannot be previewed yet, or null when it can. */
export function previewBlocker(state: ImportFlowState): PreviewBlocker | null {
  if (!state.file || !state.inspection) return state.inspecting ? 'reading' : 'noFile';
  if (state.inspecting) return 'reading';
  if (missingRequiredFields(state.mapping).length > 0) return 'missingRequired';
  if (!state.asOfDate) return 'noAsOfDate';
  return null;
}

export type ImportBlocker = 'previewing' | 'notImportable' | 'rejected';

/**
 * Why the previewed file cannot be imported, or null when it can. Rejected rows block
 * unless the manager chose to import the valid rows only: never half a file by accident.
 */
export function importBlocker(state: ImportFlowState): ImportBlocker | null {
  const output = state.preview?.output;
  if (!output || state.preview?.running) return 'previewing';
  if (!output.canImport) return 'notImportable';
  if (output.report.rejectedRows > 0 && !state.validOnly) return 'rejected';
  return null;
}
