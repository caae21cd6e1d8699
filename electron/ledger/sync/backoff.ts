// Retry delays after a failed sync: exponential, capped, with "full jitter" (a uniform
// draw below the cap of the attempt), so a branch's laptops coming back online together
// do not retry in step. Pure: the random draw is passed in.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

/**
 * Delay before retry number `attempt` (1 = first retry). `random` is in [0, 1). Never
 * below baseMs / 2, so a failing server is not hammered even on an unlucky draw.
 */
export function backoffDelay(
  attempt: number,
  random: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^30 overflows nothing and is far above any cap.
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
  const floor = Math.min(ceiling, policy.baseMs / 2);
  const r = Math.min(Math.max(random, 0), 1 - Number.EPSILON);
  return Math.round(floor + r * (ceiling - floor));
}

/** A server's Retry-After (seconds) wins over the computed delay when it is longer. */
export function retryDelay(
  attempt: number,
  random: number,
  retryAfterSeconds: number | null,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const computed = backoffDelay(attempt, random, policy);
  return retryAfterSeconds !== null && retryAfterSeconds * 1000 > computed
    ? retryAfterSeconds * 1000
    : computed;
}
