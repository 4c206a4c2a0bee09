// The reader checks a nested to-one row against its rule in memory (src/db/rule-check.ts), with
// the columns the rule reads selected in the parent's statement. That check must agree with
// PostgreSQL on every rule: for every model, and viewers of every role, the rows the in-memory
// test accepts are exactly those the rule as a `where` returns. A rule the check cannot fold is
// allowed (the reader then checks it with a statement) but listed, so that it is a choice.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { userWithRole } from '../../helpers/fixtures.js'
import { viewerForUser } from '../../../src/auth/claims.js'
import { policyModels, ruleFor } from '../../../src/auth/policy.js'
import type { RoleName, Viewer } from '../../../src/auth/viewer.js'
import { ruleCheck } from '../../../src/db/rule-check.js'
import { relationsOf } from '../../../src/db/reader.js'
import '../../../src/policies.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

type Delegate = { findMany(a: object): Promise<Record<string, unknown>[]> }
const ROLES: RoleName[] = [
  'STREET_OFFICER',
  'COMMUNITY_OFFICER',
  'GRID_WORKER',
  'DEPARTMENT_STAFF',
  'UNIT_CONTACT',
  'PARTY_MEMBER',
  'RESIDENT',
]

describe('rule checks folded into the parent statement', () => {
  it('should accept exactly the rows PostgreSQL returns for the rule, for every model and role', async () => {
    const viewers: [RoleName, Viewer][] = []
    for (const role of ROLES) {
      const user = await userWithRole(t.prisma, role, role === 'UNIT_CONTACT' ? { unitId: { not: null } } : {})
      viewers.push([role, await viewerForUser(t.prisma, user.id, [role])])
    }
    const unfolded = new Set<string>()
    let compared = 0
    for (const model of policyModels()) {
      const delegate = (t.prisma as unknown as Record<string, Delegate>)[
        model.charAt(0).toLowerCase() + model.slice(1)
      ]!
      for (const [role, viewer] of viewers) {
        const rule = ruleFor(model, viewer)
        if (rule === true) continue
        const check = ruleCheck(model, rule, relationsOf)
        if (!check) {
          unfolded.add(model)
          continue
        }
        const rows = await delegate.findMany({ select: check.select, take: 300, orderBy: { id: 'asc' } })
        const ids = rows.map((r) => r.id as string)
        const expected = (
          await delegate.findMany({ where: { AND: [{ id: { in: ids } }, rule] }, select: { id: true } })
        )
          .map((r) => r.id)
          .sort()
        const accepted = rows
          .filter((r) => check.test(r))
          .map((r) => r.id)
          .sort()
        expect(accepted, `${model} as ${role}`).toEqual(expected)
        if (rows.length) compared++
      }
    }
    expect(compared).toBeGreaterThan(50) // enough rows and rules compared, or the test proves little
    // every rule of this codebase folds today; a new operator or shape shows up here
    expect([...unfolded]).toEqual([])
  })
})
