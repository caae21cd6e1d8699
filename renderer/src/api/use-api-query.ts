// A small query hook: runs one operation whenever its input changes and keeps the last
// good data while a new request is in flight (so paging does not flash an empty table).
// Answers that arrive after a newer request started are dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpInput, OpName, OpOutput } from '../../../shared/api/contract';
import { asApiError, invoke, type ApiError } from './client';

export interface ApiQuery<N extends OpName> {
  data: OpOutput<N> | undefined;
  error: ApiError | undefined;
  /** True while a request is in flight, including refreshes that keep the old data. */
  loading: boolean;
  reload: () => void;
}

/** Pass `null` as input to hold the query (e.g. nothing selected yet). */
export function useApiQuery<N extends OpName>(op: N, input: OpInput<N> | null): ApiQuery<N> {
  const inputKey = input === null ? null : JSON.stringify(input);
  const [data, setData] = useState<OpOutput<N> | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(inputKey !== null);
  const [generation, setGeneration] = useState(0);
  const latestRequest = useRef(0);

  useEffect(() => {
    if (inputKey === null) {
      setLoading(false);
      return;
    }
    const requestId = ++latestRequest.current;
    setLoading(true);
    invoke(op, JSON.parse(inputKey) as OpInput<N>)
      .then((value) => {
        if (requestId !== latestRequest.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (requestId !== latestRequest.current) return;
        setError(asApiError(op, err));
        setLoading(false);
      });
  }, [op, inputKey, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}
