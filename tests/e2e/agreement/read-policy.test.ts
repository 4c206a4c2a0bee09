// Read policies of joint construction: every read goes through the reader, so a row the
// viewer may not read is absent from root lists, null from `node`, and missing from nested lists.
// Finding 5: unit contacts and officers of any community read other units' resources; now a unit
// contact reads its own unit's resources only, and officers those of their region subtree and the
// ones on offer (not withdrawn) or claimed by their communities.
import { describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { activeAgreement, AGREEMENT_MUTATIONS as M, agreementWorld } from '../../factories/agreements.js'
import { answer, client, graphql, must, ofType } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
let w: Awaited<ReturnType<typeof agreementWorld>>
it.beforeAll(async ({ app }) => {
  t = app
  w = await agreementWorld(t)
})

type Edges<T = { id: string }> = { edges: { node: T }[] }
const nodes = <T>(c: Edges<T>) => c.edges.map((e) => e.node)

const RESOURCES = graphql(`query($u: ID) { resources(first: 100, filter: { unitId: $u }) { edges { node { id } } } }`)
const RESOURCE_NODE = graphql(`query($id: ID!) { node(id: $id) { ... on ResourceItem { id status unit { id } } } }`)
const resourceIds = async (token: string, unitId: string | null = null) =>
  nodes((await client(t, token).must(RESOURCES, { u: unitId })).resources).map((r) => r.id)
const resourceNode = async (token: string, id: string) => (await client(t, token).must(RESOURCE_NODE, { id })).node
const year = new Date().getUTCFullYear()
let serial = 0

describe('resources', () => {
  it("should keep a unit contact away from another unit's resource: absent from the list, null as a node, NotFound to act on", async () => {
    const [unitA, unitA2] = w.contactsA
    const unitB = w.contactsB[0]!
    const venue = await must(t, unitA!.token, M.offerResource, {
      title: `党员活动室${++serial}`,
      kind: 'VENUE',
      capacity: '40个座位',
    })
    expect(venue).toMatchObject({ status: 'AVAILABLE', unit: { id: unitA!.unitGid } })

    // the owner reads it
    expect(await resourceIds(unitA!.token)).toContain(venue.id)
    expect(await resourceNode(unitA!.token, venue.id)).toMatchObject({
      id: venue.id,
      status: 'AVAILABLE',
      unit: { id: unitA!.unitGid },
    })

    // the contact of another unit, of the same community or of another, reads nothing of it although it is on offer
    for (const other of [unitA2!, unitB]) {
      expect(await resourceIds(other.token)).not.toContain(venue.id)
      expect(await resourceIds(other.token, unitA!.unitGid)).toEqual([])
      expect(await resourceNode(other.token, venue.id)).toBeNull()
      expect(
        await answer(t, other.token, M.withdrawResource, { id: venue.id, version: 0, reason: '冒名撤回' }),
      ).toMatchObject({ __typename: 'NotFound' })
    }
    // every resource a unit contact lists is its own unit's
    const listed = nodes(
      (await client(t, unitB.token).must(graphql(`{ resources(first: 100) { edges { node { unit { id } } } } }`)))
        .resources,
    )
    expect(listed.every((r) => r.unit.id === unitB.unitGid)).toBe(true)
  })

  it('should show officers of another community the resources on offer but not a withdrawn one, which its own officers keep', async () => {
    const unitA = w.contactsA[0]!
    const funds = await must(t, unitA.token, M.offerResource, {
      title: `共建经费${++serial}`,
      kind: 'FUNDS',
      capacity: '¥10,000',
    })

    // on offer: any community's officer may read it (and claim it)
    expect(await resourceIds(w.officerB)).toContain(funds.id)
    expect(await resourceNode(w.officerB, funds.id)).toMatchObject({ id: funds.id, status: 'AVAILABLE' })

    const withdrawn = await must(t, unitA.token, M.withdrawResource, {
      id: funds.id,
      version: funds.version,
      reason: '经费另有安排',
    })
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN' })

    // withdrawn: gone for the other community's officer, kept for the community's and the street's officers and the owner
    expect(await resourceIds(w.officerB)).not.toContain(funds.id)
    expect(await resourceNode(w.officerB, funds.id)).toBeNull()
    for (const token of [w.officerA, w.street, unitA.token]) {
      expect(await resourceIds(token)).toContain(funds.id)
      expect(await resourceNode(token, funds.id)).toMatchObject({ id: funds.id, status: 'WITHDRAWN' })
    }
    // nor can the other community claim it: NotFound, not InvalidTransition
    expect(
      await answer(t, w.officerB, M.claimResource, { resourceId: funds.id, communityId: globalId('Region', w.b.id) }),
    ).toMatchObject({ __typename: 'NotFound' })
    // and residents read no resources at all
    const resident = await client(t, w.resident).query(
      graphql(`query($id: ID!) { node(id: $id) { ... on ResourceItem { id } } }`),
      { id: funds.id },
    )
    expect(resident.data?.node ?? null).toBeNull()
  })

  it('should let the officers of a community that claimed a resource keep reading it, with its claims, after it is withdrawn', async () => {
    const unitA = w.contactsA[0]!
    const hall = await must(t, unitA.token, M.offerResource, { title: `多功能厅${++serial}`, kind: 'VENUE' })
    const claim = await must(t, w.officerB, M.claimResource, {
      resourceId: hall.id,
      communityId: globalId('Region', w.b.id),
    })
    await must(t, w.officerA, M.approveResourceClaim, { id: claim.id, version: 0 })
    const held = await resourceNode(w.officerA, hall.id)
    expect(ofType(held, 'ResourceItem').status).toBe('CLAIMED')
    const { version } = ofType(
      (
        await client(t, w.officerA).must(
          graphql(`query($id: ID!) { node(id: $id) { ... on ResourceItem { version } } }`),
          {
            id: hall.id,
          },
        )
      ).node,
      'ResourceItem',
    )
    await must(t, unitA.token, M.withdrawResource, { id: hall.id, version, reason: '场地改造' })

    const Q = graphql(
      `query($id: ID!) { node(id: $id) { ... on ResourceClaim { id status resource { id status claims { id } } } } }`,
    )
    expect((await client(t, w.officerB).must(Q, { id: claim.id })).node).toEqual({
      id: claim.id,
      status: 'WITHDRAWN',
      resource: { id: hall.id, status: 'WITHDRAWN', claims: [{ id: claim.id }] },
    })
    // the owner reads the claims on its resource; another unit reads neither
    expect(
      ofType((await client(t, unitA.token).must(Q, { id: claim.id })).node, 'ResourceClaim').resource.claims,
    ).toEqual([{ id: claim.id }])
    expect((await client(t, w.contactsA[1]!.token).query(Q, { id: claim.id })).data?.node ?? null).toBeNull()
  })
})

describe('nested lists show only readable rows', () => {
  it('should show each party unit only its own review under a shared agreement, in the node and in the list', async () => {
    const [u1, u2] = w.contactsA
    const shared = await activeAgreement(t, w.officerA, w.orgA, [u1!, u2!])
    await must(t, u1!.token, M.report, { agreementId: shared.id, year, report: '本年度开展结对帮扶活动三次。' })
    await must(t, u2!.token, M.report, { agreementId: shared.id, year, report: '本年度共享会议场地十二次。' })

    const NODE = graphql(
      `query($id: ID!) { node(id: $id) { ... on JointAgreement { reviews { unit { id } unitReport } parties { unit { id } } } } }`,
    )
    const LIST = graphql(
      `query($u: ID!, $year: Int) { jointAgreements(first: 100, filter: { unitId: $u }) { edges { node { id reviews(year: $year) { unit { id } } } } } }`,
    )
    for (const [me, other] of [
      [u1!, u2!],
      [u2!, u1!],
    ] as const) {
      const node = ofType((await client(t, me.token).must(NODE, { id: shared.id })).node, 'JointAgreement')
      expect(node.reviews.map((r) => r.unit.id)).toEqual([me.unitGid])
      // the agreement's parties are shared: both units are listed
      expect(node.parties.map((p) => p.unit.id).sort()).toEqual([me.unitGid, other.unitGid].sort())
      const listed = nodes((await client(t, me.token).must(LIST, { u: me.unitGid, year })).jointAgreements).find(
        (a) => a.id === shared.id,
      )
      expect(listed?.reviews).toEqual([{ unit: { id: me.unitGid } }])
    }
    const officer = ofType((await client(t, w.officerA).must(NODE, { id: shared.id })).node, 'JointAgreement')
    expect(officer.reviews).toHaveLength(2)
    // an officer of another community, whose units are not party, reads neither the agreement nor its reviews
    expect((await client(t, w.officerB).query(NODE, { id: shared.id })).data?.node ?? null).toBeNull()
  })

  it("should show a unit only its own claims under a need, and the other community's officer none", async () => {
    const [u1, u2] = w.contactsA
    const need = await must(t, w.officerA, M.raiseNeed, {
      title: `助老配餐${++serial}`,
      category: '助老服务',
      gridId: globalId('Grid', w.gridA.id),
    })
    const c1 = await must(t, u1!.token, M.claimNeed, { needId: need.id })
    const c2 = await must(t, u2!.token, M.claimNeed, { needId: need.id })

    const NODE = graphql(`query($id: ID!) { node(id: $id) { ... on NeedItem { id claims { id unit { id } } } } }`)
    const LIST = graphql(`{ needs(first: 100, filter: { status: [OPEN] }) { edges { node { id claims { id } } } } }`)
    const inList = async (token: string) =>
      nodes((await client(t, token).must(LIST)).needs).find((n) => n.id === need.id)?.claims
    expect(ofType((await client(t, u1!.token).must(NODE, { id: need.id })).node, 'NeedItem').claims).toEqual([
      { id: c1.id, unit: { id: u1!.unitGid } },
    ])
    expect(await inList(u1!.token)).toEqual([{ id: c1.id }])
    expect(await inList(u2!.token)).toEqual([{ id: c2.id }])
    expect(await inList(w.officerA)).toEqual([{ id: c1.id }, { id: c2.id }])
    // the need is public, its claims are not
    expect(await inList(w.officerB)).toEqual([])
    expect(await inList(w.contactsB[0]!.token)).toEqual([])
    expect(await inList(w.resident)).toEqual([])
    // nor as nodes
    const CLAIM = graphql(`query($id: ID!) { node(id: $id) { ... on NeedClaim { id } } }`)
    expect((await client(t, u2!.token).query(CLAIM, { id: c1.id })).data?.node ?? null).toBeNull()
    expect((await client(t, w.officerB).query(CLAIM, { id: c1.id })).data?.node ?? null).toBeNull()

    // once the need is withdrawn it leaves the public list, but a claimant still reads it through its (lapsed) claim
    await must(t, w.officerA, M.withdrawNeed, { id: need.id, version: 0, reason: '需求已由民政解决' })
    const WITH_NEED = graphql(`query($id: ID!) { node(id: $id) { ... on NeedClaim { status need { id status } } } }`)
    expect((await client(t, u1!.token).must(WITH_NEED, { id: c1.id })).node).toEqual({
      status: 'REJECTED',
      need: { id: need.id, status: 'WITHDRAWN' },
    })
    expect(
      (
        await client(t, w.contactsB[0]!.token).query(
          graphql(`query($id: ID!) { node(id: $id) { ... on NeedItem { id } } }`),
          {
            id: need.id,
          },
        )
      ).data?.node ?? null,
    ).toBeNull()
  })

  it('should show each contributing unit only its own resources under a shared project, and the officer all of them', async () => {
    const [u1, u2] = w.contactsA
    const shared = await activeAgreement(t, w.officerA, w.orgA, [u1!, u2!])
    const common = shared.items.find((i) => i.unit === null)!
    const r1 = await must(t, u1!.token, M.offerResource, {
      title: `志愿服务队${++serial}`,
      kind: 'PERSONNEL',
      capacity: '6名志愿者',
    })
    const r2 = await must(t, u2!.token, M.offerResource, { title: `活动物资${++serial}`, kind: 'SERVICE' })
    const project = await must(t, w.officerA, M.createProject, {
      agreementItemId: common.id,
      resourceIds: [r1.id, r2.id],
      title: '邻里守望共建项目',
    })
    expect(project.resources.map((r) => r.id).sort()).toEqual([r1.id, r2.id].sort())

    const NODE = graphql(`query($id: ID!) { node(id: $id) { ... on Project { id resources { id unit { id } } } } }`)
    const LIST = graphql(`{ projects(first: 100) { edges { node { id resources { id } } } } }`)
    const inList = async (token: string) =>
      nodes((await client(t, token).must(LIST)).projects).find((p) => p.id === project.id)?.resources
    expect(ofType((await client(t, u1!.token).must(NODE, { id: project.id })).node, 'Project').resources).toEqual([
      { id: r1.id, unit: { id: u1!.unitGid } },
    ])
    expect(ofType((await client(t, u2!.token).must(NODE, { id: project.id })).node, 'Project').resources).toEqual([
      { id: r2.id, unit: { id: u2!.unitGid } },
    ])
    expect(await inList(u1!.token)).toEqual([{ id: r1.id }])
    expect(await inList(u2!.token)).toEqual([{ id: r2.id }])
    expect((await inList(w.officerA))?.map((r) => r.id).sort()).toEqual([r1.id, r2.id].sort())
    // neither the other community's officer nor a unit that does not contribute reads the project
    expect(await inList(w.officerB)).toBeUndefined()
    expect(await inList(w.contactsB[0]!.token)).toBeUndefined()
    expect((await client(t, w.officerB).query(NODE, { id: project.id })).data?.node ?? null).toBeNull()
  })
})
