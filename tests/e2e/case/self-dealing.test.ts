// Nobody verifies or rates their own work, and officers record satisfaction only for
// hotline cases (a resident who phoned in cannot rate through the app). Both would inflate the
// satisfaction figures that assessment uses.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, rowId, userWithRole } from '../../helpers/fixtures.js'
import { caseFactory, caseInput, MUTATIONS, workOrder } from '../../factories/cases.js'
import { answer } from '../../helpers/graphql.js'

let t: TestApp
let worker: string
let officer: string
let report: (source: 'PATROL' | 'HOTLINE', token: string) => Promise<ReturnType<typeof caseFactory>>

it.beforeAll(async ({ app }) => {
  t = app
  const assignment = await t.prisma.gridAssignment.findFirstOrThrow({
    where: { endedAt: null, user: { roles: { has: 'GRID_WORKER' } } },
    include: { user: true, grid: true },
    orderBy: { grid: { code: 'asc' } },
  })
  worker = await t.tokenFor(assignment.user.username, ['GRID_WORKER'])
  officer = await t.tokenFor(
    (await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: assignment.grid.communityId } })).username,
  )
  const input = await caseInput(t, {
    grid: assignment.grid.code,
    category: 'SANITATION',
    withGridId: true,
    title: '楼道堆物',
    description: '三单元楼道堆放纸箱',
  })
  /** A case reported by `token`, dispatched to the grid worker, worked to RESOLVED. */
  report = async (source, token) => {
    const flow = caseFactory(t, { reporter: token, officer })
    await flow.report({ ...input, source, ...(source === 'HOTLINE' ? { reporterName: '王女士' } : {}) })
    await flow.accept()
    await flow.dispatchTo([{ assigneeId: globalId('User', assignment.user.id), role: 'LEAD' }])
    await workOrder(t, worker, flow.case.orders[0]!)
    await flow.refresh()
    expect(flow.case.status).toBe('RESOLVED')
    return flow
  }
})

describe('self-dealing', () => {
  it('should refuse a grid worker verifying and rating the case they reported and handled, leaving it unchanged', async () => {
    const flow = await report('PATROL', worker)
    const verified = await answer(t, worker, MUTATIONS.verify, {
      id: flow.case.id,
      version: flow.case.version,
      passed: true,
    })
    expect(verified).toMatchObject({ __typename: 'Forbidden', message: expect.stringMatching(/own work/) })
    await flow.refresh()
    expect(flow.case.status).toBe('RESOLVED')

    await flow.verify(true, '社区核查') // the officer verifies
    const rated = await answer(t, worker, MUTATIONS.feedback, {
      id: flow.case.id,
      version: flow.case.version,
      satisfaction: 5,
    })
    expect(rated).toMatchObject({ __typename: 'Forbidden', message: expect.stringMatching(/own work/) })
    await flow.refresh()
    expect(flow.case.status).toBe('VERIFIED')
    expect(
      await t.prisma.caseFeedback.count({
        where: { caseId: rowId(flow.case.id) },
      }),
    ).toBe(0)
  })

  it('should let officers record satisfaction for hotline cases only', async () => {
    const patrol = await report('PATROL', worker)
    await patrol.verify(true, '社区核查')
    expect(
      await answer(t, officer, MUTATIONS.feedback, {
        id: patrol.case.id,
        version: patrol.case.version,
        satisfaction: 5,
      }),
    ).toMatchObject({ __typename: 'Forbidden' })

    const hotline = await report('HOTLINE', officer)
    await hotline.verify(true, '社区核查')
    await hotline.rate(officer, 4, '电话回访：满意')
    expect(hotline.case.status).toBe('CLOSED')
  })
})
