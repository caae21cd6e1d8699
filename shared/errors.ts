// Errors that cross the API carry a stable code the UI can act on and parameters
// the renderer turns into words in the user's language (see renderer/src/i18n).

export const ERROR_CODES = [
  'invalid_input',
  'unknown_operation',
  'not_found',
  'forbidden',
  'ledger_locked',
  'conflict',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorParams = Record<string, string | number | boolean | null>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, message: string, params: ErrorParams = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.params = params;
  }
}

/** How an error travels over IPC or HTTP: plain data, no stack, no borrower data. */
export interface WireError {
  code: ErrorCode;
  message: string;
  params: ErrorParams;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof AppError) return { code: err.code, message: err.message, params: err.params };
  return { code: 'internal', message: 'Internal error', params: {} };
}

export type WireResult<T> = { ok: true; value: T } | { ok: false; error: WireError };
