// Rule checks (src/db/rule-check.ts) on hand-made rows: Prisma's semantics for NULL, negation and
// relation filters, and a refusal (null) for what the checker does not understand.
import { describe, expect, it } from 'vitest'
import { ruleCheck, type Relation } from '../../../src/db/rule-check.js'

const models: Record<string, Record<string, Relation>> = {
  Case: { region: { model: 'Region', isList: false }, orders: { model: 'Order', isList: true } },
  Region: {},
  Order: {},
}
const relations = (m: string) => new Map(Object.entries(models[m] ?? {}))

describe('rule checks', () => {
  it('should compare with NULL as PostgreSQL does: no match for not, in or a comparison', () => {
    const c = ruleCheck('Case', { status: { not: 'CLOSED' } }, relations)!
    expect(c.test({ status: 'OPEN' })).toBe(true)
    expect(c.test({ status: 'CLOSED' })).toBe(false)
    expect(c.test({ status: null })).toBe(false)
    const inList = ruleCheck('Case', { gridId: { in: ['a'] } }, relations)!
    expect(inList.test({ gridId: null })).toBe(false)
    const eqNull = ruleCheck('Case', { deadline: null }, relations)!
    expect(eqNull.test({ deadline: null })).toBe(true)
    const before = ruleCheck('Case', { deadline: { lt: new Date('2026-01-02') } }, relations)!
    expect(before.test({ deadline: new Date('2026-01-01') })).toBe(true)
    expect(before.test({ deadline: null })).toBe(false)
  })

  it('should select what a relation filter reads: a to-one relation, and a list with the filter and take 1', () => {
    const c = ruleCheck(
      'Case',
      { OR: [{ region: { path: { contains: '/r1/' } } }, { orders: { some: { departmentId: 'd' } } }] },
      relations,
    )!
    expect(c.select).toEqual({
      id: true,
      region: { select: { id: true, path: true } },
      orders: { where: { departmentId: 'd' }, take: 1, select: { id: true } },
    })
    expect(c.test({ region: { path: '/c/r1/x/' }, orders: [] })).toBe(true)
    expect(c.test({ region: { path: '/c/r2/' }, orders: [{ id: 'o' }] })).toBe(true)
    expect(c.test({ region: null, orders: [] })).toBe(false)
  })

  it('should negate NOT over every part, and match nothing for an empty in (NO_ROWS)', () => {
    expect(ruleCheck('Case', { NOT: [{ a: 1 }, { b: 2 }] }, relations)!.test({ a: 1, b: 3 })).toBe(false)
    expect(ruleCheck('Case', { NOT: { a: 1, b: 2 } }, relations)!.test({ a: 1, b: 3 })).toBe(true)
    expect(ruleCheck('Case', { id: { in: [] } }, relations)!.test({ id: 'x' })).toBe(false)
  })

  it('should refuse what it does not understand, and two different filters on one list', () => {
    expect(ruleCheck('Case', { title: { contains: 'x', mode: 'insensitive' } }, relations)).toBeNull()
    expect(ruleCheck('Case', { orders: { every: { departmentId: 'd' } } }, relations)).toBeNull()
    expect(
      ruleCheck('Case', { OR: [{ orders: { some: { a: 1 } } }, { orders: { some: { a: 2 } } }] }, relations),
    ).toBeNull()
  })
})
