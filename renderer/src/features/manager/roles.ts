import type { UserRole } from '../../../../shared/domain/types';

/** Who sees the manager's screens (the ledger refuses their operations to anyone else). */
export function isManagerRole(role: UserRole): boolean {
  return role === 'manager' || role === 'admin';
}
