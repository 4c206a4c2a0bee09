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
  /** The period before, of the same kind: the month, quarter or year before, or as many days before a range (环比). */
  previous: { label: string; from: Date; to: Date }
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000
/** The longest range of days a query may cover. */
export const MAX_RANGE_DAYS = 366
const YEARS = { min: 2000, max: 2100 }

/** Midnight in Shanghai of a calendar day (month and day may overflow, as with Date.UTC). */
const shanghaiMidnight = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS)

const inYears = (y: number) => y >= YEARS.min && y <= YEARS.max
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number]
    const t = new Date(Date.UTC(y, m - 1, d))
    return inYears(y) && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
  }, `not a calendar day between ${YEARS.min} and ${YEARS.max}`)

const periodSchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')
    .refine((s) => inYears(Number(s.slice(0, 4))), `a year between ${YEARS.min} and ${YEARS.max}`)
    .nullish(),
  quarter: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/, 'a quarter as YYYY-Q1 … YYYY-Q4')
    .refine((s) => inYears(Number(s.slice(0, 4))), `a year between ${YEARS.min} and ${YEARS.max}`)
    .nullish(),
  year: z.number().int().min(YEARS.min).max(YEARS.max).nullish(),
  startDate: day.nullish(),
  endDate: day.nullish(),
})

/** The period an input names: exactly one of month, quarter, year, or startDate with endDate. */
export function parsePeriod(input: PeriodInput): Period {
  const p = parseInput(periodSchema, input)
  const given = [p.month, p.quarter, p.year, p.startDate ?? p.endDate].filter((x) => x !== null && x !== undefined)
  if (given.length !== 1)
    throw new ValidationFailedError([
      { path: 'period', message: 'give exactly one of month, quarter, year, or startDate with endDate' },
    ])
  if (p.month) {
    const [y, m] = p.month.split('-').map(Number) as [number, number]
    return { ...months(y, m, 1, p.month), previous: months(y, m - 1, 1, monthLabel(y, m - 1)) }
  }
  if (p.quarter) {
    const y = Number(p.quarter.slice(0, 4))
    const q = Number(p.quarter.slice(6))
    return {
      ...months(y, 3 * q - 2, 3, p.quarter),
      previous: months(y, 3 * q - 5, 3, q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`),
    }
  }
  if (p.year)
    return { ...months(p.year, 1, 12, String(p.year)), previous: months(p.year - 1, 1, 12, String(p.year - 1)) }
  if (!p.startDate || !p.endDate)
    throw new ValidationFailedError([
      {
        path: p.startDate ? 'period.endDate' : 'period.startDate',
        message: 'a range needs both startDate and endDate',
      },
    ])
  const [ys, ms, ds] = p.startDate.split('-').map(Number) as [number, number, number]
  const [ye, me, de] = p.endDate.split('-').map(Number) as [number, number, number]
  const from = shanghaiMidnight(ys, ms, ds)
  const to = shanghaiMidnight(ye, me, de + 1)
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000)
  if (days < 1) throw new ValidationFailedError([{ path: 'period.endDate', message: 'must not be before startDate' }])
  if (days > MAX_RANGE_DAYS)
    throw new ValidationFailedError([{ path: 'period.endDate', message: `at most ${MAX_RANGE_DAYS} days` }])
  const before = new Date(from.getTime() - days * 86_400_000)
  return {
    label: `${p.startDate}~${p.endDate}`,
    from,
    to,
    previous: {
      label: `${dayLabel(before)}~${dayLabel(new Date(from.getTime() - 86_400_000))}`,
      from: before,
      to: from,
    },
  }
}

/** `count` calendar months from month `m` of year `y` (m may be 0 or negative, as with Date.UTC). */
const months = (y: number, m: number, count: number, label: string) => ({
  label,
  from: shanghaiMidnight(y, m, 1),
  to: shanghaiMidnight(y, m + count, 1),
})

/** `YYYY-MM` of month `m` of year `y`, m normalised (0 is December of the year before). */
const monthLabel = (y: number, m: number) => shanghaiMonth(shanghaiMidnight(y, m, 1))

/** The Shanghai calendar month of an instant, `YYYY-MM`. */
export const shanghaiMonth = (t: Date) => new Date(t.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7)

/** The Shanghai calendar day of an instant, `YYYY-MM-DD`. */
const dayLabel = (t: Date) => new Date(t.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10)

/** Midnight in Shanghai at the start of the day of `t`. */
export const shanghaiDayStart = (t: Date) =>
  new Date(Math.floor((t.getTime() + SHANGHAI_OFFSET_MS) / 86_400_000) * 86_400_000 - SHANGHAI_OFFSET_MS)

/** The Shanghai calendar month containing `t`, as a period. */
export const monthOf = (t: Date): Period => {
  const [y, m] = shanghaiMonth(t).split('-').map(Number) as [number, number]
  return parsePeriod({ month: `${y}-${String(m).padStart(2, '0')}` })
}

/** Every Shanghai calendar month that [from, to) touches, `YYYY-MM`, in order. */
export function monthsOf(p: { from: Date; to: Date }): string[] {
  const out: string[] = []
  for (let m = shanghaiMonth(p.from); ; ) {
    out.push(m)
    const [y, mm] = m.split('-').map(Number) as [number, number]
    const next = shanghaiMidnight(y, mm + 1, 1)
    if (next >= p.to) return out
    m = shanghaiMonth(next)
  }
}
