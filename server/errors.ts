// Errors the server's own operations raise (admin CLI, enrolment, auth). Each carries a
// stable code; the HTTP layer maps it to a status, the CLI prints the message.
import type { SyncErrorCode } from '../shared/sync/protocol';

export type ServerErrorCode = SyncErrorCode | 'invalid_argument';

export type ServerErrorParams = Record<string, string | number | boolean | null>;

export class ServerError extends Error {
  readonly code: ServerErrorCode;
  readonly params: ServerErrorParams;

  constructor(code: ServerErrorCode, message: string, params: ServerErrorParams = {}) {
    super(message);
    this.name = 'ServerError';
    this.code = code;
    this.params = params;
  }
}
