// What the conduct rules say right now about each channel for the contact being planned.
// Asks the ledger (contact.check) whenever the plan changes, and again every minute while
// shown: contact hours pass with the clock, not with anything the officer does.
import { useEffect, useState } from 'react';
import type { OpInput } from '../../../../shared/api/contract';
import type { ContactCheck } from '../../../../shared/policy/conduct';
import { CONTACT_CHANNELS, type ContactChannel } from '../../../../shared/domain/types';
import { asApiError, invoke, type ApiError } from '../../api/client';

export type ChannelChecks = Partial<Record<ContactChannel, ContactCheck>>;

export interface ContactChecks {
  checks: ChannelChecks;
  /** The plan (JSON) the checks answer; differs from the current plan while a check runs. */
  checkedKey: string | null;
  error: ApiError | undefined;
}

export const RECHECK_MS = 60_000;

export function useContactChecks(
  inputs: Partial<Record<ContactChannel, OpInput<'contact.check'>>> | null,
  refresh = 0,
): ContactChecks & { key: string | null } {
  const key = inputs === null ? null : JSON.stringify(inputs);
  const [state, setState] = useState<ContactChecks>({
    checks: {},
    checkedKey: null,
    error: undefined,
  });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (key === null) return;
    const timer = window.setInterval(() => setTick((n) => n + 1), RECHECK_MS);
    return () => window.clearInterval(timer);
  }, [key]);

  useEffect(() => {
    if (key === null) return;
    const parsed = JSON.parse(key) as Partial<Record<ContactChannel, OpInput<'contact.check'>>>;
    let cancelled = false;
    const channels = CONTACT_CHANNELS.filter((c) => parsed[c] !== undefined);
    Promise.all(channels.map((c) => invoke('contact.check', parsed[c]!)))
      .then((results) => {
        if (cancelled) return;
        const checks: ChannelChecks = {};
        channels.forEach((c, i) => (checks[c] = results[i]));
        setState({ checks, checkedKey: key, error: undefined });
      })
      .catch((err: unknown) => {
        if (!cancelled)
          setState({ checks: {}, checkedKey: key, error: asApiError('contact.check', err) });
      });
    return () => {
      cancelled = true;
    };
  }, [key, tick, refresh]);

  return { ...state, key };
}
