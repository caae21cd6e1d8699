// A file that cannot be read at all. Travels as AppError 'invalid_input' so the API layer
// needs nothing new; params.reason is the import's own code (messages.ts has the words).
import { AppError, type ErrorParams } from '../../errors';
import type { ReadErrorReason } from '../../import/issue-codes';

export class PortfolioReadError extends AppError {
  readonly reason: ReadErrorReason;

  constructor(reason: ReadErrorReason, message: string, params: ErrorParams = {}) {
    super('invalid_input', message, { reason, ...params });
    this.name = 'PortfolioReadError';
    this.reason = reason;
  }
}
