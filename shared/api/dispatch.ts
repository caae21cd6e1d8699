// Validates and runs one operation. Both transports (Electron IPC in main, the dev
// bridge over HTTP) go through here, so validation and error shaping are identical.
import { AppError, toWireError, type WireResult } from '../errors';
import { api, isOpName, type ApiHandlers, type CallContext, type OpName } from './contract';

export async function dispatch(
  handlers: ApiHandlers,
  opName: unknown,
  rawInput: unknown,
  ctx: CallContext,
): Promise<WireResult<unknown>> {
  try {
    if (!isOpName(opName)) {
      throw new AppError('unknown_operation', `Unknown operation`, {
        op: String(opName).slice(0, 64),
      });
    }
    const parsed = api[opName].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'invalid_input',
        `Invalid input for ${opName}: ${issue?.message ?? 'invalid'}`,
        {
          op: opName,
          field: issue ? issue.path.join('.') : '',
          reason: issue?.message ?? '',
        },
      );
    }
    const handler = handlers[opName] as (input: unknown, ctx: CallContext) => unknown;
    const value = await handler(parsed.data, ctx);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}

export type { OpName };
