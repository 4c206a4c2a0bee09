// Free-text filters (`text`, `search`): one way for every list. The value is a literal substring,
// matched case-insensitively: LIKE's wildcards (% _) and its escape (\) are escaped, so `%` finds a
// percent sign rather than every row. Values are capped in length (a long pattern cost seconds per
// request) and may not hold NUL bytes, which PostgreSQL refuses.
import { ValidationFailedError } from './errors.js'

export const MAX_SEARCH_LENGTH = 100

/** The Prisma string filter for `value` at `path`, or undefined when there is nothing to search for. */
export function textMatch(
  value: string | null | undefined,
  path: string,
): { contains: string; mode: 'insensitive' } | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (text.length > MAX_SEARCH_LENGTH)
    throw new ValidationFailedError([{ path, message: `at most ${MAX_SEARCH_LENGTH} characters` }])
  if (text.includes('\u0000')) throw new ValidationFailedError([{ path, message: 'must not contain NUL characters' }])
  return { contains: text.replace(/[\\%_]/g, (c) => `\\${c}`), mode: 'insensitive' }
}

/** `OR` of the text match on each of `fields`, or an empty condition. */
export function anyFieldMatches<F extends string>(
  value: string | null | undefined,
  path: string,
  fields: readonly F[],
): { OR: Record<F, ReturnType<typeof textMatch>>[] } | Record<string, never> {
  const match = textMatch(value, path)
  return match ? { OR: fields.map((f) => ({ [f]: match }) as Record<F, typeof match>) } : {}
}
