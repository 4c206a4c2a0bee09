// The read policies of cases and dispatch (DESIGN §4–§5), one test per finding of the security
// review, and the cost of the policies: statements per request do not grow with the rows listed.
import { describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import { gridCenter, residentCaseDispatched } from '../../factories/cases.js'
import { rowId } from '../../factories/orders.js'
import { client, graphql, ofType } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
// background jobs far apart, so that statement counts hold the requests' statements only
it.beforeAll(async ({ app }) => {
  t = app
})

const GRID = 'CG-DM-01'
const deptToken = (code: string) => t.tokenFor(`dept.${code}`)

/** A case in GRID reported by a resident (anonymously or not), accepted and dispatched by the routing rules (CGHW leads, CGZF assists). */
const residentCase = (title: string, opts: { anonymous: boolean }) => residentCaseDispatched(t, GRID, title, opts)

const REPORTER = graphql(
  `query($id: ID!) { node(id: $id) { ... on Case { reporter { id } reporterName reporterPhone timeline { action actor { id username displayName phone } } } } }`,
)
const NODES = graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`)
const NODE = graphql(`query($id: ID!) { node(id: $id) { id } }`)

describe('the reporter of a case', () => {
  it('should hide the reporter of an anonymous case everywhere, the timeline included, from everyone but the reporter, admins and officers of its community', async () => {
    const { flow, resident, tokens } = await residentCase('匿名反映楼道堆物', { anonymous: true })
    const hidden = [
      await t.tokenFor(`grid.worker.${GRID}.leader`), // the grid's worker
      await deptToken('CGHW'), // the lead department
      await deptToken('CGZF'), // an assisting department
    ]
    for (const token of hidden) {
      const { node } = await client(t.url, token).must(REPORTER, { id: flow.case.id })
      expect(node).toMatchObject({ reporter: null, reporterName: null, reporterPhone: null })
      const report = ofType(node, 'Case').timeline.find((e) => e.action === 'REPORT')
      expect(report!.actor).toBeNull()
      expect(JSON.stringify(node)).not.toContain(globalId('User', resident.id))
    }
    for (const token of [tokens.officer, tokens.reporter]) {
      const { node } = await client(t.url, token).must(REPORTER, { id: flow.case.id })
      // the accepting officer can call back, and sees who reported
      expect(node).toMatchObject({
        reporter: { id: globalId('User', resident.id) },
        reporterName: '王小明',
        reporterPhone: '13812345678',
      })
      expect(ofType(node, 'Case').timeline.find((e) => e.action === 'REPORT')!.actor!.id).toBe(
        globalId('User', resident.id),
      )
    }
  })

  it("should show the reporter's contact whole to the lead department of an open order and masked to an assisting one", async () => {
    const { flow } = await residentCase('井盖松动', { anonymous: false })
    const lead = await client(t.url, await deptToken('CGHW')).must(REPORTER, { id: flow.case.id })
    expect(lead.node).toMatchObject({ reporterName: '王小明', reporterPhone: '13812345678' })
    const assisting = await client(t.url, await deptToken('CGZF')).must(REPORTER, { id: flow.case.id })
    expect(assisting.node).toMatchObject({ reporterName: '王**', reporterPhone: '138****5678' })
    const worker = await client(t.url, await t.tokenFor(`grid.worker.${GRID}.leader`)).must(REPORTER, {
      id: flow.case.id,
    })
    expect(worker.node).toMatchObject({ reporterName: '王**', reporterPhone: '138****5678' })
  })
})

describe("a department reads the case-level rows and its own orders' rows only", () => {
  it("should keep another department's order steps, results, reasons and supervisions out of the timeline and supervisions", async () => {
    const { flow, tokens } = await residentCase('垃圾清运不及时', { anonymous: false })
    const hw = flow.case.orders.find((o) => o.department?.code === 'CGHW')!
    const zf = flow.case.orders.find((o) => o.department?.code === 'CGZF')!
    // one supervision on each order and one on the case itself
    const c = await t.prisma.case.findUniqueOrThrow({ where: { id: rowId(flow.case.id) } })
    for (const orderId of [rowId(hw.id), rowId(zf.id), null]) {
      await t.prisma.supervision.create({
        data: {
          caseId: c.id,
          orderId,
          kind: 'SIGN_OVERDUE',
          level: 1,
          regionId: c.regionId,
          note: `督办 ${orderId ?? 'case'}`,
        },
      })
    }
    const READ = graphql(
      `query($id: ID!) { node(id: $id) { ... on Case { timeline { action order { id } } supervisions { note order { id } } orders { id } } } }`,
    )
    const node = ofType((await client(t.url, await deptToken('CGHW')).must(READ, { id: flow.case.id })).node, 'Case')
    const orderIds = (rows: { order: { id: string } | null }[]) => new Set(rows.map((r) => r.order?.id ?? null))
    expect(orderIds(node.timeline)).toEqual(new Set([null, hw.id]))
    expect(node.timeline.some((e) => e.action === 'REPORT')).toBe(true)
    expect(orderIds(node.supervisions)).toEqual(new Set([null, hw.id]))
    expect(node.orders).toEqual([{ id: hw.id }])
    // the officer reads every row of the case
    const all = ofType((await client(t.url, tokens.officer).must(READ, { id: flow.case.id })).node, 'Case')
    expect(orderIds(all.supervisions)).toEqual(new Set([null, hw.id, zf.id]))
    expect(orderIds(all.timeline)).toEqual(new Set([null, hw.id, zf.id]))
  })
})

describe('node and nodes', () => {
  it('should answer null without a token for a row of every type', async () => {
    const c = await t.prisma.case.findFirstOrThrow({
      include: { events: { take: 1 }, feedbacks: { take: 1 }, approvals: { take: 1 }, supervisions: { take: 1 } },
    })
    const rows: [string, string | undefined][] = [
      ['Case', c.id],
      ['CaseEvent', c.events[0]?.id],
      ['User', (await t.prisma.user.findFirstOrThrow()).id],
      ['CaseFeedback', (await t.prisma.caseFeedback.findFirst())?.id],
      ['CaseApproval', (await t.prisma.caseApproval.findFirst())?.id],
      ['Supervision', (await t.prisma.supervision.findFirst())?.id],
      ['GridAssignment', (await t.prisma.gridAssignment.findFirstOrThrow()).id],
      ['ResidentUnit', (await t.prisma.residentUnit.findFirstOrThrow()).id],
      ['Building', (await t.prisma.building.findFirstOrThrow()).id],
      ['GridDuty', (await t.prisma.gridDuty.findFirstOrThrow()).id],
      ['Department', (await t.prisma.department.findFirstOrThrow()).id],
      ['Region', (await t.prisma.region.findFirstOrThrow()).id],
      ['Compound', (await t.prisma.compound.findFirstOrThrow()).id],
      ['CaseCategory', (await t.prisma.caseCategory.findFirstOrThrow()).id],
      ['RoutingRule', (await t.prisma.routingRule.findFirstOrThrow()).id],
      ['ServiceItem', (await t.prisma.serviceItem.findFirstOrThrow()).id],
      ['VolunteerTeam', (await t.prisma.volunteerTeam.findFirstOrThrow()).id],
      ['VolunteerTeamMember', (await t.prisma.volunteerTeamMember.findFirstOrThrow()).id],
    ]
    const ids = rows.filter(([, id]) => id).map(([type, id]) => globalId(type, id!))
    expect(ids.length).toBeGreaterThanOrEqual(16)
    const res = await client(t.url).query(NODES, { ids })
    expect(res.errors).toBeUndefined()
    expect(res.data?.nodes).toEqual(ids.map(() => null))
    const one = await client(t.url).query(NODE, { id: ids[0]! })
    expect(one).toMatchObject({ data: { node: null } })
    expect(one.errors).toBeUndefined()
  })

  it('should answer null alike for a row the viewer may not read, a missing row and a type that is no node, and refuse more than 100 ids', async () => {
    const { flow, resident } = await residentCase('路灯不亮', { anonymous: false })
    const other = client(
      t.url,
      await t.tokenFor(
        (await userWithRole(t.prisma, 'RESIDENT', { username: { startsWith: 'resident' }, id: { not: resident.id } }))
          .username,
        ['RESIDENT'],
      ),
    )
    const event = await t.prisma.caseEvent.findFirstOrThrow({ where: { caseId: rowId(flow.case.id) } })
    const ids = [
      flow.case.id,
      globalId('CaseEvent', event.id),
      globalId('Case', '01234567-89ab-7def-8123-456789abcdef'),
      globalId('PageInfo', '01234567-89ab-7def-8123-456789abcdef'),
    ]
    const res = await other.query(NODES, { ids })
    expect(res.errors).toBeUndefined()
    expect(res.data?.nodes).toEqual([null, null, null, null])
    for (const id of ids) {
      const one = await other.query(NODE, { id })
      expect(one.errors).toBeUndefined()
      expect(one.data?.node).toBeNull()
    }
    const tooMany = await other.query(NODES, { ids: Array.from({ length: 101 }, () => ids[2]!) })
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
  })
})

describe('policies in SQL: statements per request do not grow with the rows', () => {
  const LIST = graphql(`query($n: Int!) { cases(first: $n) { edges { node {
    id title reporterName reporterPhone reporter { displayName phone } category { name } grid { code community { name } }
    orders { status department { name } case { id } } timeline { action actor { displayName } order { id } } supervisions { note } feedbacks { satisfaction }
  } } } }`)
  const ORDERS = graphql(
    `query($n: Int!) { dispatchOrders(first: $n) { edges { node { id status case { title reporterName grid { code } } department { name } } } } }`,
  )

  async function statements(token: string, query: typeof LIST | typeof ORDERS, n: number) {
    const c = client(t.url, token)
    await c.must(query, { n }) // warm: the viewer's per-request lookups are the same either way
    const { count } = await t.countStatements(async () => {
      const data = await c.must(query, { n })
      expect(Object.values(data)[0]).toBeTruthy()
    })
    return count
  }

  it('should read 50 cases with their nested rows in as many statements as 1, for an officer, a department and a grid worker', async () => {
    const { grid } = await gridCenter(t, GRID)
    const officer = await t.tokenFor(
      (await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })).username,
    )
    const street = await t.tokenFor((await userWithRole(t.prisma, 'STREET_OFFICER')).username)
    const counts: number[] = []
    for (const token of [officer, street, await deptToken('CGHW'), await t.tokenFor(`grid.worker.${GRID}.leader`)]) {
      const one = await statements(token, LIST, 1)
      const fifty = await statements(token, LIST, 50)
      expect(one).toBeGreaterThan(0)
      expect(fifty).toBe(one)
      counts.push(one)
      expect(await statements(token, ORDERS, 50)).toBe(await statements(token, ORDERS, 1))
    }
    console.info(
      `statements per cases(first: 1|50) request with nested rows: ${counts.join(', ')} (officer, street officer, department, grid worker)`,
    )
  })
})
