// Runs one changing operation on request (a form's submit): tracks whether it is in
// flight (so the button cannot send it twice) and keeps the last error as an ApiError.
import { useCallback, useRef, useState } from 'react';
import type { OpInput, OpName, OpOutput } from '../../../shared/api/contract';
import { asApiError, invoke, type ApiError } from './client';

export interface Mutation<N extends OpName> {
  /** Resolves with the output, or with undefined after an error (kept in `error`). */
  run: (input: OpInput<N>) => Promise<OpOutput<N> | undefined>;
  pending: boolean;
  error: ApiError | undefined;
  clearError: () => void;
}

export function useMutation<N extends OpName>(op: N): Mutation<N> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const busy = useRef(false);
  const run = useCallback(
    async (input: OpInput<N>) => {
      if (busy.current) return undefined;
      busy.current = true;
      setPending(true);
      setError(undefined);
      try {
        return await invoke(op, input);
      } catch (err) {
        setError(asApiError(op, err));
        return undefined;
      } finally {
        busy.current = false;
        setPending(false);
      }
    },
    [op],
  );
  const clearError = useCallback(() => setError(undefined), []);
  return { run, pending, error, clearError };
}
