// Assessment periods (考核周期): a calendar month, quarter or year, or an inclusive range of days,
// in China Standard Time (Asia/Shanghai, UTC+8 all year: China has kept no daylight saving time
// since 1991), as a half-open range of instants [from, to).
import { z } from 'zod'
import { ValidationFailedError } from '../../shared/errors.js'
import { parseInput } from '../../shared/validate.js'

export interface PeriodInput {
  month?: string | null
  quarter?: string | null
  year?: number | null
  startDate?: string | null
  endDate?: string | null
}

export interface Period {
  /** `2026-11`, `2026-Q4`, `2026` or `2026-11-01~2026-11-15`. */
  label: string
  /** First instant of the period. */
  from: Date
  /** First instant after the period. */
  to: Date
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000
/** The longest range of days a query may cover. */
export const MAX_RANGE_DAYS = 366
const YEARS = { min: 2000, max: 2100 }

/** Midnight in Shanghai of a calendar day (month and day may overflow, as with Date.UTC). */
const shanghaiMidnight = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS)

const inYears = (y: number) => y >= YEARS.min && y <= YEARS.max
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD').refine((s) => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d))
  return inYears(y) && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}, `not a calendar day between ${YEARS.min} and ${YEARS.max}`)

const periodSchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM').refine((s) => inYears(Number(s.slice(0, 4))), `a year between ${YEARS.min} and ${YEARS.max}`).nullish(),
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'a quarter as YYYY-Q1 … YYYY-Q4').refine((s) => inYears(Number(s.slice(0, 4))), `a year between ${YEARS.min} and ${YEARS.max}`).nullish(),
  year: z.number().int().min(YEARS.min).max(YEARS.max).nullish(),
  startDate: day.nullish(),
  endDate: day.nullish(),
})

/** The period an input names: exactly one of month, quarter, year, or startDate with endDate. */
export function parsePeriod(input: PeriodInput): Period {
  const p = parseInput(periodSchema, input)
  const given = [p.month, p.quarter, p.year, p.startDate ?? p.endDate].filter((x) => x !== null && x !== undefined)
  if (given.length !== 1) throw new ValidationFailedError([{ path: 'period', message: 'give exactly one of month, quarter, year, or startDate with endDate' }])
  if (p.month) {
    const [y, m] = p.month.split('-').map(Number) as [number, number]
    return { label: p.month, from: shanghaiMidnight(y, m, 1), to: shanghaiMidnight(y, m + 1, 1) }
  }
  if (p.quarter) {
    const y = Number(p.quarter.slice(0, 4))
    const q = Number(p.quarter.slice(6))
    return { label: p.quarter, from: shanghaiMidnight(y, 3 * q - 2, 1), to: shanghaiMidnight(y, 3 * q + 1, 1) }
  }
  if (p.year) return { label: String(p.year), from: shanghaiMidnight(p.year, 1, 1), to: shanghaiMidnight(p.year + 1, 1, 1) }
  if (!p.startDate || !p.endDate) throw new ValidationFailedError([{ path: p.startDate ? 'period.endDate' : 'period.startDate', message: 'a range needs both startDate and endDate' }])
  const [ys, ms, ds] = p.startDate.split('-').map(Number) as [number, number, number]
  const [ye, me, de] = p.endDate.split('-').map(Number) as [number, number, number]
  const from = shanghaiMidnight(ys, ms, ds)
  const to = shanghaiMidnight(ye, me, de + 1)
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000)
  if (days < 1) throw new ValidationFailedError([{ path: 'period.endDate', message: 'must not be before startDate' }])
  if (days > MAX_RANGE_DAYS) throw new ValidationFailedError([{ path: 'period.endDate', message: `at most ${MAX_RANGE_DAYS} days` }])
  return { label: `${p.startDate}~${p.endDate}`, from, to }
}
