// The write path: what the intake desk's loop costs in SQL, and the feed sequence that
// lets two streets dispatch at once. Dispatching transactions take no shared lock; the sequencer
// numbers committed orders after the fact, in commit order.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, startTestApp, type TestApp } from '../../helpers/app.js'
import { story } from '../../helpers/test.js'
import { globalId, rowId, userWithRole } from '../../helpers/fixtures.js'
import { caseInput, type ReportCaseInput } from '../../factories/cases.js'
import { deployMigrations } from '../../../src/db/migrate.js'
import { createPrisma } from '../../../src/db.js'
import { seedDemo } from '../../../src/seed/demo.js'
import { ORDER_SEQ_LOCK } from '../../../src/modules/case/order-sequencer.js'
import { client, collect, graphql, ofType, type ResultOf, wsClient } from '../../helpers/graphql.js'

const REPORT = graphql(
  `mutation($input: ReportCaseInput!) { reportCase(input: $input) { __typename ... on ReportCasePayload { case { id status version } } ... on Error { code message } } }`,
)
const ACCEPT = graphql(
  `mutation($input: AcceptCaseInput!) { acceptCase(input: $input) { __typename ... on AcceptCasePayload { case { id status version } } ... on Error { code message } } }`,
)
const DISPATCH = graphql(
  `mutation($input: DispatchCaseInput!) { dispatchCase(input: $input) { __typename ... on DispatchCasePayload { case { id status version } } ... on ValidationFailed { issues { path message } } ... on Error { code message } } }`,
)
const FEED = graphql(
  `subscription($regionId: ID) { dispatchOrderCreated(regionId: $regionId) { cursor order { id case { title } } } }`,
)

interface Desk {
  token: string
  /** The desk's HOTLINE report (a resident's call) at the centre of its grid: each case gives its title. */
  report: ReportCaseInput
  departmentId: string
}

/** The HOTLINE report of a desk in grid `grid` (a code). */
const hotline = (t: TestApp, grid: string) =>
  caseInput(t, { grid, category: 'SANITATION', source: 'HOTLINE', description: '居民来电反映' })

/** Reports and accepts a case as the desk's officer; returns its id and version. */
async function acceptedCase(t: TestApp, desk: Desk, title: string) {
  const c = client(t.url, desk.token)
  const r = await c.must(REPORT, { input: { ...desk.report, title } })
  const { id, version } = ofType(r.reportCase, 'ReportCasePayload').case
  const a = await c.must(ACCEPT, { input: { id, version } })
  return ofType(a.acceptCase, 'AcceptCasePayload').case
}

function dispatchTo(t: TestApp, desk: Desk, c: { id: string; version: number }, departmentId = desk.departmentId) {
  return client(t.url, desk.token).must(DISPATCH, {
    input: { id: c.id, version: c.version, mode: 'MANUAL', targets: [{ departmentId, role: 'LEAD' }] },
  })
}

