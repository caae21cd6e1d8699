// Fetches a screen's data again after a change to the ledger (a reassignment, a plan
// decision), but not on the first render, when the query has just been sent.
import { useEffect, useRef } from 'react';
import { useDataVersion } from '../../app/data-version';

export function useReloadOnChange(reload: () => void): void {
  const { version } = useDataVersion();
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    reload();
  }, [version, reload]);
}
