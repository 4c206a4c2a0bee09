// Assessment periods in China Standard Time and the score's formula: pure rules.
import { describe, expect, it } from 'vitest'
import { parsePeriod } from '../../../src/modules/assessment/period.js'
import { DEFAULT_WEIGHTS, formulaOf, weightsSum } from '../../../src/modules/assessment/weights.js'
import { ValidationFailedError } from '../../../src/shared/errors.js'

const iso = (p: { from: Date; to: Date }) => [p.from.toISOString(), p.to.toISOString()]

describe('parsePeriod', () => {
  it('should turn months, quarters and years into [from, to) at midnight in Shanghai', () => {
    expect(iso(parsePeriod({ month: '2024-02' }))).toEqual(['2024-01-31T16:00:00.000Z', '2024-02-29T16:00:00.000Z'])
    expect(iso(parsePeriod({ month: '2026-12' }))).toEqual(['2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'])
    expect(iso(parsePeriod({ quarter: '2026-Q1' }))).toEqual(['2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z'])
    expect(iso(parsePeriod({ quarter: '2026-Q4' }))).toEqual(['2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'])
    expect(iso(parsePeriod({ year: 2026 }))).toEqual(['2025-12-31T16:00:00.000Z', '2026-12-31T16:00:00.000Z'])
    expect(parsePeriod({ quarter: '2026-Q2' }).label).toBe('2026-Q2')
  })

  it('should include the end day of a range, up to 366 days', () => {
    const p = parsePeriod({ startDate: '2024-02-28', endDate: '2024-03-01' })
    expect(p.label).toBe('2024-02-28~2024-03-01')
    expect(iso(p)).toEqual(['2024-02-27T16:00:00.000Z', '2024-03-01T16:00:00.000Z'])
    expect(() => parsePeriod({ startDate: '2024-01-01', endDate: '2024-12-31' })).not.toThrow() // 366 days
    expect(() => parsePeriod({ startDate: '2025-01-01', endDate: '2026-01-01' })).not.toThrow() // 366 days
    expect(() => parsePeriod({ startDate: '2025-01-01', endDate: '2026-01-02' })).toThrow(ValidationFailedError) // 367
  })

  it('should refuse anything but exactly one well-formed period', () => {
    for (const bad of [
      {},
      { month: '2026-11', year: 2026 },
      { startDate: '2026-01-01' },
      { month: '2026-13' },
      { month: '2026-1' },
      { quarter: '2026-Q5' },
      { year: 1999 },
      { startDate: '2026-02-30', endDate: '2026-03-01' },
      { startDate: '2026-03-02', endDate: '2026-03-01' },
    ]) {
      expect(() => parsePeriod(bad), JSON.stringify(bad)).toThrow(ValidationFailedError)
    }
  })
})

describe('the score formula', () => {
  it('should name every weighted figure with its share, leaving out weights of 0', () => {
    expect(weightsSum(DEFAULT_WEIGHTS)).toBe(100)
    expect(formulaOf(DEFAULT_WEIGHTS)).toBe(
      '0.2×签收及时率 + 0.3×办结及时率 + 0.3×满意度得分 + 0.1×(100−退单率) + 0.05×(100−重办率) + 0.05×(100−督办率)',
    )
    expect(
      formulaOf({
        signedOnTime: 50,
        completedOnTime: 50,
        satisfaction: 0,
        notReturned: 0,
        notReopened: 0,
        notSupervised: 0,
      }),
    ).toBe('0.5×签收及时率 + 0.5×办结及时率')
  })
})
