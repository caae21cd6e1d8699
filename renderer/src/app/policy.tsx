// The branch's conduct policy pack, fetched once: the forms read its channel rules
// (a visit needs a second collector) and word lists (the gentle note warning). The
// contact rules themselves are always checked by the ledger (contact.check), never here.
import { createContext, useContext, type ReactNode } from 'react';
import type { PolicyPack } from '../../../shared/policy/pack';
import { useApiQuery } from '../api/use-api-query';

const PolicyContext = createContext<PolicyPack | undefined>(undefined);

export function PolicyProvider({ children }: { children: ReactNode }) {
  // A ledger that cannot answer leaves the pack undefined: forms then rely on the checks alone.
  const { data } = useApiQuery('policy.get', {});
  return <PolicyContext.Provider value={data}>{children}</PolicyContext.Provider>;
}

/** The pack, or undefined while it loads (or when the ledger could not give it). */
export function usePolicy(): PolicyPack | undefined {
  return useContext(PolicyContext);
}
