// A row the viewer reads may point, through a non-null to-one relation, at a row their read policy
// alone would not give them (a case's grid, a wish's grid, an assignment's grid, a feedback's member).
// Such a relation must either be readable through the row that reaches it, or the row itself must be
// out of reach: never a masked "Unexpected error." with partial data. One test per way of getting there.
import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, newStaff, rowId, type twoCommunities, userWithRole } from '../../helpers/fixtures.js'
import { caseFactory, categoryId, gridCenter } from '../../factories/cases.js'
import { PARTY_MUTATIONS, registerMember, reportFactory } from '../../factories/party.js'
import { people, V } from '../../factories/volunteer.js'
import { client, graphql, must } from '../../helpers/graphql.js'
import { serviceYear } from '../../../src/modules/party/transitions.js'

const REPORT = graphql(`mutation($input: ReportCaseInput!) { reportCase(input: $input) { __typename
  ... on ReportCasePayload { case { id version grid { id } } } ... on Error { code message } } }`)
const CASE_GRID = graphql(`query($id: ID!) { node(id: $id) { __typename ... on Case { id grid { id } } } }`)
const ORDER_CASE_GRID = graphql(
  `query($id: ID!) { node(id: $id) { __typename ... on DispatchOrder { id case { id grid { id } } } } }`,
)
const ORDERS_CASE_GRID = graphql(
  `query { dispatchOrders(first: 100) { edges { node { id case { id grid { id } } } } } }`,
)
const ASSIGN = graphql(`mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) { __typename
  ... on AssignGridWorkerPayload { assignment { id version } } ... on Error { code message } } }`)
const END_ASSIGNMENT =
  graphql(`mutation($input: EndGridAssignmentInput!) { endGridAssignment(input: $input) { __typename
  ... on EndGridAssignmentPayload { assignment { id endedAt } } ... on Error { code message } } }`)
const USER_ASSIGNMENTS = graphql(
  `query($id: ID!) { node(id: $id) { __typename ... on User { id assignments { id grid { id } } } } }`,
)
const WISHES = graphql(`query($filter: MicroWishFilter) { microWishes(first: 100, filter: $filter) {
  edges { node { id grid { id } } } } }`)
const DUTY_GRID = graphql(`query($id: ID!) { node(id: $id) { __typename ... on GridDuty { id grid { id } } } }`)
const CREATE_ORG = graphql(`mutation($input: CreatePartyOrgInput!) { createPartyOrg(input: $input) { __typename
  ... on CreatePartyOrgPayload { org { id } } ... on Error { code message } } }`)
const UPDATE_MEMBER = graphql(`mutation($input: UpdatePartyMemberInput!) { updatePartyMember(input: $input) { __typename
  ... on UpdatePartyMemberPayload { member { id version } } ... on Error { code message } } }`)
const FEEDBACKS = graphql(`query { performanceFeedbacks(first: 100) { edges { node { id member { id } } } } }`)

let t: TestApp
let world: Awaited<ReturnType<typeof twoCommunities>>
let officerA: string
let officerB: string
let category: string
let serial = 0

it.beforeAll(async ({ app, communities }) => {
  t = app
  world = communities
  officerA = await t.tokenFor(world.officerA.username)
  officerB = await t.tokenFor(world.officerB.username)
  category = await categoryId(t, 'SANITATION')
})

const gridA = () => world.a.grids[0]!
const gridB = () => world.b.grids[0]!

/** The token of a seeded grid worker serving `gridCode` alone, acting as a grid worker. */
const workerOf = (gridCode: string, suffix = 'leader') =>
  t.tokenFor(`grid.worker.${gridCode}.${suffix}`, ['GRID_WORKER'])

/** A fresh GRID_WORKER account (no assignment yet) and a way to sign a token for it. */
async function freshWorker() {
  const id = randomUUID()
  const username = `rr.worker.${id}`
  await t.prisma.user.create({ data: { id, username, displayName: '网格员', roles: ['GRID_WORKER'] } })
  return { id, username, gid: globalId('User', id) }
}

/**
 * Reports a PATROL case as `token` at the centre of grid `code`, naming that grid: the whole response
 * (a masked error in it is what these tests look for) and the new case's global id.
 */
async function reportIn(token: string, code: string) {
  const { lng, lat, grid } = await gridCenter(t, code)
  const title = `越界上报 ${++serial}`
  const res = await client(t, token).query(REPORT, {
    input: {
      title,
      description: '路面破损',
      categoryId: category,
      source: 'PATROL',
      lng,
      lat,
      gridId: globalId('Grid', grid.id),
    },
  })
  const row = await t.prisma.case.findFirstOrThrow({ where: { title } })
  return { res, caseId: globalId('Case', row.id) }
}

