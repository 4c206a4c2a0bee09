// Query parameters of the exports, validated with zod: the filters the GraphQL lists offer, spelt
// for a URL. Lists are repeated or comma-separated (`status=ACCEPTED,DISPATCHED`), ids are the
// API's global IDs, and dates are days in Asia/Shanghai (`from=2025-03-01&to=2025-03-31`, both days
// included) or instants with an offset (`2025-03-01T08:00:00+08:00`; `to` then excluded). Unknown
// parameters are refused, so that a misspelt filter never exports more than was asked for. Assessment
// periods are given as AssessmentPeriodInput gives them (`month=2025-03`, `startDate=…&endDate=…`).
import { z } from 'zod'
import { parseGlobalId } from '../../shared/relay.js'
import { ValidationFailedError } from '../../shared/errors.js'
import { parsePeriod, type PeriodInput } from '../assessment/period.js'

/** China Standard Time has had no daylight saving since 1991: a fixed offset. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** Midnight in Shanghai at the start of a `YYYY-MM-DD` day, or null for no such day. */
function shanghaiMidnight(day: string): Date | null {
  const m = DAY.exec(day)
  if (!m) return null
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const back = new Date(utc)
  if (
    back.getUTCFullYear() !== Number(m[1]) ||
    back.getUTCMonth() !== Number(m[2]) - 1 ||
    back.getUTCDate() !== Number(m[3])
  )
    return null
  return new Date(utc - SHANGHAI_OFFSET_MS)
}

/**
 * A bound of a time range: a Shanghai day (`from` its start, `to` the start of the next day) or an
 * ISO 8601 instant with `Z` or an offset (taken as it is).
 */
const bound = (end: 'from' | 'to') =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      const day = shanghaiMidnight(s)
      if (day) return end === 'from' ? day : new Date(day.getTime() + 86_400_000)
      if (DAY.test(s)) {
        ctx.addIssue({ code: 'custom', message: 'no such day' })
        return z.NEVER
      }
      const instant = z.iso.datetime({ offset: true }).safeParse(s)
      if (!instant.success) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected a day YYYY-MM-DD (Asia/Shanghai) or an ISO 8601 date-time with an offset',
        })
        return z.NEVER
      }
      return new Date(s)
    })

export const from = bound('from').optional()
export const to = bound('to').optional()

/** Any of these enum values: repeated or comma-separated. */
export const anyOf = <const V extends readonly [string, ...string[]]>(values: V) =>
  z
    .array(z.string())
    .transform((parts) =>
      parts
        .flatMap((p) => p.split(','))
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).max(values.length * 2))
    .optional()

/** A global ID of the given type (the API's ids): the row id inside it. */
export const globalIdOf = (typename: string) =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      try {
        const decoded = parseGlobalId(s)
        if (decoded.typename === typename) return decoded.id
      } catch (e) {
        if (!(e instanceof ValidationFailedError)) throw e
      }
      ctx.addIssue({ code: 'custom', message: `expected a ${typename} ID` })
      return z.NEVER
    })
    .optional()

export const bool = z
  .enum(['true', 'false'])
  .transform((s) => s === 'true')
  .optional()

/** The range's two ends in order, when both are given. */
export const orderedRange = (p: { from?: Date; to?: Date }) => !p.from || !p.to || p.from < p.to
export const RANGE_MESSAGE = { message: '`from` must be before `to`', path: ['to'] }

/** A year as `YYYY`, in the range the API takes years in. */
export const calendarYear = z
  .string()
  .trim()
  .regex(/^\d{4}$/, 'a year as YYYY')
  .transform(Number)
  .pipe(z.number().min(2000, 'a year from 2000 to 2100').max(2100, 'a year from 2000 to 2100'))

/**
 * The parameters of an assessment period (AssessmentPeriodInput, same names and meaning): `month`,
 * `quarter`, `year`, or `startDate` with `endDate`. Spread into a schema whose output then goes
 * through `withPeriod`.
 */
export const PERIOD = {
  month: z.string().trim().optional(),
  quarter: z.string().trim().optional(),
  year: calendarYear.optional(),
  startDate: z.string().trim().optional(),
  endDate: z.string().trim().optional(),
}

/**
 * The period parameters gathered as the API's PeriodInput, checked by the API's own rules
 * (period.ts) before the export starts: a bad period is a 400 naming the parameter, never a cut file.
 */
export function withPeriod<P extends PeriodInput>(
  { month, quarter, year, startDate, endDate, ...rest }: P,
  ctx: z.RefinementCtx,
) {
  const period: PeriodInput = { month, quarter, year, startDate, endDate }
  try {
    parsePeriod(period)
  } catch (e) {
    if (!(e instanceof ValidationFailedError)) throw e
    for (const i of e.issues)
      ctx.addIssue({ code: 'custom', message: i.message, path: [i.path.replace(/^period\./, '')] })
    return z.NEVER
  }
  return { ...rest, period }
}

/**
 * The query string as an object for a schema: every key once, as a string, except the keys the
 * schema takes as lists, which collect every value given.
 */
export function queryObject(search: URLSearchParams, listKeys: ReadonlySet<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const key of new Set(search.keys())) {
    const all = search.getAll(key)
    out[key] = listKeys.has(key) ? all : all.length === 1 ? all[0]! : all
  }
  return out
}
