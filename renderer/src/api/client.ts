// The renderer's one way to the ledger. In Electron the preload exposes
// `window.fieldbook.invoke`; in a plain browser (the dev bridge) the same operations are
// served as POST /api/<op>. Both answer with a WireResult, unwrapped here so callers get
// the typed output or an ApiError carrying the stable code the UI translates.
import type { OpInput, OpName, OpOutput } from '../../../shared/api/contract';
import type { ErrorCode, ErrorParams, WireResult } from '../../../shared/errors';

/** The ledger's error codes, plus one the renderer adds when the transport itself fails. */
export type ClientErrorCode = ErrorCode | 'ledger_unreachable';

export class ApiError extends Error {
  readonly code: ClientErrorCode;
  readonly params: ErrorParams;
  readonly op: OpName;

  constructor(op: OpName, code: ClientErrorCode, message: string, params: ErrorParams = {}) {
    super(message);
    this.name = 'ApiError';
    this.op = op;
    this.code = code;
    this.params = params;
  }
}

interface FieldbookBridge {
  invoke(op: string, input: unknown): Promise<WireResult<unknown>>;
}

function preloadBridge(): FieldbookBridge | null {
  const candidate = (globalThis as { fieldbook?: unknown }).fieldbook;
  if (candidate && typeof (candidate as FieldbookBridge).invoke === 'function') {
    return candidate as FieldbookBridge;
  }
  return null;
}

async function invokeOverHttp(op: OpName, input: unknown): Promise<WireResult<unknown>> {
  let response: Response;
  try {
    response = await fetch(`/api/${encodeURIComponent(op)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
  } catch (err) {
    throw new ApiError(
      op,
      'ledger_unreachable',
      err instanceof Error ? err.message : 'fetch failed',
    );
  }
  // The bridge answers refusals (wrong host, bad body) with a WireResult too, so read the
  // body whatever the status; anything that is not a WireResult means the bridge is not there.
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(op, 'ledger_unreachable', `HTTP ${response.status} without a JSON body`, {
      status: response.status,
    });
  }
  if (!isWireResult(body)) {
    throw new ApiError(
      op,
      'ledger_unreachable',
      `HTTP ${response.status} with an unexpected body`,
      {
        status: response.status,
      },
    );
  }
  return body;
}

function isWireResult(body: unknown): body is WireResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const result = body as { ok: unknown; error?: unknown };
  if (result.ok === true) return 'value' in body;
  return result.ok === false && typeof result.error === 'object' && result.error !== null;
}

/** Calls one operation of the API contract and returns its output, or throws an ApiError. */
export async function invoke<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>> {
  const bridge = preloadBridge();
  let result: WireResult<unknown>;
  if (bridge) {
    try {
      result = await bridge.invoke(op, input);
    } catch (err) {
      throw new ApiError(
        op,
        'ledger_unreachable',
        err instanceof Error ? err.message : 'IPC failed',
      );
    }
  } else {
    result = await invokeOverHttp(op, input);
  }
  if (result.ok) return result.value as OpOutput<N>;
  const { code, message, params } = result.error;
  throw new ApiError(op, code, message, params ?? {});
}

/** Anything thrown becomes an ApiError, so the UI always has a code to translate. */
export function asApiError(op: OpName, err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(op, 'internal', err instanceof Error ? err.message : String(err));
}
