// The building block of the API contract: an operation is a zod input schema with its
// output type carried as a phantom. Feature contracts (officer, manager, import, sync)
// each define their operations with `op` and contract.ts merges them into one map.
import { z } from 'zod';

export interface Operation<I extends z.ZodType, O> {
  input: I;
  readonly __output?: O;
}

export function op<O>() {
  return <I extends z.ZodType>(input: I): Operation<I, O> => ({ input });
}

export const noInput = z.object({}).strict();

export const entityId = z.string().min(1).max(64);

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');
