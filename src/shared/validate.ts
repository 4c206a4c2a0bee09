import { z } from 'zod'
import { ValidationFailedError } from './errors.js'

/** Parses input with a zod schema; failures become a typed ValidationFailed error. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new ValidationFailedError(result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })))
}

/** A phone number as people type it: digits, `+`, `-` and spaces, 5–20 characters. */
export const phoneNumber = z
  .string()
  .trim()
  .regex(/^[0-9+\-\s]{5,20}$/, 'not a phone number')

/**
 * A field where a client's null means what leaving it out means: unchanged on an update, the default
 * on a create. `schema` must accept undefined (optional, or with a default).
 */
export const nullAsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? undefined, schema)
