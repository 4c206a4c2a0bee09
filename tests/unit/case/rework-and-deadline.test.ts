import { describe, expect, it } from 'vitest'
import { CaseStatus } from '../../../src/generated/prisma/enums.js'
import { caseOverdue, OFF_THE_CLOCK, reworkOf } from '../../../src/modules/case/transitions.js'
import { caseSupervisionDue, MAX_SUPERVISION_LEVEL } from '../../../src/modules/case/sla.service.js'

const at = (h: number) => new Date(Date.UTC(2025, 5, 1) + h * 3_600_000)
const order = (id: string, role: 'LEAD' | 'ASSIST', status: string, completedAt: number | null = null) => ({
  id,
  role,
  status: status as 'COMPLETED',
  completedAt: completedAt === null ? null : at(completedAt),
})

describe('reworkOf', () => {
  it('should send back the latest completed lead order by default', () => {
    const orders = [
      order('a', 'LEAD', 'COMPLETED', 1),
      order('b', 'ASSIST', 'COMPLETED', 3),
      order('c', 'LEAD', 'COMPLETED', 2),
      order('d', 'LEAD', 'CANCELLED'),
    ]
    expect(reworkOf(orders)).toEqual({ ok: true, orders: [orders[2]] })
  })

  it('should fall back to the latest completed order when no lead order completed', () => {
    const orders = [
      order('a', 'LEAD', 'TRANSFERRED'),
      order('b', 'ASSIST', 'COMPLETED', 1),
      order('c', 'ASSIST', 'COMPLETED', 2),
    ]
    expect(reworkOf(orders)).toEqual({ ok: true, orders: [orders[2]] })
  })

  it('should send back exactly the named orders, and only completed ones', () => {
    const orders = [
      order('a', 'LEAD', 'COMPLETED', 1),
      order('b', 'ASSIST', 'COMPLETED', 2),
      order('c', 'ASSIST', 'CANCELLED'),
    ]
    expect(reworkOf(orders, ['b'])).toEqual({ ok: true, orders: [orders[1]] })
    expect(reworkOf(orders, ['a', 'b'])).toEqual({ ok: true, orders: [orders[0], orders[1]] })
    expect(reworkOf(orders, ['b', 'c', 'x'])).toEqual({ ok: false, notRedoable: ['c', 'x'] })
  })

  it('should have nothing to send back without a completed order', () => {
    expect(reworkOf([order('a', 'LEAD', 'CANCELLED')])).toEqual({ ok: false, notRedoable: [] })
  })
})

describe('the case deadline', () => {
  it('should count as overdue strictly after the deadline, in every state on the clock', () => {
    for (const status of Object.values(CaseStatus)) {
      const on = !OFF_THE_CLOCK.includes(status)
      expect(caseOverdue({ status, deadline: at(48) }, at(48)), status).toBe(false)
      expect(caseOverdue({ status, deadline: at(48) }, at(49)), status).toBe(on)
      expect(caseOverdue({ status, deadline: null }, at(1000)), status).toBe(false)
    }
    expect([...OFF_THE_CLOCK].sort()).toEqual(['CLOSED', 'REJECTED', 'RESOLVED', 'SUSPENDED', 'VERIFIED'])
  })

  it('should need level 1 once overdue, one more per further case SLA period, capped, each level once', () => {
    const c = { status: 'ACCEPTED' as const, createdAt: at(0), deadline: at(48) }
    expect(caseSupervisionDue(c, at(48), 0)).toBeNull()
    expect(caseSupervisionDue(c, at(49), 0)).toBe(1)
    expect(caseSupervisionDue(c, at(49), 1)).toBeNull()
    expect(caseSupervisionDue(c, at(97), 1)).toBe(2)
    expect(caseSupervisionDue(c, at(145), 0)).toBe(3)
    expect(caseSupervisionDue(c, at(10_000), 0)).toBe(MAX_SUPERVISION_LEVEL)
    expect(caseSupervisionDue(c, at(10_000), MAX_SUPERVISION_LEVEL)).toBeNull()
    expect(caseSupervisionDue({ ...c, status: 'SUSPENDED' }, at(49), 0)).toBeNull()
  })
})
