// Asks the dev bridge directly, as the ledger's answer to compare the UI against.
import { expect, type APIRequestContext } from '@playwright/test';
import type { OpInput, OpName, OpOutput } from '../../../shared/api/contract';
import type { WireResult } from '../../../shared/errors';

export async function callLedger<N extends OpName>(
  request: APIRequestContext,
  op: N,
  input: OpInput<N>,
): Promise<OpOutput<N>> {
  const response = await request.post(`/api/${op}`, { data: input });
  expect(response.status(), `POST /api/${op}`).toBe(200);
  const result = (await response.json()) as WireResult<OpOutput<N>>;
  if (!result.ok) throw new Error(`${op} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}
