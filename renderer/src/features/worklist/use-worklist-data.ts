// The worklist's rows, fetched in chunks as the officer scrolls: the list knows its total
// from the first answer and asks for a chunk only when rows in it come into view. A new
// filter keeps the old rows on screen (dimmed by the caller) until its first chunk
// arrives, so the list never flashes empty; answers for an older filter are dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpInput, WorklistRow } from '../../../../shared/api/contract';
import { asApiError, invoke, type ApiError } from '../../api/client';
import { mark, PERF } from '../../app/perf';

/** Rows per worklist.list call (the contract allows up to 500). */
export const CHUNK_SIZE = 200;

export type WorklistFilterQuery = Omit<OpInput<'worklist.list'>, 'offset' | 'limit'>;

interface Snapshot {
  /** The query (and refresh generation) these rows belong to. */
  key: string;
  total: number;
  chunks: Map<number, WorklistRow[]>;
}

export interface WorklistData {
  /** Key of the rows on screen; differs from `requestedKey` while a new filter loads. */
  shownKey: string | null;
  requestedKey: string;
  total: number | null;
  rowAt: (index: number) => WorklistRow | undefined;
  /** Fetches the chunks covering rows [start, end] that are not loaded or loading. */
  ensureRange: (start: number, end: number) => void;
  error: ApiError | undefined;
  /** Increments whenever rows arrive, so memoised renders know to look again. */
  revision: number;
  retry: () => void;
}

export function useWorklistData(query: WorklistFilterQuery, refreshKey: number): WorklistData {
  const [generation, setGeneration] = useState(0);
  const requestedKey = `${JSON.stringify(query)}#${refreshKey}.${generation}`;
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [revision, setRevision] = useState(0);
  const inFlight = useRef(new Set<string>());
  const latestKey = useRef(requestedKey);
  const queryRef = useRef(query);
  queryRef.current = query;

  const fetchChunk = useCallback((key: string, chunk: number, q: WorklistFilterQuery) => {
    const flightKey = `${key}@${chunk}`;
    if (inFlight.current.has(flightKey)) return;
    inFlight.current.add(flightKey);
    invoke('worklist.list', { ...q, offset: chunk * CHUNK_SIZE, limit: CHUNK_SIZE })
      .then((page) => {
        inFlight.current.delete(flightKey);
        if (key !== latestKey.current) return;
        if (chunk === 0) mark(PERF.worklistData);
        setSnapshot((prev) => {
          const chunks =
            prev && prev.key === key ? new Map(prev.chunks) : new Map<number, WorklistRow[]>();
          chunks.set(chunk, page.rows);
          return { key, total: page.total, chunks };
        });
        setError(undefined);
        setRevision((r) => r + 1);
      })
      .catch((err: unknown) => {
        inFlight.current.delete(flightKey);
        if (key !== latestKey.current) return;
        setError(asApiError('worklist.list', err));
      });
  }, []);

  useEffect(() => {
    latestKey.current = requestedKey;
    fetchChunk(requestedKey, 0, queryRef.current);
  }, [requestedKey, fetchChunk]);

  const current = snapshot && snapshot.key === requestedKey ? snapshot : null;

  const rowAt = useCallback(
    (index: number): WorklistRow | undefined =>
      snapshot?.chunks.get(Math.floor(index / CHUNK_SIZE))?.[index % CHUNK_SIZE],
    [snapshot],
  );

  const ensureRange = useCallback(
    (start: number, end: number) => {
      if (!current) return;
      const last = Math.min(end, current.total - 1);
      for (let c = Math.floor(start / CHUNK_SIZE); c <= Math.floor(last / CHUNK_SIZE); c++) {
        if (!current.chunks.has(c)) fetchChunk(current.key, c, queryRef.current);
      }
    },
    [current, fetchChunk],
  );

  const retry = useCallback(() => {
    setError(undefined);
    setGeneration((g) => g + 1);
  }, []);

  return {
    shownKey: snapshot?.key ?? null,
    requestedKey,
    total: snapshot?.total ?? null,
    rowAt,
    ensureRange,
    error,
    revision,
    retry,
  };
}
