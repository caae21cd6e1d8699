// Small mappers from row columns to contract shapes, shared by the queries.
import type { UserSummary } from '../../../shared/api/contract';
import type { CaseFlags, PriorityReason, UserRole } from '../../../shared/domain/types';

export function flagsOf(r: {
  flag_hardship: number;
  flag_vulnerable: number;
  flag_dispute: number;
  flag_do_not_contact: number;
}): CaseFlags {
  return {
    hardship: r.flag_hardship === 1,
    vulnerable: r.flag_vulnerable === 1,
    dispute: r.flag_dispute === 1,
    doNotContact: r.flag_do_not_contact === 1,
  };
}

export function userOf(id: string, name: string, role: UserRole): UserSummary {
  return { id, name, role };
}

export function reasonsOf(json: string): PriorityReason[] {
  return JSON.parse(json) as PriorityReason[];
}
