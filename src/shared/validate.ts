import type { z } from 'zod'
import { ValidationFailedError } from './errors.js'

/** Parses input with a zod schema; failures become a typed ValidationFailed error. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new ValidationFailedError(result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })))
}
