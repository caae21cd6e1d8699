// Who may use the manager's operations: a branch manager or an admin. Officers are
// refused by the ledger itself, whatever the renderer shows.
import type { CallContext } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import type { ActorRef } from '../commands/command';
import type { Ledger } from '../ledger';
import { stmt } from '../statements';

export function requireManager(ledger: Ledger, ctx: CallContext): ActorRef {
  const row = stmt<{ id: string; role: ActorRef['role'] }>(
    ledger.db,
    'SELECT id, role FROM users WHERE id = ? AND active = 1',
  ).get(ctx.userId);
  if (!row)
    throw new AppError('forbidden', 'Sign in as a user of this branch', { reason: 'unknown_user' });
  if (row.role !== 'manager' && row.role !== 'admin') {
    throw new AppError('forbidden', 'Only a branch manager may do this', {
      reason: 'manager_only',
    });
  }
  return { id: row.id, role: row.role };
}
