import { describe, expect } from 'vitest'
import { it, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, rowId } from '../../helpers/fixtures.js'
import { AGREEMENT_MUTATIONS as M, agreementWorld } from '../../factories/agreements.js'
import { answer, client, graphql, must, ofType, type PayloadObjectOf, type VariablesOf } from '../../helpers/graphql.js'

let t: TestApp
let w: Awaited<ReturnType<typeof agreementWorld>>
it.beforeAll(async ({ app }) => {
  t = app
  w = await agreementWorld(t)
})

let serial = 0
const raise = (extra: Partial<VariablesOf<typeof M.raiseNeed>['input']> = {}) =>
  must(t, w.officerA, M.raiseNeed, {
    title: `独居老人助餐${++serial}`,
    category: '助老服务',
    gridId: globalId('Grid', w.gridA.id),
    urgency: 'HIGH',
    beneficiaries: '12位独居老人',
    beneficiaryCount: 12,
    ...extra,
  })

describe('the three lists (三张清单)', () => {
  describe('a need from claim to a completed project: claimed, approved, linked with a resource and progressed to 100 %', () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    story()
    let need: Awaited<ReturnType<typeof raise>>
    let claim: PayloadObjectOf<typeof M.claimNeed>
    let resource: PayloadObjectOf<typeof M.offerResource>
    let project: PayloadObjectOf<typeof M.createProject>

    it('should publish a raised need to residents', async () => {
      need = await raise()
      expect(need).toMatchObject({ status: 'OPEN', version: 0 })
      const pub = await client(t, w.resident).must(
        graphql(
          `{ needs(first: 100, filter: { status: [OPEN] }) { edges { node { id title status grid { code } } } } }`,
        ),
      )
      expect(pub.needs.edges.map((e) => e.node.id)).toContain(need.id)
    })

    it("should let a unit claim the need and only the need's community officer approve the claim", async () => {
      const [u1] = w.contactsA
      claim = await must(t, u1!.token, M.claimNeed, { needId: need.id, note: '我单位党员志愿者承接' })
      expect(claim).toMatchObject({ status: 'PENDING', version: 0, unit: { id: u1!.unitGid } })
      expect(await answer(t, u1!.token, M.approveNeedClaim, { id: claim.id, version: 0 })).toMatchObject({
        __typename: 'Forbidden',
        code: 'auth/forbidden',
      })
      expect(await answer(t, w.officerB, M.approveNeedClaim, { id: claim.id, version: 0 })).toMatchObject({
        __typename: 'NotFound',
      })
      const approved = await must(t, w.officerA, M.approveNeedClaim, { id: claim.id, version: 0 })
      expect(approved).toMatchObject({ status: 'APPROVED', version: 1 })
      expect(await t.prisma.needItem.findUniqueOrThrow({ where: { id: rowId(need.id) } })).toMatchObject({
        status: 'CLAIMED',
        version: 1,
      })
    })

    it('should start a project linking the claimed need and an offered resource, putting both in use', async () => {
      const [u1] = w.contactsA
      resource = await must(t, u1!.token, M.offerResource, {
        title: '职工食堂',
        kind: 'VENUE',
        capacity: '50人就餐',
        availability: '工作日午间',
      })
      expect(resource).toMatchObject({ status: 'AVAILABLE', unit: { id: u1!.unitGid } })
      project = await must(t, w.officerA, M.createProject, {
        needClaimId: claim.id,
        resourceIds: [resource.id],
        title: '爱心助餐项目',
        leadName: '陈社工',
        milestones: [{ title: '确定就餐名单' }, { title: '开餐' }],
      })
      expect(project).toMatchObject({
        status: 'PLANNED',
        progress: 0,
        version: 0,
        need: { id: need.id, status: 'IN_PROGRESS' },
        resources: [{ id: resource.id, status: 'IN_USE' }],
      })
    })

    it('should let the contributing unit record progress and the officer complete a milestone, but not an unrelated unit', async () => {
      const [u1] = w.contactsA
      project = await must(t, u1!.token, M.projectProgress, {
        id: project.id,
        version: 0,
        progress: 40,
        note: '完成名单摸排',
      })
      expect(project).toMatchObject({ status: 'IN_PROGRESS', progress: 40, version: 1 })
      project = await must(t, w.officerA, M.completeMilestone, { milestoneId: project.milestones[0]!.id, version: 1 })
      expect(project).toMatchObject({ status: 'IN_PROGRESS', progress: 50, version: 2 })
      expect(
        await answer(t, w.contactsA[1]!.token, M.projectProgress, {
          id: project.id,
          version: 2,
          progress: 60,
          note: '无关单位',
        }),
      ).toMatchObject({ __typename: 'NotFound' })
    })

    it('should complete the project at 100 %, finish the need, free the resource and refuse going back', async () => {
      const [u1] = w.contactsA
      project = await must(t, u1!.token, M.projectProgress, {
        id: project.id,
        version: 2,
        progress: 100,
        note: '助餐点正式开餐',
      })
      expect(project).toMatchObject({
        status: 'COMPLETED',
        progress: 100,
        version: 3,
        need: { status: 'DONE' },
        resources: [{ status: 'AVAILABLE' }],
      })
      expect(project.entries.map((e) => e.progress)).toEqual([0, 40, 50, 100])
      expect(
        await answer(t, w.officerA, M.projectProgress, { id: project.id, version: 3, progress: 90, note: '回退' }),
      ).toMatchObject({ __typename: 'InvalidTransition', from: 'COMPLETED' })
    })

    it("should list the completed project among the unit's projects", async () => {
      const [u1] = w.contactsA
      const listed = await client(t, u1!.token).must(
        graphql(
          `query($u: ID!) { projects(first: 50, filter: { unitId: $u, status: [COMPLETED] }) { edges { node { id progress } } } }`,
        ),
        { u: u1!.unitGid },
      )
      expect(listed.projects.edges).toContainEqual({ node: { id: project.id, progress: 100 } })
    })
  })

  it('should never approve two claims on one need, even when two units claim and the officer approves both at once', async () => {
    const [u1, u2] = w.contactsA
    for (let round = 0; round < 3; round++) {
      const need = await raise()
      const claims = await Promise.all([u1!, u2!].map((u) => answer(t, u.token, M.claimNeed, { needId: need.id })))
      expect(claims.map((c) => c.__typename)).toEqual(['ClaimNeedPayload', 'ClaimNeedPayload'])
      const decisions = await Promise.all(
        claims.map((c) =>
          answer(t, w.officerA, M.approveNeedClaim, { id: ofType(c, 'ClaimNeedPayload').claim.id, version: 0 }),
        ),
      )
      const kinds = decisions.map((d) => d.__typename)
      expect(kinds.filter((k) => k === 'ApproveNeedClaimPayload')).toHaveLength(1)
      expect(kinds.find((k) => k !== 'ApproveNeedClaimPayload')).toMatch(/^(StaleVersion|InvalidTransition|Conflict)$/)
      const rows = await t.prisma.needClaim.findMany({ where: { needId: rowId(need.id) }, orderBy: { status: 'asc' } })
      expect(rows.map((r) => r.status).sort()).toEqual(['APPROVED', 'REJECTED'])
      expect(rows.find((r) => r.status === 'REJECTED')!.reason).toMatch(/another claim was approved/)
      expect(await t.prisma.needItem.findUniqueOrThrow({ where: { id: rowId(need.id) } })).toMatchObject({
        status: 'CLAIMED',
        version: 1,
      })
    }
  })

  it('should give one unit one live claim per need, the second a Conflict', async () => {
    const need = await raise()
    const answers = await Promise.all(
      [1, 2, 3].map(() => answer(t, w.contactsA[0]!.token, M.claimNeed, { needId: need.id })),
    )
    expect(answers.map((a) => a.__typename).sort()).toEqual(['ClaimNeedPayload', 'Conflict', 'Conflict'])
    expect(await t.prisma.needClaim.count({ where: { needId: rowId(need.id) } })).toBe(1)
  })

  it("should let a community claim another community's unit resource, approved by that community's officer", async () => {
    const resource = await must(t, w.contactsA[0]!.token, M.offerResource, {
      title: '多功能会议室',
      kind: 'VENUE',
      capacity: '80个座位',
    })
    const claim = await must(t, w.officerB, M.claimResource, {
      resourceId: resource.id,
      communityId: globalId('Region', w.b.id),
      note: '用于居民议事会',
    })
    expect(claim).toMatchObject({ status: 'PENDING' })
    expect(await answer(t, w.officerB, M.approveResourceClaim, { id: claim.id, version: 0 })).toMatchObject({
      __typename: 'Forbidden',
    })
    const approved = await must(t, w.officerA, M.approveResourceClaim, { id: claim.id, version: 0 })
    expect(approved).toMatchObject({ status: 'APPROVED', resource: { id: resource.id, status: 'CLAIMED' } })
    expect(
      await answer(t, w.officerB, M.claimResource, {
        resourceId: resource.id,
        communityId: globalId('Region', w.b.id),
      }),
    ).toMatchObject({ __typename: 'InvalidTransition', from: 'CLAIMED' })
  })

  it('should let an approved claim lapse with its need or resource when that is withdrawn, freeing the approved slot', async () => {
    const need = await raise()
    const claim = await must(t, w.contactsA[0]!.token, M.claimNeed, { needId: need.id })
    const pending = await must(t, w.contactsA[1]!.token, M.claimNeed, { needId: need.id })
    await must(t, w.officerA, M.approveNeedClaim, { id: claim.id, version: 0 })
    const claimed = await client(t, w.officerA).must(
      graphql(`query($id: ID!) { node(id: $id) { ... on NeedItem { version } } }`),
      {
        id: need.id,
      },
    )
    await must(t, w.officerA, M.withdrawNeed, {
      id: need.id,
      version: ofType(claimed.node, 'NeedItem').version,
      reason: '需求已由民政解决',
    })
    const rows = await t.prisma.needClaim.findMany({ where: { needId: rowId(need.id) }, orderBy: { createdAt: 'asc' } })
    expect(rows.map((r) => [r.id, r.status, r.approvedSlot, r.activeSlot, r.reason])).toEqual([
      [rowId(claim.id), 'WITHDRAWN', null, null, '需求已撤回: 需求已由民政解决'],
      [rowId(pending.id), 'REJECTED', null, null, '已由其他认领方认领 (another claim was approved)'],
    ])

    const resource = await must(t, w.contactsA[0]!.token, M.offerResource, { title: '活动室', kind: 'VENUE' })
    const rc = await must(t, w.officerB, M.claimResource, {
      resourceId: resource.id,
      communityId: globalId('Region', w.b.id),
    })
    await must(t, w.officerA, M.approveResourceClaim, { id: rc.id, version: 0 })
    const held = await client(t, w.officerA).must(
      graphql(`query($id: ID!) { node(id: $id) { ... on ResourceItem { version } } }`),
      { id: resource.id },
    )
    await must(t, w.contactsA[0]!.token, M.withdrawResource, {
      id: resource.id,
      version: ofType(held.node, 'ResourceItem').version,
      reason: '场地装修',
    })
    expect(await t.prisma.resourceClaim.findUniqueOrThrow({ where: { id: rowId(rc.id) } })).toMatchObject({
      status: 'WITHDRAWN',
      approvedSlot: null,
      reason: '资源已撤回: 场地装修',
    })
  })

  it('should hide withdrawn needs from residents and refuse residents raising needs', async () => {
    const need = await raise()
    await must(t, w.officerA, M.withdrawNeed, { id: need.id, version: 0, reason: '需求已由民政解决' })
    const { node } = await client(t, w.resident)
      .query(graphql(`query($id: ID!) { node(id: $id) { ... on NeedItem { id } } }`), { id: need.id })
      .then((r) => r.data ?? { node: null })
    expect(node ?? null).toBeNull()
    const seen = await client(t, w.officerA).must(
      graphql(`query($id: ID!) { node(id: $id) { ... on NeedItem { status } } }`),
      {
        id: need.id,
      },
    )
    expect(seen.node).toEqual({ status: 'WITHDRAWN' })
    const res = await answer(t, w.resident, M.raiseNeed, {
      title: '居民自提',
      category: '助老服务',
      communityId: globalId('Region', w.a.id),
    })
    expect(res).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
  })

  it('should give the street officer an overview of agreement coverage and the three lists per community', async () => {
    const Q =
      graphql(`query($r: ID) { jointConstructionOverview(regionId: $r) { unitsInArea unitsCovered coverage region { level }
      communities { community { id } unitsInArea unitsCovered coverage needs { status count } projects { status count } } } }`)
    const { jointConstructionOverview: o } = await client(t, w.street).must(Q)
    expect(o.region.level).toBe('STREET')
    expect(o.communities).toHaveLength(3)
    expect(o.unitsInArea).toBe(await t.prisma.residentUnit.count({ where: { community: { parentId: w.a.parentId! } } }))
    const covered = await t.prisma.residentUnit.count({
      where: {
        community: { parentId: w.a.parentId! },
        agreementParties: { some: { agreement: { status: { in: ['ACTIVE', 'SIGNED'] } } } },
      },
    })
    expect(o.unitsCovered).toBe(covered)
    expect(o.coverage).toBeCloseTo(covered / o.unitsInArea, 6)
    const a = o.communities.find((c) => c.community.id === globalId('Region', w.a.id))!
    const open = await t.prisma.needItem.count({ where: { communityId: w.a.id, status: 'OPEN' } })
    expect(a.needs.find((n) => n.status === 'OPEN')!.count).toBe(open)
    const refused = await client(t, w.officerA).query(Q, { r: globalId('Region', w.a.parentId!) })
    expect(refused.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
  })
})
