// Rows named by a mutation's input are read as the viewer: a row they may not read gets the answer a
// row that does not exist gets, leaks none of its data, and nothing is written. One viewer in each
// test names a row of another community's (a grid, a building, a pledge, a report) and the same
// mutation with an id that names nothing; the two answers must be the same.
import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { PARTY_MUTATIONS, type partyWorld, registerMember, reportFactory, rowId } from '../../factories/party.js'
import { serviceYear } from '../../../src/modules/party/transitions.js'
import { answer, graphql, ofType, told } from '../../helpers/graphql.js'

let t: TestApp
let world: Awaited<ReturnType<typeof partyWorld>>
it.beforeAll(async ({ app, partyWorld }) => {
  t = app
  world = partyWorld
})

const CREATE_ORG = graphql(`mutation($input: CreatePartyOrgInput!) { createPartyOrg(input: $input) { __typename
  ... on CreatePartyOrgPayload { org { id } } ... on Error { code message } } }`)
const UPDATE_MEMBER = graphql(`mutation($input: UpdatePartyMemberInput!) { updatePartyMember(input: $input) { __typename
  ... on UpdatePartyMemberPayload { member { id version } } ... on Error { code message } } }`)

/**
 * A member who lived in community A and moved to B: approved in A with a pledge of this year, transferred
 * by A's officer, approved in B. The closed report (and its pledge) stays in A, which B's officers may not read.
 */
async function memberMovedFromAToB() {
  const member = await registerMember(t, world.officerA, world.buildingA.id)
  const flow = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
  await flow.submit({ memberId: member.id, commitments: [{ title: '助老探访', hoursPerYear: 10 }] })
  await flow.approve(globalId('Grid', world.gridA.id))
  const pledgeInA = flow.report.commitments[0]!.id
  await flow.transfer(globalId('Building', world.buildingB.id), world.officerA)
  const approved = await answer(t, world.officerB, PARTY_MUTATIONS.approve, {
    id: flow.report.id,
    version: flow.report.version,
    gridId: globalId('Grid', world.gridB.id),
  })
  expect(approved.__typename).toBe('ApproveDualReportPayload')
  return { member, pledgeInA }
}

/** A member of community A with their own PARTY_MEMBER account, and its token. */
async function memberWithAccount() {
  const user = await t.prisma.user.create({
    data: { username: `party.member.mr.${randomUUID()}`, displayName: '周立新', roles: ['PARTY_MEMBER'] },
  })
  const member = await registerMember(t, world.officerA, world.buildingA.id, { userId: globalId('User', user.id) })
  return { member, token: await t.tokenFor(user.username) }
}

/**
 * A member with their own account, approved into community A by its officer, who then reports to B
 * themself, moving home there: two reports, A's approved, B's submitted.
 */
async function memberReportingInAThenB() {
  const { member, token } = await memberWithAccount()
  const inA = reportFactory(t, { reporter: world.officerA, officer: world.officerA })
  await inA.submit({ memberId: member.id })
  await inA.approve(globalId('Grid', world.gridA.id))
  const inB = reportFactory(t, { reporter: token, officer: world.officerB })
  await inB.submit({ homeBuildingId: globalId('Building', world.buildingB.id) })
  return { member, token, inA, inB }
}