describe('the intake desk loop on one street', () => {
  let t: TestApp
  let desk: Desk
  beforeAll(async () => {
    t = await startTestApp({ BACKGROUND_JOBS: 'false' })
    const dept = await t.prisma.department.findUniqueOrThrow({ where: { code: 'CGHW' } })
    desk = {
      token: await t.tokenFor((await userWithRole(t.prisma, 'STREET_OFFICER')).username),
      report: await hotline(t, 'CG-DM-01'),
      departmentId: globalId('Department', dept.id),
    }
    await dispatchTo(t, desk, await acceptedCase(t, desk, '预热')) // the process's caches: categories, region paths
  })
  afterAll(async () => {
    await t?.stop()
  })

  it('should report, accept and dispatch in 5 + 5 + 8 statements, the feed numbering included', async () => {
    const c = client(t.url, desk.token)
    let reported!: ResultOf<typeof REPORT>
    let accepted!: ResultOf<typeof ACCEPT>
    let dispatched!: ResultOf<typeof DISPATCH>
    const report = await t.countStatements(async () => {
      reported = await c.must(REPORT, {
        input: { ...desk.report, title: '垃圾堆积', description: '三天未清运' },
      })
    })
    const accept = await t.countStatements(async () => {
      const { id, version } = ofType(reported.reportCase, 'ReportCasePayload').case
      accepted = await c.must(ACCEPT, { input: { id, version } })
    })
    const dispatch = await t.countStatements(async () => {
      dispatched = await dispatchTo(t, desk, ofType(accepted.acceptCase, 'AcceptCasePayload').case)
    })
    const dispatchedCase = ofType(dispatched.dispatchCase, 'DispatchCasePayload').case
    expect(dispatchedCase.status).toBe('DISPATCHED')
    // grid, case, timeline event, commit, audit entry
    expect(report.count).toBe(5)
    // the case through the read policy, the guarded update returning the row, event, commit, audit
    expect(accept.count).toBe(5)
    // the case, update, active orders, the order, events, commit, audit entry, numbering
    expect(dispatch.count).toBe(8)
    expect(report.count + accept.count + dispatch.count).toBeLessThanOrEqual(18)
    expect(dispatch.statements.some((s) => s.includes('number_dispatch_orders'))).toBe(true)
    // the order is numbered before the mutation answers
    const order = await t.prisma.dispatchOrder.findFirstOrThrow({
      where: { caseId: rowId(dispatchedCase.id) },
      include: { department: true },
    })
    expect(order).toMatchObject({ status: 'CREATED', role: 'LEAD', department: { code: 'CGHW' } })
    expect(order.seq).not.toBeNull()
  })

  it('should refuse an unknown department with a typed error and write nothing', async () => {
    const c = await acceptedCase(t, desk, '路灯不亮')
    const before = await t.prisma.caseEvent.count({ where: { caseId: rowId(c.id) } })
    const r = await dispatchTo(t, desk, c, globalId('Department', '0190f0a0-0000-7000-8000-000000000000'))
    expect(r.dispatchCase).toMatchObject({
      __typename: 'ValidationFailed',
      issues: [{ path: 'targets.departmentId', message: 'unknown department' }],
    })
    const row = await t.prisma.case.findUniqueOrThrow({ where: { id: rowId(c.id) } })
    expect(row).toMatchObject({ status: 'ACCEPTED', version: c.version })
    expect(await t.prisma.dispatchOrder.count({ where: { caseId: row.id } })).toBe(0)
    expect(await t.prisma.caseEvent.count({ where: { caseId: row.id } })).toBe(before)
  })

  it('should answer a dispatch whose numbering waits for the sequence lock, and number the order once the lock is free', async () => {
    const c = await acceptedCase(t, desk, '消防通道堵塞')
    const conn = new pg.Client({ connectionString: t.databaseUrl })
    await conn.connect()
    try {
      await conn.query('BEGIN')
      await conn.query(`SELECT pg_advisory_xact_lock(${ORDER_SEQ_LOCK})`) // held as a long numbering would
      const r = await dispatchTo(t, desk, c) // answers after the sequencer's bounded wait, not after the lock
      expect(ofType(r.dispatchCase, 'DispatchCasePayload').case.status).toBe('DISPATCHED')
      const order = await t.prisma.dispatchOrder.findFirstOrThrow({ where: { caseId: rowId(c.id) } })
      expect(order.seq).toBeNull()
      await conn.query('COMMIT')
      await expect
        .poll(async () => (await t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id: order.id } })).seq, {
          timeout: 10_000,
        })
        .not.toBeNull()
    } finally {
      await conn.end()
    }
  })

  describe('an order whose writer died before numbering it: numbered by the next round, pushed and its webhook queued', () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    const s = story(
      async () => {
        const c = await acceptedCase(t, desk, '井盖缺失')
        const dept = await t.prisma.department.findUniqueOrThrow({ where: { code: 'CGHW' } })
        const staffUser = await t.prisma.user.findUniqueOrThrow({ where: { username: 'dept.CGHW' } })
        const endpoint = await t.prisma.webhookEndpoint.create({
          data: {
            departmentId: dept.id,
            url: 'https://example.invalid/hook',
            secret: 'x'.repeat(32),
            createdById: staffUser.id,
          },
        })
        // a dispatch that committed and then lost its process: the order has no number
        const orphan = await t.prisma.dispatchOrder.create({
          data: {
            caseId: rowId(c.id),
            departmentId: dept.id,
            role: 'LEAD',
            mode: 'MANUAL',
            instructions: '尽快处理',
            signBy: new Date(Date.now() + 3_600_000),
            completeBy: new Date(Date.now() + 86_400_000),
          },
        })
        const staff = wsClient(t.wsUrl, await t.tokenFor('dept.CGHW'))
        const feed = collect(staff, graphql(`subscription { dispatchOrderCreated { order { id } } }`))
        await t.app.feeds.dispatch.whenAttached(`department:${dept.id}`)
        return { endpoint, orphan, staff, feed }
      },
      {
        teardown: async (s) => {
          s.feed.dispose()
          await s.staff.dispose()
        },
      },
    )
    const withCase = (id: string) =>
      t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id }, include: { case: true } })
    let numbered: Awaited<ReturnType<typeof withCase>>

    it('should number the order in the next round of any instance (each instance runs one when it starts)', async () => {
      await t.app.feeds.orders.run()
      numbered = await withCase(s.orphan.id)
      expect(numbered.seq).not.toBeNull()
    })

    it("should push the numbered order to its department's staff", async () => {
      const [pushed] = await s.feed.next(1)
      expect(rowId(pushed!.data!.dispatchOrderCreated.order.id)).toBe(s.orphan.id)
    })

    it("should queue the order's webhook with the order and its case, under a version 7 UUID", async () => {
      const delivery = await t.prisma.webhookDelivery.findFirstOrThrow({
        where: { orderId: s.orphan.id, endpointId: s.endpoint.id },
      })
      const iso = (d: Date | null) => d?.toISOString() ?? null
      expect(delivery.payload).toEqual({
        orderId: globalId('DispatchOrder', s.orphan.id),
        caseId: globalId('Case', numbered.caseId),
        seq: numbered.seq!.toString(),
        role: 'LEAD',
        mode: 'MANUAL',
        instructions: '尽快处理',
        signBy: iso(numbered.signBy),
        completeBy: iso(numbered.completeBy),
        case: {
          title: '井盖缺失',
          description: '居民来电反映',
          address: null,
          lng: numbered.case.lng,
          lat: numbered.case.lat,
          source: 'HOTLINE',
          deadline: iso(numbered.case.deadline),
        },
      })
      expect(delivery.id[14]).toBe('7') // a version 7 UUID, like the rows Prisma writes
    })
  })
})

