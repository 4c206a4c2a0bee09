import { beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { rowId } from '../../factories/party.js'
import {
  activeAgreement,
  AGREEMENT_MUTATIONS as M,
  agreementWorld,
  draftAgreement,
} from '../../factories/agreements.js'
import {
  answer,
  client,
  collect,
  expectAnsweredAsMissing,
  graphql,
  must,
  NO_SUCH_ID,
  ofType,
  type PayloadObjectOf,
  wsClient,
} from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
let w: Awaited<ReturnType<typeof agreementWorld>>
it.beforeAll(async ({ app }) => {
  t = app
  w = await agreementWorld(t)
})

let serial = 0
const raise = () =>
  must(t, w.officerA, M.raiseNeed, {
    title: `社区助老需求${++serial}`,
    category: '助老服务',
    gridId: globalId('Grid', w.gridA.id),
  })
const year = new Date().getUTCFullYear()
const ITEM_PROJECTS = graphql(`query($id: ID!) { node(id: $id) { ... on AgreementItem { projects { id } } } }`)
const PROJECT_RESOURCES = graphql(`query($id: ID!) { node(id: $id) { ... on Project { resources { id } } } }`)
const PROJECT_IDS = graphql(`{ projects(first: 100) { edges { node { id } } } }`)
const projectIds = async (token: string) =>
  (await client(t, token).must(PROJECT_IDS)).projects.edges.map((e) => e.node.id)

describe('row-level access on projects, claims and the live agreement feed', () => {
  it("should keep a party unit away from the project of an item another unit is responsible for, and share a common item's project", async () => {
    const [u1, u2] = w.contactsA
    const shared = await activeAgreement(t, w.officerA, w.orgA, [u1!, u2!])
    const own = shared.items.find((i: { unit: { id: string } | null }) => i.unit?.id === u1!.unitGid)!
    const common = shared.items.find((i: { unit: unknown }) => i.unit === null)!

    const venue = await must(t, u1!.token, M.offerResource, { title: '党员活动室', kind: 'VENUE' })
    const mine = await must(t, w.officerA, M.createProject, {
      agreementItemId: own.id,
      resourceIds: [venue.id],
      title: '结对帮扶项目',
    })
    expect(
      await answer(t, u2!.token, M.projectProgress, { id: mine.id, version: 0, progress: 10, note: '越权填报' }),
    ).toMatchObject({ __typename: 'NotFound' })
    expect(await projectIds(u2!.token)).not.toContain(mine.id)
    expect(
      ofType((await client(t, u2!.token).must(ITEM_PROJECTS, { id: own.id })).node, 'AgreementItem').projects,
    ).toEqual([])
    expect(
      ofType((await client(t, u1!.token).must(ITEM_PROJECTS, { id: own.id })).node, 'AgreementItem').projects,
    ).toEqual([{ id: mine.id }])
    expect(
      await must(t, u1!.token, M.projectProgress, { id: mine.id, version: 0, progress: 10, note: '完成首次走访' }),
    ).toMatchObject({ progress: 10, version: 1 })

    // an item common to all units: every party contributes, and sees only the resources it may read
    const funds = await must(t, u2!.token, M.offerResource, {
      title: '共建活动经费',
      kind: 'FUNDS',
      capacity: '¥20,000',
    })
    const joint = await must(t, w.officerA, M.createProject, {
      agreementItemId: common.id,
      resourceIds: [funds.id],
      title: '资源共享项目',
    })
    expect(await projectIds(u1!.token)).toContain(joint.id)
    await must(t, u1!.token, M.projectProgress, { id: joint.id, version: 0, progress: 100, note: '经费使用完毕' })
    const released = await t.prisma.resourceItem.findUniqueOrThrow({ where: { id: rowId(funds.id) } })
    expect(released.status).toBe('AVAILABLE')
    await must(t, u2!.token, M.withdrawResource, { id: funds.id, version: released.version, reason: '年度经费已用完' })
    expect(
      ofType((await client(t, u1!.token).must(PROJECT_RESOURCES, { id: joint.id })).node, 'Project').resources,
    ).toEqual([])
    expect(
      ofType((await client(t, w.officerA).must(PROJECT_RESOURCES, { id: joint.id })).node, 'Project').resources,
    ).toEqual([{ id: funds.id }])
  })

  it('should show a unit only its own claims on a need and its officer all of them', async () => {
    const [u1, u2] = w.contactsA
    const need = await raise()
    const c1 = await must(t, u1!.token, M.claimNeed, { needId: need.id })
    const c2 = await must(t, u2!.token, M.claimNeed, { needId: need.id })
    const Q = graphql(`query($id: ID!) { node(id: $id) { ... on NeedItem { claims { id } } } }`)
    expect(ofType((await client(t, u2!.token).must(Q, { id: need.id })).node, 'NeedItem').claims).toEqual([
      { id: c2.id },
    ])
    expect(ofType((await client(t, w.resident).must(Q, { id: need.id })).node, 'NeedItem').claims).toEqual([])
    expect(ofType((await client(t, w.officerA).must(Q, { id: need.id })).node, 'NeedItem').claims).toEqual([
      { id: c1.id },
      { id: c2.id },
    ])
  })

  it("should push a street agreement to the officers of every party unit's community, and drop events the viewer may not read", async () => {
    const SUB = graphql(`subscription($regionId: ID) { agreementUpdated(regionId: $regionId) { id status version } }`)
    const socket = wsClient(t.wsUrl, w.officerB)
    const sub = collect(socket, SUB, { regionId: globalId('Region', w.b.id) })
    await t.pubsub.whenSubscribed('agreement:updated', `region:${w.b.id}`)

    // an agreement of community A alone: not for B's officer, even if an event reaches the topic
    const aOnly = await draftAgreement(t, w.officerA, w.orgA, [w.contactsA[0]!])
    t.pubsub.publish('agreement:updated', `region:${w.b.id}`, { id: rowId(aOnly.id) })

    const street = await draftAgreement(t, w.street, w.streetOrg, [w.contactsA[0]!, w.contactsB[0]!])
    const [first] = await sub.next(1)
    expect(first).toMatchObject({ data: { agreementUpdated: { id: street.id, status: 'DRAFT', version: 0 } } })
    expect(first!.errors).toBeUndefined()
    sub.dispose()
    await socket.dispose()
  })
})

describe('rows out of reach', () => {
  it("should answer a need raised in another community's grid as one in no grid, and raise nothing", async () => {
    const needs = await t.prisma.needItem.count()
    const raiseIn = (gridId: string) =>
      answer(t, w.officerA, M.raiseNeed, { title: '越界需求', category: '助老服务', gridId })
    const hidden = await raiseIn(globalId('Grid', w.b.grids[0]!.id))
    expect(hidden).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
    expectAnsweredAsMissing(hidden, await raiseIn(globalId('Grid', NO_SUCH_ID)), [w.b.id, w.b.name])
    expect(await t.prisma.needItem.count()).toBe(needs)
  })

  it("should answer a project naming another community's withdrawn resource as one naming no resource, and start nothing", async () => {
    const street = await activeAgreement(t, w.street, w.streetOrg, [w.contactsA[0]!, w.contactsB[0]!])
    const common = street.items.find((i: { unit: unknown }) => i.unit === null)!
    const offered = await must(t, w.contactsB[0]!.token, M.offerResource, { title: '会议室', kind: 'VENUE' })
    await must(t, w.contactsB[0]!.token, M.withdrawResource, {
      id: offered.id,
      version: offered.version,
      reason: '场地改作他用',
    })
    const projects = await t.prisma.project.count()
    const startWith = (resourceId: string) =>
      answer(t, w.officerA, M.createProject, {
        agreementItemId: common.id,
        communityId: globalId('Region', w.a.id),
        resourceIds: [resourceId],
        title: '共享会议室',
      })
    const hidden = await startWith(offered.id)
    expect(hidden).toMatchObject({ __typename: 'ValidationFailed' })
    expectAnsweredAsMissing(hidden, await startWith(globalId('ResourceItem', NO_SUCH_ID)), ['WITHDRAWN'])
    expect(await t.prisma.project.count()).toBe(projects)
  })
})

describe('bad input (ValidationFailed, nothing changed)', () => {
  // in a mutation, the typed ValidationFailed member; in a query, a top-level error
  const invalid = { __typename: 'ValidationFailed', code: 'common/validation-failed' }
  const BY_UNIT = graphql(
    `query($u: ID!) { jointAgreements(first: 5, filter: { unitId: $u }) { edges { node { id } } } }`,
  )
  // Built once: a resource offered by a unit of community A, whose id the steps pass where it does not belong.
  let venue: PayloadObjectOf<typeof M.offerResource>
  beforeAll(async () => {
    venue = await must(t, w.contactsA[0]!.token, M.offerResource, { title: '会议室', kind: 'VENUE' })
  })

  it('should refuse ids that are no UUIDs, in mutations and in a query', async () => {
    expect(
      await answer(t, w.officerA, M.approveNeedClaim, { id: globalId('NeedClaim', 'not-a-uuid'), version: 0 }),
    ).toMatchObject(invalid)
    expect(
      await answer(t, w.officerA, M.createProject, {
        agreementItemId: globalId('AgreementItem', 'x'),
        resourceIds: [venue.id],
        title: '项目',
      }),
    ).toMatchObject(invalid)
    const byUnit = await client(t, w.officerA).query(BY_UNIT, { u: globalId('ResidentUnit', '42') })
    expect(byUnit.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
  })

  it('should refuse ids of another type in mutations and claim nothing', async () => {
    // a resource where a claim belongs, a resource claim where a need claim belongs, a need among the resources
    const need = await raise()
    expect(await answer(t, w.officerA, M.approveNeedClaim, { id: venue.id, version: 0 })).toMatchObject(invalid)
    expect(
      await answer(t, w.officerA, M.approveNeedClaim, {
        id: globalId('ResourceClaim', crypto.randomUUID()),
        version: 0,
      }),
    ).toMatchObject(invalid)
    expect(await answer(t, w.contactsA[0]!.token, M.claimNeed, { needId: venue.id })).toMatchObject(invalid)
    expect(
      await answer(t, w.officerA, M.createProject, {
        agreementItemId: need.id,
        resourceIds: [venue.id],
        title: '项目',
      }),
    ).toMatchObject(invalid)
    expect(
      await answer(t, w.officerA, M.createProject, {
        communityId: globalId('Region', w.a.id),
        resourceIds: [venue.id, need.id],
        title: '项目',
      }),
    ).toMatchObject(invalid)
    expect(await t.prisma.needClaim.count({ where: { needId: rowId(need.id) } })).toBe(0)
  })

  it("should refuse a party organisation's id where a unit's belongs in a query", async () => {
    const byOrgAsUnit = await client(t, w.officerA).query(BY_UNIT, { u: w.orgA })
    expect(byOrgAsUnit.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
  })

  it('should refuse a negative number of days before expiry', async () => {
    const days = await client(t, w.officerA).query(
      graphql(`{ jointAgreements(first: 5, filter: { expiringWithinDays: -1 }) { edges { node { id } } } }`),
    )
    expect(days.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
  })

  it("should refuse a review or a report for a year outside the agreement's term, and record neither", async () => {
    const u1 = w.contactsA[0]!
    const a = await activeAgreement(t, w.officerA, w.orgA, [u1])
    const early = await answer(t, w.officerA, M.review, {
      agreementId: a.id,
      unitId: u1.unitGid,
      year: year - 5,
      score: 80,
      comment: '往年评议',
    })
    expect(early).toMatchObject({ __typename: 'ValidationFailed', issues: [{ path: 'year' }] })
    const ahead = await answer(t, u1.token, M.report, {
      agreementId: a.id,
      year: year + 40,
      report: '提前撰写的述职报告内容。',
    })
    expect(ahead).toMatchObject({ __typename: 'ValidationFailed', issues: [{ path: 'year' }] })
    expect(await t.prisma.agreementReview.count({ where: { agreementId: rowId(a.id) } })).toBe(0)
    expect(
      await t.prisma.agreementEvent.count({
        where: { agreementId: rowId(a.id), action: { in: ['REPORT', 'REVIEW'] } },
      }),
    ).toBe(0)
  })
})

describe('claims under concurrency', () => {
  it('should never leave a claim pending on a need whose claim was approved meanwhile', async () => {
    const [u1, u2] = w.contactsA
    for (let round = 0; round < 6; round++) {
      const need = await raise()
      const first = await must(t, u1!.token, M.claimNeed, { needId: need.id })
      const [approved, late] = await Promise.all([
        answer(t, w.officerA, M.approveNeedClaim, { id: first.id, version: 0 }),
        answer(t, u2!.token, M.claimNeed, { needId: need.id }),
      ])
      expect(approved.__typename).toBe('ApproveNeedClaimPayload')
      // the late claim lost (the need is CLAIMED) or came first and was closed by the approval
      expect(late.__typename).toMatch(/^(InvalidTransition|ClaimNeedPayload)$/)
      expect(await t.prisma.needClaim.count({ where: { needId: rowId(need.id), status: 'PENDING' } })).toBe(0)
    }
  })
})