describe('rows named by mutation input are read as the viewer (越权读取)', () => {
  describe('performance feedback (表现反馈)', () => {
    it('should answer an officer naming a community whose reports they may not read as for a community the member was never approved into, and send nothing', async () => {
      // B approves the member's own report there
      const { member, inB } = await memberReportingInAThenB()
      await inB.approve(globalId('Grid', world.gridB.id))
      // officer A reads the member (they reported to A) but not the approved report in B, which the member submitted
      const send = (communityId: string) =>
        answer(t, world.officerA, PARTY_MUTATIONS.feedback, {
          memberId: member.id,
          year: serviceYear(new Date()),
          communityId,
          rating: 'GOOD',
          comment: '服务积极',
        })
      const stranger = await send(globalId('Region', world.b.id))
      const none = await send(globalId('Region', randomUUID()))
      expect(none).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
      expect(told(stranger)).toEqual(told(none))
      expect(await t.prisma.performanceFeedback.count({ where: { memberId: rowId(member.id) } })).toBe(0)
    })
  })

  describe('service records (履诺记录)', () => {
    it('should answer a pledge on a report the officer may not read as one that does not exist, and file no record against it', async () => {
      const { member, pledgeInA } = await memberMovedFromAToB()
      // officer B keeps the member now (home B) but may not read the closed report in A, nor its pledge
      const record = (commitmentId: string, sourceId: string) =>
        answer(t, world.officerB, PARTY_MUTATIONS.record, {
          kind: 'ACTIVITY_HOURS',
          sourceId,
          memberId: member.id,
          commitmentId,
          hours: 3,
          occurredAt: new Date().toISOString(),
        })
      const source = randomUUID()
      const stranger = await record(pledgeInA, globalId('ActivitySignup', source))
      const none = await record(globalId('Commitment', randomUUID()), globalId('ActivitySignup', randomUUID()))
      expect(none).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
      expect(told(stranger)).toEqual(told(none))
      expect(await t.prisma.serviceRecord.count({ where: { sourceId: source } })).toBe(0)
      expect(await t.prisma.serviceRecord.count({ where: { commitmentId: rowId(pledgeInA) } })).toBe(0)
    })

    it('should not tell the year of a pledge the officer may not read', async () => {
      const { member, pledgeInA } = await memberMovedFromAToB()
      const lastYear = new Date(Date.UTC(serviceYear(new Date()) - 1, 5, 1)).toISOString()
      const record = (commitmentId: string) =>
        answer(t, world.officerB, PARTY_MUTATIONS.record, {
          kind: 'ACTIVITY_HOURS',
          sourceId: globalId('ActivitySignup', randomUUID()),
          memberId: member.id,
          commitmentId,
          hours: 3,
          occurredAt: lastYear,
        })
      const stranger = await record(pledgeInA)
      const none = await record(globalId('Commitment', randomUUID()))
      expect(none).toMatchObject({ __typename: 'ValidationFailed' })
      expect(told(stranger)).toEqual(told(none))
      expect(ofType(stranger, 'ValidationFailed').message).not.toContain(String(serviceYear(new Date())))
      expect(await t.prisma.serviceRecord.count({ where: { memberId: rowId(member.id) } })).toBe(0)
    })
  })

  describe('the active slot met by a transfer (搬家转接)', () => {
    it('should refuse a transfer into a community where the member holds a report the officer may not read without naming that report, and change nothing', async () => {
      // officer A may not read the report the member made in B
      const { member, inA, inB } = await memberReportingInAThenB()
      const before = await t.prisma.dualReport.findUniqueOrThrow({ where: { id: rowId(inA.report.id) } })

      const refused = await answer(t, world.officerA, PARTY_MUTATIONS.transfer, {
        id: inA.report.id,
        version: inA.report.version,
        homeBuildingId: globalId('Building', world.buildingB.id),
      })
      // the taken slot cannot be hidden (the write fails); the report holding it is not named
      expect(refused).toMatchObject({ __typename: 'Conflict', code: 'common/conflict' })
      expect(JSON.stringify(refused)).not.toContain(inB.report.id)
      expect(JSON.stringify(refused)).not.toContain(rowId(inB.report.id))
      expect(await t.prisma.dualReport.findUniqueOrThrow({ where: { id: rowId(inA.report.id) } })).toEqual(before)
      expect(await t.prisma.dualReport.count({ where: { memberId: rowId(member.id) } })).toBe(2)
    })

    it('should still name the report holding the slot to a member, who reads it', async () => {
      const { member, token, inA, inB } = await memberReportingInAThenB()

      const refused = await answer(t, token, PARTY_MUTATIONS.transfer, {
        id: inA.report.id,
        version: inA.report.version,
        homeBuildingId: globalId('Building', world.buildingB.id),
      })
      expect(refused).toMatchObject({
        __typename: 'ActiveReportExists',
        code: 'party/active-report-exists',
        existingReportId: inB.report.id,
      })
      expect(await t.prisma.dualReport.count({ where: { memberId: rowId(member.id) } })).toBe(2)
    })
  })

  describe('grids and buildings named by party organisations and members', () => {
    it.each([
      { level: 'GRID_BRANCH', what: 'grid', field: 'gridId', type: 'Grid', name: '越界党支部' },
      { level: 'BUILDING_GROUP', what: 'building', field: 'buildingId', type: 'Building', name: '越界党小组' },
    ] as const)(
      "should answer an officer naming another community's $what for a $level as one that does not exist, and create nothing",
      async ({ level, field, type, name }) => {
        const create = (id: string) => answer(t, world.officerB, CREATE_ORG, { level, name, [field]: id })
        const stranger = await create(globalId(type, type === 'Grid' ? world.gridA.id : world.buildingA.id))
        const none = await create(globalId(type, randomUUID()))
        expect(told(stranger)).toEqual(told(none))
        expect(await t.prisma.partyOrg.count({ where: { name } })).toBe(0)
      },
    )

    it.each([
      { what: 'building', field: 'homeBuildingId', type: 'Building', name: '越界登记' },
      { what: 'grid', field: 'homeGridId', type: 'Grid', name: '越界网格' },
    ] as const)(
      "should answer an officer registering a member in another community's $what as in one that does not exist, and register nobody",
      async ({ field, type, name }) => {
        const register = (id: string) =>
          answer(t, world.officerA, PARTY_MUTATIONS.createMember, { name, gender: 'FEMALE', [field]: id })
        const stranger = await register(globalId(type, type === 'Grid' ? world.gridB.id : world.buildingB.id))
        const none = await register(globalId(type, randomUUID()))
        expect(none).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
        expect(told(stranger)).toEqual(told(none))
        expect(await t.prisma.partyMember.count({ where: { name } })).toBe(0)
      },
    )

    it("should answer an officer moving a member into another community's building as for a building that does not exist, and change nothing", async () => {
      const member = await registerMember(t, world.officerA, world.buildingA.id)
      const before = await t.prisma.partyMember.findUniqueOrThrow({ where: { id: rowId(member.id) } })
      const move = (homeBuildingId: string) =>
        answer(t, world.officerA, UPDATE_MEMBER, { id: member.id, version: before.version, homeBuildingId })
      const stranger = await move(globalId('Building', world.buildingB.id))
      const none = await move(globalId('Building', randomUUID()))
      expect(none).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
      expect(told(stranger)).toEqual(told(none))
      expect(await t.prisma.partyMember.findUniqueOrThrow({ where: { id: rowId(member.id) } })).toEqual(before)
    })

    it("should answer an officer submitting a member's report with another community's building as for a building that does not exist, and change nothing", async () => {
      const member = await registerMember(t, world.officerA, world.buildingA.id)
      const before = await t.prisma.partyMember.findUniqueOrThrow({ where: { id: rowId(member.id) } })
      const submit = (homeBuildingId: string) =>
        answer(t, world.officerA, PARTY_MUTATIONS.submit, { kind: 'MEMBER', memberId: member.id, homeBuildingId })
      const stranger = await submit(globalId('Building', world.buildingB.id))
      const none = await submit(globalId('Building', randomUUID()))
      expect(none).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
      expect(told(stranger)).toEqual(told(none))
      expect(await t.prisma.dualReport.count({ where: { memberId: rowId(member.id) } })).toBe(0)
      expect(await t.prisma.partyMember.findUniqueOrThrow({ where: { id: rowId(member.id) } })).toEqual(before)
    })

    it('should still let a member report to the community of a new home in any community, moving there', async () => {
      const { member, token } = await memberWithAccount()
      const submitted = await answer(t, token, PARTY_MUTATIONS.submit, {
        kind: 'MEMBER',
        homeBuildingId: globalId('Building', world.buildingB.id),
      })
      expect(submitted).toMatchObject({
        __typename: 'SubmitDualReportPayload',
        report: { community: { id: globalId('Region', world.b.id) } },
      })
      expect((await t.prisma.partyMember.findUniqueOrThrow({ where: { id: rowId(member.id) } })).homeCommunityId).toBe(
        world.b.id,
      )
    })
  })
})
