import { describe, expect } from 'vitest'
import { it, type Tokens } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import {
  PARTY_MUTATIONS,
  type PartyInput,
  type partyWorld,
  registerMember,
  reportFactory,
  rowId,
  serviceItem,
} from '../../factories/party.js'
import { serviceYear } from '../../../src/modules/party/transitions.js'
import { answer, client, graphql, must, ofType } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const RECORD =
  graphql(`query($memberId: ID!, $year: Int) { partyMemberRecord(memberId: $memberId, year: $year) { __typename
  ... on PartyMemberRecordPayload { record { year hours activities activityHours wishesFulfilled casesHelped hoursPledged commitmentsTotal commitmentsMet
    member { name } commitments { commitment { title } hoursPledged hoursDone met } entries { kind hours case { title } } } }
  ... on Error { code message } } }`)

/** Two units with a contact account each, their contacts' tokens and their party organisations. */
async function twoUnits(tokens: Tokens) {
  const contacts = await t.prisma.user.findMany({
    where: { roles: { has: 'UNIT_CONTACT' }, unit: { partyOrgs: { some: { level: 'UNIT_ORG', active: true } } } },
    orderBy: { username: 'asc' },
    take: 2,
  })
  const [c1, c2] = contacts
  if (!c1 || !c2) throw new Error('seed has fewer than two unit contacts with a party organisation')
  const org = (unitId: string) =>
    t.prisma.partyOrg.findFirstOrThrow({ where: { unitId, level: 'UNIT_ORG', active: true } })
  return {
    one: { unitId: c1.unitId!, token: await tokens.user(c1.username), org: await org(c1.unitId!) },
    two: { unitId: c2.unitId!, token: await tokens.user(c2.username), org: await org(c2.unitId!) },
  }
}

