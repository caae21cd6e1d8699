// A counter every screen can read and every successful change to the ledger bumps, so a
// screen showing derived data (the worklist's ranks and reasons) fetches it again.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

interface DataVersion {
  version: number;
  bump: () => void;
}

const DataVersionContext = createContext<DataVersion>({ version: 0, bump: () => undefined });

export function DataVersionProvider({ children }: { children: ReactNode }) {
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  const value = useMemo(() => ({ version, bump }), [version, bump]);
  return <DataVersionContext.Provider value={value}>{children}</DataVersionContext.Provider>;
}

export function useDataVersion(): DataVersion {
  return useContext(DataVersionContext);
}
