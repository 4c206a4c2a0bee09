import { describe, expect } from 'vitest'
import { it, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import {
  PARTY_MUTATIONS,
  partyWorld,
  registerMember,
  reportFactory,
  rowId,
  serviceItem,
} from '../../factories/party.js'
import { answer, client, collect, graphql, ofType, wsClient } from '../../helpers/graphql.js'

let t: TestApp
let world: Awaited<ReturnType<typeof partyWorld>>
it.beforeAll(async ({ app }) => {
  t = app
  world = await partyWorld(t)
})

const CARD = graphql(
  `query($id: ID!) { node(id: $id) { ... on Grid { publicCard { partyMembers { name role commitments phone } } } } }`,
)

/** A seeded member account whose member lives in community A and has no active report. */
async function unreportedMemberAccount() {
  const member = await t.prisma.partyMember.findFirstOrThrow({
    where: { userId: { not: null }, homeCommunityId: world.a.id, reports: { none: { activeSlot: true } } },
    include: { user: true },
  })
  return { member, token: await t.tokenFor(member.user!.username) }
}

describe('dual reporting (双报到)', () => {
  describe("a member's report from submission to the grid card: refused by another community's officer, approved by the right one", () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    const s = story(async () => {
      const { member, token } = await unreportedMemberAccount()
      const grid = world.a.grids[1] ?? world.gridA
      const cardOf = async (viewer: string) =>
        ofType((await client(t.url, viewer).must(CARD, { id: globalId('Grid', grid.id) })).node, 'Grid').publicCard
          .partyMembers
      const resident = await t.tokenFor((await userWithRole(t.prisma, 'RESIDENT')).username, ['RESIDENT'])
      const flow = reportFactory(t, { reporter: token, officer: world.officerA })
      return { member, grid, cardOf, resident, flow }
    })

    it('should not show a member without a report on the grid card', async () => {
      const { cardOf, resident, member } = s
      expect((await cardOf(resident)).map((m) => m.name)).not.toContain(member.name)
    })

    it("should take the member's report with its commitments, in the member's community", async () => {
      const { flow, member } = s
      await flow.submit({
        commitments: [
          { itemId: await serviceItem(t, 'LEGAL_AID'), hoursPerYear: 12 },
          { title: '每月一次楼道清扫', hoursPerYear: 6 },
        ],
      })
      expect(flow.report).toMatchObject({
        status: 'SUBMITTED',
        version: 0,
        community: { id: globalId('Region', world.a.id) },
        member: { name: member.name },
      })
      expect(flow.report.commitments.map((c) => c.title)).toEqual(['法律咨询', '每月一次楼道清扫'])
    })

    it('should refuse approval by an officer of another community, who may not read the report, into either grid, leaving it submitted', async () => {
      const { flow, grid } = s
      const wrong = await answer(t, world.officerB, PARTY_MUTATIONS.approve, {
        id: flow.report.id,
        version: 0,
        gridId: globalId('Grid', world.gridB.id),
      })
      // the report is not theirs to read: NotFound, as for one that does not exist
      expect(wrong).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
      const alsoWrong = await answer(t, world.officerB, PARTY_MUTATIONS.approve, {
        id: flow.report.id,
        version: 0,
        gridId: globalId('Grid', grid.id),
      })
      expect(alsoWrong.__typename).toBe('NotFound')
      expect(await t.prisma.dualReport.findUniqueOrThrow({ where: { id: rowId(flow.report.id) } })).toMatchObject({
        status: 'SUBMITTED',
        version: 0,
      })
    })

    it("should approve the report into a grid of the officer's community, with a branch, a service role and its timeline", async () => {
      const { flow, grid, member } = s
      await flow.approve(globalId('Grid', grid.id), { serviceRole: '楼栋党员联络员' })
      expect(flow.report).toMatchObject({
        status: 'APPROVED',
        version: 1,
        grid: { code: grid.code },
        serviceRole: '楼栋党员联络员',
      })
      expect(flow.report.branch?.name).toContain('党支部')
      expect(flow.report.timeline.map((e) => `${e.action}:${e.toStatus}`)).toEqual([
        'SUBMIT:SUBMITTED',
        'APPROVE:APPROVED',
      ])
      expect(flow.report.timeline[0]?.actor?.username).toBe(member.user!.username)
    })

    it('should show the approved member on the grid card, phone masked for residents and whole for the officer', async () => {
      const { cardOf, resident, member } = s
      const card = await cardOf(resident)
      const shown = card.find((m) => m.name === member.name)
      expect(shown).toMatchObject({ role: '楼栋党员联络员', commitments: ['法律咨询', '每月一次楼道清扫'] })
      expect(shown!.phone).toMatch(/^1\d{2}\*{4}\d{4}$/)
      expect(shown!.phone).toBe(`${member.phone!.slice(0, 3)}****${member.phone!.slice(-4)}`)
      const forOfficer = (await cardOf(world.officerA)).find((m) => m.name === member.name)
      expect(forOfficer!.phone).toBe(member.phone)
    })
  })

  it('should refuse a second active report for the same member and community with ActiveReportExists, until the first one ends', async () => {
    const m = await registerMember(t, world.officerA, world.buildingA.id)
    const first = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
    await first.submit({ memberId: m.id, commitments: [{ title: '助老探访', hoursPerYear: 10 }] })

    const again = await answer(t, world.officerA, PARTY_MUTATIONS.submit, { kind: 'MEMBER', memberId: m.id })
    expect(again).toMatchObject({
      __typename: 'ActiveReportExists',
      code: 'party/active-report-exists',
      existingReportId: first.report.id,
    })

    await first.approve(globalId('Grid', world.gridA.id))
    const whileApproved = await answer(t, world.officerA, PARTY_MUTATIONS.submit, {
      kind: 'MEMBER',
      memberId: m.id,
      communityId: globalId('Region', world.a.id),
    })
    expect(whileApproved.__typename).toBe('ActiveReportExists')

    await first.withdraw(world.officerA, '工作调动')
    expect(first.report).toMatchObject({ status: 'WITHDRAWN', reason: '工作调动' })
    const fresh = await answer(t, world.officerA, PARTY_MUTATIONS.submit, { kind: 'MEMBER', memberId: m.id })
    expect(fresh.__typename).toBe('SubmitDualReportPayload')
    expect(await t.prisma.dualReport.count({ where: { memberId: rowId(m.id), activeSlot: true } })).toBe(1)
  })

  it('should give exactly one of concurrent submissions for one member the report, and the others ActiveReportExists', async () => {
    const m = await registerMember(t, world.officerA, world.buildingA.id)
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        answer(t, world.officerA, PARTY_MUTATIONS.submit, { kind: 'MEMBER', memberId: m.id }),
      ),
    )
    const kinds = answers.map((a) => a.__typename).sort()
    expect(kinds.filter((k) => k === 'SubmitDualReportPayload')).toHaveLength(1)
    expect(kinds.filter((k) => k === 'ActiveReportExists')).toHaveLength(7)
    expect(await t.prisma.dualReport.count({ where: { memberId: rowId(m.id) } })).toBe(1)
  })

  it('should send a report back with a reason, and refuse steps its state or the caller does not allow', async () => {
    const m = await registerMember(t, world.officerA, world.buildingA.id)
    const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
    await flow.submit({ memberId: m.id })
    const noReason = await answer(t, world.officerA, PARTY_MUTATIONS.reject, {
      id: flow.report.id,
      version: 0,
      reason: ' ',
    })
    expect(noReason.__typename).toBe('ValidationFailed')
    await flow.reject('请到实际居住社区报到')
    expect(flow.report).toMatchObject({ status: 'REJECTED', version: 1, reason: '请到实际居住社区报到' })

    const approveRejected = await answer(t, world.officerA, PARTY_MUTATIONS.approve, {
      id: flow.report.id,
      version: 1,
      gridId: globalId('Grid', world.gridA.id),
    })
    expect(approveRejected).toMatchObject({ __typename: 'InvalidTransition', from: 'REJECTED', action: 'APPROVE' })
    const stale = await answer(t, world.officerA, PARTY_MUTATIONS.withdraw, { id: flow.report.id, version: 0 })
    expect(stale).toMatchObject({ __typename: 'StaleVersion', expectedVersion: 0, actualVersion: 1 })
    const street = await t.tokenFor('street.officer')
    const byStreet = await answer(t, street, PARTY_MUTATIONS.withdraw, { id: flow.report.id, version: 1 })
    expect(byStreet.__typename).toBe('Forbidden')

    const other = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
    await other.submit({ memberId: (await registerMember(t, world.officerA, world.buildingA.id)).id })
    const gridElsewhere = await answer(t, world.officerA, PARTY_MUTATIONS.approve, {
      id: other.report.id,
      version: 0,
      gridId: globalId('Grid', world.gridB.id),
    })
    expect(gridElsewhere).toMatchObject({ __typename: 'ValidationFailed' })

    // every id is declared with its type: an id of another type is the typed ValidationFailed, nothing changes
    const regionAsGrid = await answer(t, world.officerA, PARTY_MUTATIONS.approve, {
      id: other.report.id,
      version: 0,
      gridId: globalId('Region', world.a.id),
    })
    expect(regionAsGrid).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
    const gridAsReport = await answer(t, world.officerA, PARTY_MUTATIONS.approve, {
      id: globalId('Grid', world.gridA.id),
      version: 0,
      gridId: globalId('Grid', world.gridA.id),
    })
    expect(gridAsReport).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
    expect(await t.prisma.dualReport.findUniqueOrThrow({ where: { id: rowId(other.report.id) } })).toMatchObject({
      status: 'SUBMITTED',
      version: 0,
    })
    // in a query's filter it is a top-level error
    const byRegionAsGrid = await client(t.url, world.officerA).query(
      graphql(`query($g: ID!) { dualReports(first: 5, filter: { gridId: $g }) { edges { node { id } } } }`),
      { g: globalId('Region', world.a.id) },
    )
    expect(byRegionAsGrid.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
  })

  it("should transfer an approved report when the member moves house, carrying this year's pledges to the new community", async () => {
    const m = await registerMember(t, world.officerA, world.buildingA.id)
    const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
    await flow.submit({
      memberId: m.id,
      commitments: [{ itemId: await serviceItem(t, 'ELDER_CARE'), hoursPerYear: 20 }],
    })
    await flow.approve(globalId('Grid', world.gridA.id))
    const oldId = flow.report.id

    const cannot = await answer(t, world.officerB, PARTY_MUTATIONS.transfer, {
      id: oldId,
      version: 1,
      homeBuildingId: globalId('Building', world.buildingB.id),
    })
    expect(cannot.__typename).toBe('NotFound')
    await flow.transfer(globalId('Building', world.buildingB.id), world.officerA)
    expect(flow.report).toMatchObject({
      status: 'SUBMITTED',
      version: 0,
      community: { id: globalId('Region', world.b.id) },
      transferredFrom: { id: oldId, status: 'TRANSFERRED' },
    })
    expect(flow.report.commitments.map((c) => [c.title, c.hoursPerYear])).toEqual([['助老敬老服务', 20]])

    const old = await t.prisma.dualReport.findUniqueOrThrow({ where: { id: rowId(oldId) } })
    expect(old).toMatchObject({ status: 'TRANSFERRED', version: 2, activeSlot: null })
    expect((await t.prisma.partyMember.findUniqueOrThrow({ where: { id: rowId(m.id) } })).homeCommunityId).toBe(
      world.b.id,
    )

    const approved = await answer(t, world.officerB, PARTY_MUTATIONS.approve, {
      id: flow.report.id,
      version: 0,
      gridId: globalId('Grid', world.gridB.id),
    })
    expect(approved.__typename).toBe('ApproveDualReportPayload')
    expect(ofType(approved, 'ApproveDualReportPayload').report.transferredFrom).toBeNull() // the old report lies in community A, outside officer B's region
    // officer A submitted the new report (the transfer), so reads it; B's other officers' reports stay hidden
    const viaA = await client(t.url, world.officerA).must(
      graphql(
        `query($id: ID!) { node(id: $id) { ... on DualReport { status timeline { action note } transferredTo { status community { name } } } } }`,
      ),
      { id: oldId },
    )
    expect(viaA.node).toMatchObject({
      status: 'TRANSFERRED',
      transferredTo: { status: 'APPROVED', community: { name: world.b.name } },
    })
    const viaANode = ofType(viaA.node, 'DualReport')
    expect(viaANode.timeline.map((e) => e.action)).toEqual(['SUBMIT', 'APPROVE', 'TRANSFER'])
    expect(viaANode.timeline[2]!.note).toBe(`→ ${world.b.name}`)
  })

  it('should push reports live to the officers of their community and to the member, and to nobody else', async () => {
    const report = await t.prisma.dualReport.findFirstOrThrow({
      where: { status: 'APPROVED', communityId: world.a.id, member: { userId: { not: null } } },
      include: { member: { include: { user: true } } },
    })
    const member = report.member!
    const token = await t.tokenFor(member.user!.username)
    const sockets = [wsClient(t.wsUrl, world.officerA), wsClient(t.wsUrl, world.officerB), wsClient(t.wsUrl, token)]
    const Q = graphql(
      `subscription($regionId: ID) { dualReportUpdated(regionId: $regionId) { id status member { name } } }`,
    )
    const [forA, forB, forMember] = [
      collect(sockets[0]!, Q, { regionId: globalId('Region', world.a.id) }),
      collect(sockets[1]!, Q, { regionId: globalId('Region', world.b.id) }),
      collect(sockets[2]!, Q),
    ]
    await Promise.all([
      t.pubsub.whenSubscribed('party:report', `region:${world.a.id}`),
      t.pubsub.whenSubscribed('party:report', `region:${world.b.id}`),
      t.pubsub.whenSubscribed('party:report', `user:${member.userId}`),
    ])
    const notMine = collect(sockets[1]!, Q, { regionId: globalId('Region', world.a.id) })
    const [refused] = await notMine.next(1)
    expect(JSON.stringify(refused!.errors)).toMatch(/own region/)

    // the member withdraws their own approved report (self-service)
    const withdrawn = await answer(t, token, PARTY_MUTATIONS.withdraw, {
      id: globalId('DualReport', report.id),
      version: report.version,
      reason: '工作太忙',
    })
    expect(withdrawn.__typename).toBe('WithdrawDualReportPayload')
    const other = await registerMember(t, world.officerA, world.buildingA.id)
    const othersReport = await reportFactory(t, { reporter: world.officerA, officer: world.officerA }).submit({
      memberId: other.id,
    })
    const again = await reportFactory(t, { reporter: token, officer: world.officerA }).submit({})

    const seenByA = await forA.next(3)
    expect(seenByA.map((i) => `${i.data?.dualReportUpdated.member?.name}:${i.data?.dualReportUpdated.status}`)).toEqual(
      [`${member.name}:WITHDRAWN`, `${other.name}:SUBMITTED`, `${member.name}:SUBMITTED`],
    )
    const seenByMember = await forMember.next(2)
    expect(seenByMember.map((i) => i.data?.dualReportUpdated)).toEqual([
      { id: globalId('DualReport', report.id), status: 'WITHDRAWN', member: { name: member.name } },
      { id: again.report.id, status: 'SUBMITTED', member: { name: member.name } },
    ])
    expect(othersReport.report.id).not.toBe(again.report.id)

    // a report in community B is the barrier: it must be the first thing B's officer ever sees
    const inB = await registerMember(t, world.officerB, world.buildingB.id)
    await reportFactory(t, { reporter: world.officerB, officer: world.officerB }).submit({ memberId: inB.id })
    const [firstForB] = await forB.next(1)
    expect(firstForB!.data?.dualReportUpdated.member?.name).toBe(inB.name)
    expect(forA.items).toHaveLength(3)
    expect(forMember.items).toHaveLength(2)
    for (const f of [forA, forB, forMember, notMine]) f.dispose()
    await Promise.all(sockets.map((s) => s.dispose()))
  })
})