describe('yearly service records and feedback to the workplace', () => {
  describe("a member's yearly service record, read by the workplace unit", () => {
    // Ordered steps on one member, arranged once: the totals count what the crediting step recorded.
    const arrange = async (world: Awaited<ReturnType<typeof partyWorld>>, tokens: Tokens) => {
      const { one, two } = await twoUnits(tokens)
      const mine = await registerMember(t, world.officerA, world.buildingA.id, {
        workUnitId: globalId('ResidentUnit', one.unitId),
        orgId: globalId('PartyOrg', one.org.id),
      })
      const theirs = await registerMember(t, world.officerA, world.buildingA.id, {
        workUnitId: globalId('ResidentUnit', two.unitId),
        orgId: globalId('PartyOrg', two.org.id),
      })
      const year = serviceYear(new Date())

      const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
      await flow.submit({
        memberId: mine.id,
        commitments: [
          { itemId: await serviceItem(t, 'ELDER_CARE'), hoursPerYear: 6 },
          { itemId: await serviceItem(t, 'LEGAL_AID'), hoursPerYear: 10 },
        ],
      })
      await flow.approve(globalId('Grid', world.gridA.id))
      const [elder, legal] = flow.report.commitments
      const caseInA = await t.prisma.case.findFirstOrThrow({
        where: { regionId: world.a.id },
        orderBy: { createdAt: 'asc' },
      })
      return { world, one, two, mine, theirs, year, elder, legal, caseInA }
    }
    let w: Awaited<ReturnType<typeof arrange>>
    it.beforeAll(async ({ partyWorld: world, tokens }) => {
      w = await arrange(world, tokens)
    })
    const read = async (token: string, memberId: string) =>
      (await client(t.url, token).must(RECORD, { memberId, year: w.year })).partyMemberRecord

    it("should credit service once per source, named by a global ID of the kind's type", async () => {
      const { world, mine, elder, legal, caseInA } = w
      const credit = (input: Omit<PartyInput<'record'>, 'memberId' | 'occurredAt'>) =>
        answer(t, world.officerA, PARTY_MUTATIONS.record, {
          memberId: mine.id,
          occurredAt: new Date().toISOString(),
          ...input,
        })
      // sources are named by their global IDs, of the kind's type
      const activity = globalId('ActivitySignup', crypto.randomUUID())
      expect(
        (await credit({ kind: 'ACTIVITY_HOURS', sourceId: activity, hours: 4, commitmentId: elder!.id })).__typename,
      ).toBe('RecordPartyServicePayload')
      expect(
        (
          await credit({
            kind: 'ACTIVITY_HOURS',
            sourceId: globalId('ActivitySignup', crypto.randomUUID()),
            hours: 2.5,
            commitmentId: elder!.id,
          })
        ).__typename,
      ).toBe('RecordPartyServicePayload')
      expect(
        (
          await credit({
            kind: 'MICRO_WISH',
            sourceId: globalId('MicroWish', crypto.randomUUID()),
            hours: 1,
            commitmentId: legal!.id,
          })
        ).__typename,
      ).toBe('RecordPartyServicePayload')
      expect((await credit({ kind: 'CASE_HELP', sourceId: globalId('Case', caseInA.id), hours: 2 })).__typename).toBe(
        'RecordPartyServicePayload',
      )
      expect((await credit({ kind: 'ACTIVITY_HOURS', sourceId: activity, hours: 4 })).__typename).toBe('Conflict') // one source, credited once
      expect(
        (await credit({ kind: 'CASE_HELP', sourceId: globalId('Case', crypto.randomUUID()), hours: 1 })).__typename,
      ).toBe('ValidationFailed') // no such case
      // nothing but a global ID of the kind's type: not a raw row id, not another type's ID
      expect(await credit({ kind: 'MICRO_WISH', sourceId: crypto.randomUUID(), hours: 1 })).toMatchObject({
        __typename: 'ValidationFailed',
        message: expect.stringMatching(/sourceId/),
      })
      expect((await credit({ kind: 'CASE_HELP', sourceId: caseInA.id, hours: 1 })).__typename).toBe('ValidationFailed')
      expect((await credit({ kind: 'MICRO_WISH', sourceId: globalId('Case', caseInA.id), hours: 1 })).__typename).toBe(
        'ValidationFailed',
      )
    })

    it("should total the year for the workplace unit's contact, who sees that a case was helped with but not the case", async () => {
      const { world, one, mine, year, caseInA } = w
      const answered = await read(one.token, mine.id)
      expect(answered.__typename).toBe('PartyMemberRecordPayload')
      const record = ofType(answered, 'PartyMemberRecordPayload')
      expect(record.record).toMatchObject({
        year,
        hours: 9.5,
        activities: 2,
        activityHours: 6.5,
        wishesFulfilled: 1,
        casesHelped: 1,
        hoursPledged: 16,
        commitmentsTotal: 2,
        commitmentsMet: 1,
        member: { name: mine.name },
      })
      expect(record.record.commitments).toEqual([
        { commitment: { title: '助老敬老服务' }, hoursPledged: 6, hoursDone: 6.5, met: true },
        { commitment: { title: '法律咨询' }, hoursPledged: 10, hoursDone: 1, met: false },
      ])
      // the unit sees that a case was helped with, not the case itself; the community's officer sees both
      expect(record.record.entries.find((e) => e.kind === 'CASE_HELP')!.case).toBeNull()
      const forOfficer = ofType(await read(world.officerA, mine.id), 'PartyMemberRecordPayload').record
      expect(forOfficer.entries.find((e) => e.kind === 'CASE_HELP')!.case!.title).toBe(caseInA.title)
    })

    it('should refuse the record to another unit, a resident and the officer of another community', async ({
      tokens,
    }) => {
      const { world, one, two, mine, theirs } = w
      expect(await read(one.token, theirs.id)).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
      expect((await read(two.token, theirs.id)).__typename).toBe('PartyMemberRecordPayload')
      expect((await read(two.token, mine.id)).__typename).toBe('Forbidden')
      const resident = await tokens.role('RESIDENT')
      expect((await read(resident, mine.id)).__typename).toBe('Forbidden')
      expect((await read(world.officerB, mine.id)).__typename).toBe('Forbidden')
      expect((await read(world.officerA, mine.id)).__typename).toBe('PartyMemberRecordPayload')
    })

    it('should apply the same rule in lists and to single objects, personal data masked for the unit', async () => {
      const { world, one, mine, theirs } = w
      const listed = await client(t.url, one.token).must(
        graphql(`{ partyMembers(first: 100) { edges { node { id workUnit { id } idNumber phone } } } }`),
      )
      const ids = listed.partyMembers.edges.map((e) => e.node.id)
      expect(ids).toContain(mine.id)
      expect(ids).not.toContain(theirs.id)
      for (const e of listed.partyMembers.edges) {
        expect(e.node.workUnit!.id).toBe(globalId('ResidentUnit', one.unitId))
        expect(e.node.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/)
        expect(e.node.phone).toMatch(/^\d{3}\*{4}\d{4}$/)
      }
      const node = await client(t.url, one.token).query(
        graphql(`query($id: ID!) { node(id: $id) { ... on PartyMember { name } } }`),
        { id: theirs.id },
      )
      expect(node.data?.node ?? null).toBeNull()
      const full = await client(t.url, world.officerA).must(
        graphql(`query($id: ID!) { node(id: $id) { ... on PartyMember { idNumber phone } } }`),
        { id: mine.id },
      )
      expect(full.node).toMatchObject({ idNumber: mine.idNumber, phone: mine.phone })
      expect(ofType(full.node, 'PartyMember').idNumber).toMatch(/^\d{17}[\dX]$/)
    })
  })

  it("should send the year's feedback to the workplace party organisation, readable by its unit and not by another", async ({
    partyWorld: world,
    tokens,
  }) => {
    const { one, two } = await twoUnits(tokens)
    const m = await registerMember(t, world.officerA, world.buildingA.id, {
      workUnitId: globalId('ResidentUnit', one.unitId),
      orgId: globalId('PartyOrg', one.org.id),
    })
    const year = serviceYear(new Date())
    const input: PartyInput<'feedback'> = { memberId: m.id, year, rating: 'GOOD', comment: '积极参加社区志愿服务' }
    expect((await answer(t, world.officerA, PARTY_MUTATIONS.feedback, input)).__typename).toBe('ValidationFailed') // never approved here

    const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
    await flow.submit({ memberId: m.id, commitments: [{ title: '每周义务巡逻', hoursPerYear: 2 }] })
    await flow.approve(globalId('Grid', world.gridA.id))
    await must(t, world.officerA, PARTY_MUTATIONS.record, {
      memberId: m.id,
      kind: 'ACTIVITY_HOURS',
      sourceId: globalId('ActivitySignup', crypto.randomUUID()),
      hours: 3,
      occurredAt: new Date().toISOString(),
      commitmentId: flow.report.commitments[0]!.id,
    })

    expect((await answer(t, world.officerB, PARTY_MUTATIONS.feedback, input)).__typename).toBe('NotFound') // not a member of B's region
    const sent = await must(t, world.officerA, PARTY_MUTATIONS.feedback, input)
    expect(sent).toMatchObject({
      year,
      rating: 'GOOD',
      hours: 3,
      commitmentsMet: 1,
      commitmentsTotal: 1,
      toOrg: { id: globalId('PartyOrg', one.org.id) },
    })
    expect((await answer(t, world.officerA, PARTY_MUTATIONS.feedback, input)).__typename).toBe('Conflict')

    const Q = graphql(
      `query($id: ID!) { performanceFeedbacks(first: 50, filter: { memberId: $id }) { edges { node { id rating comment member { name } } } } }`,
    )
    const forUnit = await client(t.url, one.token).must(Q, { id: m.id })
    expect(forUnit.performanceFeedbacks.edges.map((e) => e.node.id)).toEqual([sent.id])
    const forOther = await client(t.url, two.token).must(Q, { id: m.id })
    expect(forOther.performanceFeedbacks.edges).toEqual([])
    const asNode = await client(t.url, two.token).query(
      graphql(`query($id: ID!) { node(id: $id) { ... on PerformanceFeedback { rating } } }`),
      { id: sent.id },
    )
    expect(asNode.data?.node ?? null).toBeNull()
    const row = await t.prisma.performanceFeedback.findUniqueOrThrow({ where: { id: rowId(sent.id) } })
    expect(row.communityId).toBe(world.a.id)
  })

  it('should send feedback without a community from the one the officer reads the service of: the former community too, after a transfer', async ({
    partyWorld: world,
    tokens,
  }) => {
    const { one } = await twoUnits(tokens)
    const m = await registerMember(t, world.officerA, world.buildingA.id, {
      workUnitId: globalId('ResidentUnit', one.unitId),
      orgId: globalId('PartyOrg', one.org.id),
    })
    const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
    await flow.submit({ memberId: m.id })
    await flow.approve(globalId('Grid', world.gridA.id))
    await flow.transfer(globalId('Building', world.buildingB.id))
    expect(flow.report).toMatchObject({ status: 'SUBMITTED', community: { id: globalId('Region', world.b.id) } })
    await must(t, world.officerB, PARTY_MUTATIONS.approve, {
      id: flow.report.id,
      version: flow.report.version,
      gridId: globalId('Grid', world.gridB.id),
    })

    const input: PartyInput<'feedback'> = {
      memberId: m.id,
      year: serviceYear(new Date()),
      rating: 'EXCELLENT',
      comment: '服务期间表现突出',
    }
    const fromA = await must(t, world.officerA, PARTY_MUTATIONS.feedback, input)
    const fromB = await must(t, world.officerB, PARTY_MUTATIONS.feedback, input)
    const communityOf = async (id: string) =>
      (await t.prisma.performanceFeedback.findUniqueOrThrow({ where: { id: rowId(id) } })).communityId
    expect([await communityOf(fromA.id), await communityOf(fromB.id)]).toEqual([world.a.id, world.b.id])
  })
})
