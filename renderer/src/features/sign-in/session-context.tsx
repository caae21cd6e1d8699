// Who is signed in on this device, shared by the gate, the header's lock / switch-user
// menu and the screens. The gate owns the state; everyone else reads and changes it here.
import { createContext, useContext } from 'react';
import type { SessionStateView } from '../../../../shared/api/sync-contract';

export interface SessionControl {
  state: SessionStateView;
  setState: (next: SessionStateView) => void;
  lock: () => void;
  switchUser: () => void;
  /** Asks the session again (e.g. the sync status saw the device wiped or signed out). */
  refresh: () => void;
}

export const SessionContext = createContext<SessionControl | null>(null);

export function useSession(): SessionControl | null {
  return useContext(SessionContext);
}
