import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, rowId } from '../../helpers/fixtures.js'
import { AGREEMENT_MUTATIONS as M, agreementWorld } from '../../factories/agreements.js'
import { Failure, graphql, must } from '../../helpers/graphql.js'

let t: TestApp
let w: Awaited<ReturnType<typeof agreementWorld>>
it.beforeAll(async ({ app }) => {
  t = app
  w = await agreementWorld(t)
})

const CANCEL_PROJECT = graphql(
  `mutation($input: CancelProjectInput!) { cancelProject(input: $input) { __typename ...Failure ... on CancelProjectPayload { project { id status resources { id status } } } } }`,
  [Failure],
)

let serial = 0

/**
 * A unit of community A offers a resource, community B's approved claim on it brings it into a
 * project of B (for a need of B claimed by one of B's units), and the project ends as `end` says.
 */
async function usedAndReleased(end: (project: { id: string; version: number }) => Promise<unknown>) {
  const resource = await must(t, w.contactsA[0]!.token, M.offerResource, {
    title: `共享活动室${++serial}`,
    kind: 'VENUE',
  })
  const claimB = await must(t, w.officerB, M.claimResource, {
    resourceId: resource.id,
    communityId: globalId('Region', w.b.id),
  })
  await must(t, w.officerA, M.approveResourceClaim, { id: claimB.id, version: 0 })
  const need = await must(t, w.officerB, M.raiseNeed, {
    title: `议事会场地${serial}`,
    category: '场地需求',
    communityId: globalId('Region', w.b.id),
  })
  const needClaim = await must(t, w.contactsB[0]!.token, M.claimNeed, { needId: need.id })
  await must(t, w.officerB, M.approveNeedClaim, { id: needClaim.id, version: 0 })
  const project = await must(t, w.officerB, M.createProject, {
    needClaimId: needClaim.id,
    resourceIds: [resource.id],
    title: `居民议事会${serial}`,
  })
  expect(project.resources).toEqual([{ id: resource.id, status: 'IN_USE' }])
  await end(project)
  return { resource, claimB }
}

/** Community A claims the released resource and its officer approves the claim. */
async function claimedAgain(resourceId: string) {
  const claimA = await must(t, w.officerA, M.claimResource, {
    resourceId,
    communityId: globalId('Region', w.a.id),
  })
  return must(t, w.officerA, M.approveResourceClaim, { id: claimA.id, version: 0 })
}

describe('a resource released by its project', () => {
  it.each([
    {
      ending: 'completes',
      reason: /^项目已完成: /,
      end: (p: { id: string; version: number }) =>
        must(t, w.officerB, M.projectProgress, { id: p.id, version: p.version, progress: 100, note: '议事会已举办' }),
    },
    {
      ending: 'is cancelled',
      reason: /^项目已取消: /,
      end: (p: { id: string; version: number }) =>
        must(t, w.officerB, CANCEL_PROJECT, { id: p.id, version: p.version, reason: '场地改作他用' }),
    },
  ])(
    "should let another community's claim be approved once the project $ending, the used claim lapsing",
    async ({ reason, end }) => {
      const { resource, claimB } = await usedAndReleased(end)
      expect(await claimedAgain(resource.id)).toMatchObject({
        status: 'APPROVED',
        resource: { id: resource.id, status: 'CLAIMED' },
      })
      expect(await t.prisma.resourceClaim.findUniqueOrThrow({ where: { id: rowId(claimB.id) } })).toMatchObject({
        status: 'WITHDRAWN',
        approvedSlot: null,
        activeSlot: null,
        reason: expect.stringMatching(reason),
      })
    },
  )
})