describe('two streets dispatching at once', () => {
  let t: TestApp
  const desks: Desk[] = []
  let districtId = ''

  beforeAll(async () => {
    const url = await createTestDatabase({ empty: true })
    await deployMigrations(url)
    const prisma = createPrisma(url)
    try {
      await seedDemo(prisma, { scale: 2, workflows: false })
    } finally {
      await prisma.$disconnect()
    }
    t = await startTestApp({}, { databaseUrl: url })
    const streets = await t.prisma.region.findMany({ where: { level: 'STREET' }, orderBy: { code: 'asc' } })
    expect(streets).toHaveLength(2)
    districtId = streets[0]!.parentId!
    for (const street of streets) {
      const officer = await userWithRole(t.prisma, 'STREET_OFFICER', { regionIds: { has: street.id } })
      const grid = await t.prisma.grid.findFirstOrThrow({
        where: { community: { parentId: street.id } },
        orderBy: { code: 'asc' },
      })
      const dept = await t.prisma.department.findFirstOrThrow({
        where: { regionId: street.id },
        orderBy: { code: 'asc' },
      })
      desks.push({
        token: await t.tokenFor(officer.username),
        report: await hotline(t, grid.code),
        departmentId: globalId('Department', dept.id),
      })
    }
  }, 300_000)
  afterAll(async () => {
    await t?.stop()
  })

  it("should let street 2 dispatch and be pushed while street 1's dispatch waits at its commit, and number both in commit order", async () => {
    const [one, two] = [
      await acceptedCase(t, desks[0]!, '一街：占道经营'),
      await acceptedCase(t, desks[1]!, '二街：噪音扰民'),
    ]
    // Street 1's dispatch is held at its commit by a deferred trigger that waits for a lock the test holds.
    const conn = new pg.Client({ connectionString: t.databaseUrl })
    await conn.connect()
    try {
      await conn.query(`CREATE FUNCTION test_hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_advisory_lock_shared(4242); PERFORM pg_advisory_unlock_shared(4242); RETURN NULL; END $$`)
      await conn.query(`CREATE CONSTRAINT TRIGGER test_hold_commit AFTER INSERT ON "DispatchOrder" DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW."caseId" = '${rowId(one.id)}'::uuid) EXECUTE FUNCTION test_hold_commit()`)
      await conn.query('SELECT pg_advisory_lock(4242)')

      const admin = wsClient(t.wsUrl, await t.tokenFor('admin'))
      const feed = collect(admin, FEED, { regionId: globalId('Region', districtId) })
      await t.app.feeds.dispatch.whenAttached(`region:${districtId}`)

      const first = dispatchTo(t, desks[0]!, one)
      await expect
        .poll(
          async () =>
            (
              await conn.query(
                `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted`,
              )
            ).rows[0].n,
          { timeout: 10_000 },
        )
        .toBe(1)

      // Street 2 neither waits for street 1's transaction nor for its numbering.
      const second = await Promise.race([
        dispatchTo(t, desks[1]!, two),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('street 2 waited for street 1')), 10_000)),
      ])
      expect(ofType(second.dispatchCase, 'DispatchCasePayload').case.status).toBe('DISPATCHED')
      const [pushed] = await feed.next(1)
      expect(pushed!.data!.dispatchOrderCreated.order.case.title).toBe('二街：噪音扰民')

      await conn.query('SELECT pg_advisory_unlock(4242)')
      expect(ofType((await first).dispatchCase, 'DispatchCasePayload').case.status).toBe('DISPATCHED')
      const [, later] = await feed.next(2)
      expect(later!.data!.dispatchOrderCreated.order.case.title).toBe('一街：占道经营')

      // numbers follow commit order: street 2 committed first
      const seqOf = async (caseId: string) =>
        (await t.prisma.dispatchOrder.findFirstOrThrow({ where: { caseId: rowId(caseId) } })).seq!
      expect(await seqOf(two.id)).toBeLessThan(await seqOf(one.id))
      feed.dispose()
      await admin.dispose()
    } finally {
      await conn
        .query('DROP TRIGGER IF EXISTS test_hold_commit ON "DispatchOrder"; DROP FUNCTION IF EXISTS test_hold_commit()')
        .catch(() => {})
      await conn.end()
    }
  })
})