describe('rows reached through a relation of a row the viewer reads', () => {
  it('should let a grid worker read the grid of a case they reported in another grid than theirs', async () => {
    const worker = await workerOf(gridA().code)
    const { res, caseId } = await reportIn(worker, gridB().code)
    expect(res.errors).toBeUndefined()
    expect(res.data?.reportCase).toMatchObject({
      __typename: 'ReportCasePayload',
      case: { grid: { id: globalId('Grid', gridB().id) } },
    })
    const read = await client(t, worker).query(CASE_GRID, { id: caseId })
    expect(read.errors).toBeUndefined()
    expect(read.data?.node).toMatchObject({ __typename: 'Case', grid: { id: globalId('Grid', gridB().id) } })
  })

  it("should let an officer read the grid of a case they reported in another community's grid", async () => {
    const { res, caseId } = await reportIn(officerA, gridB().code)
    expect(res.errors).toBeUndefined()
    expect(res.data?.reportCase).toMatchObject({
      __typename: 'ReportCasePayload',
      case: { grid: { id: globalId('Grid', gridB().id) } },
    })
    const read = await client(t, officerA).query(CASE_GRID, { id: caseId })
    expect(read.errors).toBeUndefined()
    expect(read.data?.node).toMatchObject({ __typename: 'Case', grid: { id: globalId('Grid', gridB().id) } })
  })

  it("should let a department's staff read the grid of a case dispatched to them from outside their department's region", async () => {
    // a department of community B, made with the trusted client (as newStaff makes its staff): this is about reading
    const department = await t.prisma.department.create({
      data: { code: `RR-${randomUUID().slice(0, 8)}`, name: '乙社区物业办', regionId: world.b.id },
    })
    const staffId = await newStaff(t.prisma, department.id)
    const staff = await t.tokenFor(`staff-${staffId}`)
    const { lng, lat, grid } = await gridCenter(t, gridA().code)
    const flow = caseFactory(t, { reporter: officerA, officer: officerA })
    await flow.report({
      title: `跨区派单 ${++serial}`,
      description: '井盖缺失',
      categoryId: category,
      source: 'PATROL',
      lng,
      lat,
      gridId: globalId('Grid', grid.id),
    })
    await flow.accept()
    await flow.dispatchTo([{ departmentId: globalId('Department', department.id), role: 'LEAD' }])
    const order = flow.case.orders[0]!

    const one = await client(t, staff).query(ORDER_CASE_GRID, { id: order.id })
    expect(one.errors).toBeUndefined()
    expect(one.data?.node).toMatchObject({ case: { id: flow.case.id, grid: { id: globalId('Grid', grid.id) } } })
    const list = await client(t, staff).query(ORDERS_CASE_GRID)
    expect(list.errors).toBeUndefined()
    expect(list.data?.dispatchOrders.edges.map((e) => e.node)).toEqual([
      { id: order.id, case: { id: flow.case.id, grid: { id: globalId('Grid', grid.id) } } },
    ])
  })

  it('should let a grid worker whose assignment ended read the grid of the case behind an order addressed to them', async () => {
    const w = await freshWorker()
    const assignment = await must(t, officerA, ASSIGN, {
      gridId: globalId('Grid', gridA().id),
      userId: w.gid,
      role: 'FULL_TIME',
    })
    const { lng, lat } = await gridCenter(t, gridA().code)
    const flow = caseFactory(t, { reporter: officerA, officer: officerA })
    await flow.report({
      title: `派给网格员 ${++serial}`,
      description: '楼道堆物',
      categoryId: category,
      source: 'PATROL',
      lng,
      lat,
      gridId: globalId('Grid', gridA().id),
    })
    await flow.accept()
    await flow.dispatchTo([{ assigneeId: w.gid, role: 'LEAD' }])
    const order = flow.case.orders[0]!
    const before = await client(t, await t.tokenFor(w.username)).query(ORDER_CASE_GRID, { id: order.id })
    expect(before.errors).toBeUndefined()

    await must(t, officerA, END_ASSIGNMENT, { id: assignment.id, version: assignment.version })
    // a fresh token; the account's grants are read per request and the change invalidated them
    const after = await client(t, await t.tokenFor(w.username, ['GRID_WORKER'])).query(ORDER_CASE_GRID, {
      id: order.id,
    })
    expect(after.errors).toBeUndefined()
    expect(after.data?.node).toMatchObject({
      __typename: 'DispatchOrder',
      case: { id: flow.case.id, grid: { id: globalId('Grid', gridA().id) } },
    })
  })

  it("should not list an open wish to a grid worker of another community's grid, and list it with its grid to those who read that grid", async () => {
    const [resident, elsewhere] = await people(t, 2)
    const wish = await must(t, resident!.token, V.createWish, {
      title: `微心愿 ${++serial}`,
      description: '想要一台助听器',
      gridId: globalId('Grid', gridA().id),
    })
    expect(wish.status).toBe('OPEN')
    const wishIn = (list: { id: string; grid: { id: string } }[]) => list.find((w) => w.id === wish.id)
    const listed = async (token: string) => {
      const res = await client(t, token).query(WISHES, { filter: { gridId: globalId('Grid', gridA().id) } })
      expect(res.errors).toBeUndefined()
      return res.data!.microWishes.edges.map((e) => e.node)
    }

    expect(wishIn(await listed(await workerOf(gridB().code)))).toBeUndefined()
    for (const token of [await workerOf(gridA().code), officerA, elsewhere!.token])
      expect(wishIn(await listed(token))).toEqual({ id: wish.id, grid: { id: globalId('Grid', gridA().id) } })
  })

  it('should list to an officer only the assignments of a worker that lie in grids they read', async () => {
    const w = await freshWorker()
    const inA = await must(t, officerA, ASSIGN, {
      gridId: globalId('Grid', gridA().id),
      userId: w.gid,
      role: 'PART_TIME',
    })
    await must(t, officerB, ASSIGN, { gridId: globalId('Grid', gridB().id), userId: w.gid, role: 'PART_TIME' })

    const res = await client(t, officerA).query(USER_ASSIGNMENTS, { id: w.gid })
    expect(res.errors).toBeUndefined()
    expect(res.data?.node).toMatchObject({
      __typename: 'User',
      assignments: [{ id: inA.id, grid: { id: globalId('Grid', gridA().id) } }],
    })
  })

  it("should answer a grid worker asking for a duty of another community's grid as no node", async () => {
    const duty = await t.prisma.gridDuty.findFirstOrThrow({
      where: { gridId: gridB().id },
      orderBy: { sortOrder: 'asc' },
    })
    const res = await client(t, await workerOf(gridA().code)).query(DUTY_GRID, { id: globalId('GridDuty', duty.id) })
    expect(res.errors).toBeUndefined()
    expect(res.data?.node).toBeNull()
    // the grid's own workers still read it
    const own = await client(t, await workerOf(gridB().code)).query(DUTY_GRID, { id: globalId('GridDuty', duty.id) })
    expect(own.errors).toBeUndefined()
    expect(own.data?.node).toMatchObject({ grid: { id: globalId('Grid', gridB().id) } })
  })

  it("should let a unit's contact read the member of feedback sent to the unit's organisation after the member moved to another", async () => {
    const contact = await userWithRole(t.prisma, 'UNIT_CONTACT', { unitId: { not: null } })
    const admin = await t.tokenFor('admin')
    /** The unit organisation of a resident unit: the seeded one, or one made now. */
    const unitOrg = async (unitId: string) => {
      const existing = await t.prisma.partyOrg.findFirst({ where: { unitId, level: 'UNIT_ORG' } })
      if (existing) return globalId('PartyOrg', existing.id)
      return (
        await must(t, admin, CREATE_ORG, {
          level: 'UNIT_ORG',
          name: `单位党支部 ${++serial}`,
          unitId: globalId('ResidentUnit', unitId),
        })
      ).id
    }
    const other = await t.prisma.residentUnit.findFirstOrThrow({
      where: { id: { not: contact.unitId! } },
      orderBy: { name: 'asc' },
    })
    const [o1, o2] = [await unitOrg(contact.unitId!), await unitOrg(other.id)]

    // M lives in A and works nowhere on record (no workUnitId): only O1's unit links them to the contact
    const buildingA = await t.prisma.building.findFirstOrThrow({
      where: { gridId: gridA().id },
      orderBy: { name: 'asc' },
    })
    const member = await registerMember(t, officerA, buildingA.id, { orgId: o1 })
    const flow = reportFactory(t, { reporter: officerA, officer: officerA })
    await flow.submit({ memberId: member.id })
    await flow.approve(globalId('Grid', gridA().id))
    const feedback = await must(t, officerA, PARTY_MUTATIONS.feedback, {
      memberId: member.id,
      year: serviceYear(new Date()),
      rating: 'GOOD',
      comment: '服务积极',
    })
    expect(feedback.toOrg).toEqual({ id: o1 })
    const current = await t.prisma.partyMember.findUniqueOrThrow({ where: { id: rowId(member.id) } })
    expect(current.workUnitId).toBeNull()
    await must(t, officerA, UPDATE_MEMBER, { id: member.id, version: current.version, orgId: o2 })

    const res = await client(t, await t.tokenFor(contact.username, ['UNIT_CONTACT'])).query(FEEDBACKS)
    expect(res.errors).toBeUndefined()
    expect(res.data?.performanceFeedbacks.edges.map((e) => e.node)).toContainEqual({
      id: feedback.id,
      member: { id: member.id },
    })
  })
})
