// A preview or run answers only when it has finished (the transports are request/response),
// so while it is in flight its progress is polled by runId. One poll at a time: the next
// starts only after the previous answered, so a slow ledger is never flooded.
import type { ImportProgressOutput } from '../../../../shared/api/import-contract';
import { invoke } from '../../api/client';

export const PROGRESS_POLL_MS = 250;

export async function callWithProgress<T>(
  runId: string,
  call: () => Promise<T>,
  onProgress: (progress: ImportProgressOutput) => void,
  pollMs = PROGRESS_POLL_MS,
): Promise<T> {
  let finished = false;
  const poll = async (): Promise<void> => {
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      if (finished) return;
      try {
        const progress = await invoke('import.progress', { runId });
        if (!finished && progress.stage !== 'unknown') onProgress(progress);
      } catch {
        // A missed poll only delays the bar; the call's own answer says how it ended.
      }
    }
  };
  // poll() never rejects; it ends at its next wake-up once the call has answered.
  void poll();
  try {
    return await call();
  } finally {
    finished = true;
  }
}
