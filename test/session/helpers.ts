// What the device-session tests share: calling an operation the way a transport does.
import type { OpName, OpOutput } from '../../shared/api/contract';
import { dispatch } from '../../shared/api/dispatch';
import type { LedgerSession } from '../../electron/ledger/session/session';

/** Calls `op` as a transport does (validated, with the session's caller); a refusal throws its error. */
export async function call<N extends OpName>(
  session: LedgerSession,
  op: N,
  input: unknown = {},
): Promise<OpOutput<N>> {
  const result = await dispatch(session.handlers, op, input, session.callContext());
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value as OpOutput<N>;
}
