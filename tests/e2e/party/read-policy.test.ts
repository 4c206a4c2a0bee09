// Read policies of the party module, through HTTP: an officer of another community reads
// none of a member's rows, wherever they could be reached (root lists, `node`/`nodes`, nested
// relations), sees the member only where the data is public by design — the grid's public card —
// with the phone masked; the officers of the member's communities (home or reported to) see it whole.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
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
import { answer, client, graphql, ofType } from '../../helpers/graphql.js'

let t: TestApp
let world: Awaited<ReturnType<typeof partyWorld>>
it.beforeAll(async ({ app }) => {
  t = app
  world = await partyWorld(t)
})

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`
const ids = (conn: { edges: { node: { id: string } }[] }) => conn.edges.map((e) => e.node.id)

const CARD = graphql(
  `query($id: ID!) { node(id: $id) { ... on Grid { publicCard { partyMembers { name role commitments phone } } } } }`,
)

/** A member of community A, approved into a grid of A with a pledge, membership held by the grid's branch. */
async function reportedMemberOfA() {
  const branch = await t.prisma.partyOrg.findFirstOrThrow({
    where: { gridId: world.gridA.id, level: 'GRID_BRANCH', active: true },
  })
  const member = await registerMember(t, world.officerA, world.buildingA.id, { orgId: globalId('PartyOrg', branch.id) })
  const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
  await flow.submit({
    memberId: member.id,
    commitments: [{ itemId: await serviceItem(t, 'LEGAL_AID'), hoursPerYear: 8 }],
  })
  await flow.approve(globalId('Grid', world.gridA.id), { serviceRole: '楼栋党员联络员' })
  return { member, report: flow.report, branch }
}

/** An officer of community B who also lives in the area as a resident: grids are public to residents. */
async function officerOfBLivingInA() {
  const user = await t.prisma.user.create({
    data: {
      username: `officer.b.resident.${process.pid}`,
      displayName: '林晓东',
      phone: '13700001234',
      roles: ['COMMUNITY_OFFICER', 'RESIDENT'],
      regionIds: [world.b.id],
    },
  })
  return t.tokenFor(user.username)
}

describe('party read policies (党员数据按范围可见)', () => {
  it('should keep a member and their report, pledges and timeline from an officer of another community: absent from lists, null as nodes and nested', async () => {
    const { member, report, branch } = await reportedMemberOfA()
    const commitmentId = report.commitments[0]!.id
    const eventId = globalId(
      'DualReportEvent',
      (await t.prisma.dualReportEvent.findFirstOrThrow({ where: { reportId: rowId(report.id) } })).id,
    )
    const b = client(t.url, world.officerB)
    const a = client(t.url, world.officerA)

    const LISTS = graphql(`query($name: String!, $member: ID!) {
      partyMembers(first: 100, filter: { search: $name }) { edges { node { id } } }
      dualReports(first: 100, filter: { memberId: $member }) { edges { node { id } } } }`)
    const forB = await b.must(LISTS, { name: member.name, member: member.id })
    expect(ids(forB.partyMembers)).toEqual([])
    expect(ids(forB.dualReports)).toEqual([])
    const forA = await a.must(LISTS, { name: member.name, member: member.id })
    expect(ids(forA.partyMembers)).toContain(member.id)
    expect(ids(forA.dualReports)).toEqual([report.id])

    const NODES = graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`)
    const all = [member.id, report.id, commitmentId, eventId]
    expect((await b.must(NODES, { ids: all })).nodes).toEqual([null, null, null, null])
    expect((await a.must(NODES, { ids: all })).nodes).toEqual(all.map((id) => ({ id })))
    const single = await b.query(graphql(`query($id: ID!) { node(id: $id) { ... on PartyMember { name phone } } }`), {
      id: member.id,
    })
    expect(single.errors).toBeUndefined()
    expect(single.data?.node).toBeNull()

    // the branch is public; the members it holds are filtered by the members' policy
    const MEMBERS = graphql(
      `query($id: ID!) { node(id: $id) { ... on PartyOrg { name members(first: 100) { edges { node { id } } } } } }`,
    )
    const branchForB = ofType((await b.must(MEMBERS, { id: globalId('PartyOrg', branch.id) })).node, 'PartyOrg')
    expect(branchForB.name).toBe(branch.name)
    expect(ids(branchForB.members)).not.toContain(member.id)
    expect(
      ids(ofType((await a.must(MEMBERS, { id: globalId('PartyOrg', branch.id) })).node, 'PartyOrg').members),
    ).toContain(member.id)

    // the member's yearly record is refused like the member
    const RECORD = graphql(`query($id: ID!) { partyMemberRecord(memberId: $id) { __typename } }`)
    expect((await b.must(RECORD, { id: member.id })).partyMemberRecord.__typename).toBe('Forbidden')
    expect((await a.must(RECORD, { id: member.id })).partyMemberRecord.__typename).toBe('PartyMemberRecordPayload')
  })

  it('should answer NotFound to the steps of an officer of another community on a report and a pledge they may not read, naming what they asked for, and change nothing', async () => {
    const { report } = await reportedMemberOfA()
    const commitmentId = report.commitments[0]!.id
    const before = await t.prisma.dualReport.findUniqueOrThrow({ where: { id: rowId(report.id) } })
    const steps = [
      answer(t, world.officerB, PARTY_MUTATIONS.withdraw, { id: report.id, version: before.version }),
      answer(t, world.officerB, PARTY_MUTATIONS.pledge, {
        reportId: report.id,
        version: before.version,
        title: '代为承诺',
      }),
      answer(t, world.officerB, PARTY_MUTATIONS.transfer, {
        id: report.id,
        version: before.version,
        homeBuildingId: globalId('Building', world.buildingB.id),
      }),
    ]
    for (const refused of await Promise.all(steps))
      expect(refused).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
    // a pledge names its own id, not the report behind it
    const cancel = await answer(t, world.officerB, PARTY_MUTATIONS.cancel, {
      id: commitmentId,
      version: before.version,
      reason: '不是我的',
    })
    expect(cancel).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
    expect(cancel.__typename === 'NotFound' && cancel.message).not.toContain(rowId(report.id))
    expect(await t.prisma.dualReport.findUniqueOrThrow({ where: { id: rowId(report.id) } })).toEqual(before)
    expect(await t.prisma.commitment.count({ where: { reportId: rowId(report.id), cancelledAt: null } })).toBe(1)
  })

  it("should list reported members on the public card to whoever reads the grid, the phone whole only for officers of the member's communities", async () => {
    const { member } = await reportedMemberOfA()
    const cardFor = async (token: string) => {
      const res = await client(t.url, token).must(CARD, { id: globalId('Grid', world.gridA.id) })
      return res.node ? ofType(res.node, 'Grid').publicCard.partyMembers : undefined
    }
    const shown = { name: member.name, role: '楼栋党员联络员', commitments: ['法律咨询'] }

    // officer B serves another community: grid A is not theirs at all
    expect(await cardFor(world.officerB)).toBeUndefined()
    // as a resident of the area they read grid A's card; the member is listed, the phone masked
    const officerBResident = await officerOfBLivingInA()
    expect((await cardFor(officerBResident))?.find((m) => m.name === member.name)).toEqual({
      ...shown,
      phone: masked(member.phone!),
    })
    // … and still not the member behind it
    const behind = await client(t.url, officerBResident).must(
      graphql(
        `query($id: ID!, $name: String!) { node(id: $id) { id } partyMembers(first: 10, filter: { search: $name }) { edges { node { id } } } }`,
      ),
      { id: member.id, name: member.name },
    )
    expect(behind).toEqual({ node: null, partyMembers: { edges: [] } })

    const resident = await t.tokenFor((await userWithRole(t.prisma, 'RESIDENT')).username, ['RESIDENT'])
    expect((await cardFor(resident))?.find((m) => m.name === member.name)).toEqual({
      ...shown,
      phone: masked(member.phone!),
    })
    expect((await cardFor(world.officerA))?.find((m) => m.name === member.name)).toEqual({
      ...shown,
      phone: member.phone,
    })
    const street = await t.tokenFor('street.officer')
    expect((await cardFor(street))?.find((m) => m.name === member.name)?.phone).toBe(member.phone)
  })

  it("should show a member's phone and ID number whole to the officers of every community they reported to, masked to their workplace", async () => {
    // the member moves to community B: home B, the closed report stays in A
    const member = await registerMember(t, world.officerA, world.buildingA.id)
    const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
    await flow.submit({ memberId: member.id })
    await flow.approve(globalId('Grid', world.gridA.id))
    await flow.transfer(globalId('Building', world.buildingB.id), world.officerA)
    expect((await t.prisma.partyMember.findUniqueOrThrow({ where: { id: rowId(member.id) } })).homeCommunityId).toBe(
      world.b.id,
    )

    const Q = graphql(`query($id: ID!) { node(id: $id) { ... on PartyMember { phone idNumber } } }`)
    for (const officer of [world.officerA, world.officerB]) {
      expect((await client(t.url, officer).must(Q, { id: member.id })).node).toEqual({
        phone: member.phone,
        idNumber: member.idNumber,
      })
    }

    // a unit contact reads the members working for the unit, masked
    const contact = await t.prisma.user.findFirstOrThrow({
      where: { roles: { has: 'UNIT_CONTACT' }, unitId: { not: null } },
      orderBy: { username: 'asc' },
    })
    const worker = await registerMember(t, world.officerA, world.buildingA.id, {
      workUnitId: globalId('ResidentUnit', contact.unitId!),
    })
    const forUnit = (await client(t.url, await t.tokenFor(contact.username)).must(Q, { id: worker.id })).node
    expect(forUnit).toEqual({
      phone: masked(worker.phone!),
      idNumber: `${worker.idNumber!.slice(0, 3)}${'*'.repeat(11)}${worker.idNumber!.slice(-4)}`,
    })
  })

  it("should show a party organisation's contact phone whole to the officers of its community, masked to another community's", async () => {
    const org = await t.prisma.partyOrg.findFirstOrThrow({
      where: { regionId: world.a.id, level: 'COMMUNITY_COMMITTEE', contactPhone: { not: null } },
    })
    const Q = graphql(`query($id: ID!) { node(id: $id) { ... on PartyOrg { name contactPhone } } }`)
    const id = globalId('PartyOrg', org.id)
    expect((await client(t.url, world.officerA).must(Q, { id })).node).toEqual({
      name: org.name,
      contactPhone: org.contactPhone,
    })
    expect((await client(t.url, world.officerB).must(Q, { id })).node).toEqual({
      name: org.name,
      contactPhone: masked(org.contactPhone!),
    })
  })
})
