// GET /exports/*: the GraphQL lists as CSV and XLSX files, under the same token and read policies,
// personal data masked as the fields mask it, bad input refused like the API refuses it.
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import { gridCenter, residentCaseDispatched } from '../../factories/cases.js'
import { dispatchDesk, rowId } from '../../factories/orders.js'
import { activityInput, partyMemberPerson, people, signupFactory, V } from '../../factories/volunteer.js'
import {
  type AnswerOf,
  client,
  type Document,
  graphql,
  must,
  type ResultOf,
  type VariablesOf,
  type VarsOf,
} from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const GRID = 'CG-DM-01'
const BOM = Buffer.from([0xef, 0xbb, 0xbf])

async function download(path: string, token?: string, query: Record<string, string | string[]> = {}) {
  const search = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) for (const one of [v].flat()) search.append(k, one)
  const qs = search.size ? `?${search}` : ''
  return fetch(`${t.origin}${path}${qs}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
}

/** The rows of a CSV export, as objects keyed by the Chinese headers, and the raw bytes. */
async function csvRows(path: string, token: string, query: Record<string, string | string[]> = {}) {
  const res = await download(path, token, query)
  expect(
    res.status,
    await res
      .clone()
      .text()
      .then((s) => s.slice(0, 300)),
  ).toBe(200)
  const bytes = Buffer.from(await res.arrayBuffer())
  const records = parse(bytes.subarray(BOM.length).toString('utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[]
  return { res, bytes, records }
}

/** The GraphQL lists the exports are held to, with the fields each comparison reads. */
const LISTS = {
  caseIds: graphql(
    `query($after: String, $filter: CaseFilter) { cases(first: 100, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
  ),
  casePlaces: graphql(
    `query($after: String, $filter: CaseFilter) { cases(first: 100, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { id category { name } region { name } grid { name } handlingRegion { name } } } } }`,
  ),
  caseReporters: graphql(
    `query($after: String, $filter: CaseFilter) { cases(first: 100, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { id reporterName reporterPhone } } } }`,
  ),
  orderIds: graphql(
    `query($after: String, $filter: DispatchOrderFilter) { dispatchOrders(first: 100, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
  ),
  reports: graphql(
    `query($after: String, $filter: DualReportFilter) { dualReports(first: 100, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { id member { name } unitOrg { name } community { name } grid { name } } } } }`,
  ),
  hours: graphql(
    `query($after: String, $filter: ActivitySignupFilter) { activitySignups(first: 100, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } edges { node { id user { displayName } activity { title community { id name } grid { id name } startsAt endsAt } completedAt hours points } } } }`,
  ),
}
type Page<N> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: N }[] }
type NodeOf<D> = AnswerOf<D> extends Page<infer N> ? N : never

/** Every node of a GraphQL list (one of LISTS), page by page (100 at a time). */
async function allOf<D extends Document>(token: string, list: D, filter: VarsOf<D>['filter']) {
  const out: NodeOf<D>[] = []
  let after: string | null = null
  for (;;) {
    const data = await client(t.url, token).must(list, { after, filter } as VarsOf<D>)
    const page = Object.values(data)[0] as Page<NodeOf<D>>
    out.push(...page.edges.map((e) => e.node))
    if (!page.pageInfo.hasNextPage) return out
    after = page.pageInfo.endCursor
  }
}

/** The rows of an XLSX export written as the CSV writes them (numbers and Beijing times as text, empty cells ''), and its header. */
async function xlsxRecords(path: string, token: string, query: Record<string, string | string[]>, sheetName: string) {
  const res = await download(path, token, query)
  expect(res.status).toBe(200)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load((await res.arrayBuffer()) as never)
  const sheet = workbook.getWorksheet(sheetName)!
  const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[]
  const records: Record<string, string>[] = []
  const asCsv = (v: unknown) =>
    v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 19).replace('T', ' ') : String(v)
  sheet.eachRow((row, n) => {
    if (n > 1) records.push(Object.fromEntries(header.map((h, i) => [h, asCsv(row.getCell(i + 1).value)])))
  })
  return { header, records }
}

/** The value at a GraphQL result path such as `department.code` or `supervisionsByLevel[0].count`, as a CSV field shows it. */
const at = (row: Record<string, any>, path: string): string => {
  const v = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<any>((o, k) => o?.[k], row)
  return v === null || v === undefined ? '' : String(v)
}

/** A CSV row as [header, value] pairs, and the GraphQL row by the documented fields: equal when the export says what the API says. */
const byColumns = (columns: readonly (readonly [string, string])[]) => ({
  csv: (r: Record<string, string>) => columns.map(([h]) => [h, r[h]]),
  api: (r: Record<string, any>) => columns.map(([h, path]) => [h, at(r, path)]),
})

/** A resident's case in GRID, accepted and dispatched by the routing rules (CGHW leads, CGZF assists). */
const dispatchedCase = (title: string, opts: { anonymous?: boolean; reporterPhone?: string } = {}) =>
  residentCaseDispatched(t, GRID, title, opts)

describe('who may export', () => {
  it('should refuse a request without a token, or with a bad one, with 401 and a typed JSON error', async () => {
    for (const token of [undefined, 'not-a-jwt']) {
      const res = await download('/exports/cases.csv', token)
      expect(res.status).toBe(401)
      expect(res.headers.get('content-type')).toContain('application/json')
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
      expect((await res.json()).errors[0].extensions.code).toBe('auth/unauthenticated')
    }
  })

  it('should refuse a resident with 403, for every export and format', async ({ tokens }) => {
    const token = await tokens.role('RESIDENT')
    for (const path of [
      '/exports/cases.csv',
      '/exports/cases.xlsx',
      '/exports/dispatch-orders.csv',
      '/exports/dual-reports.xlsx',
    ]) {
      const res = await download(path, token)
      expect(res.status, path).toBe(403)
      expect(await res.json()).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'auth/forbidden' } }],
      })
    }
  })

  it('should answer 404 for an export that does not exist', async ({ tokens }) => {
    const res = await download('/exports/secrets.csv', await tokens.user('dept.CGHW'))
    expect(res.status).toBe(404)
    expect((await res.json()).errors[0].extensions.code).toBe('common/not-found')
  })

  it('should answer anything but GET with 405, an Allow header and export/method-not-allowed', async ({ tokens }) => {
    const res = await fetch(`${t.origin}/exports/cases.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokens.user('dept.CGHW')}` },
    })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET')
    expect((await res.json()).errors[0].extensions.code).toBe('export/method-not-allowed')
  })
})

describe('filters', () => {
  it('should refuse bad filters with 400 and common/validation-failed, naming the parameter', async ({ tokens }) => {
    const token = await tokens.user('dept.CGHW')
    const bad: [string, Record<string, string | string[]>, string][] = [
      ['/exports/cases.csv', { status: 'NOPE' }, 'status'],
      ['/exports/cases.csv', { status: 'ACCEPTED,NOPE' }, 'status'],
      ['/exports/cases.csv', { from: '2025-13-01' }, 'from'],
      ['/exports/cases.csv', { from: '2025-02-30' }, 'from'],
      ['/exports/cases.csv', { to: 'yesterday' }, 'to'],
      ['/exports/cases.csv', { from: '2025-03-02', to: '2025-03-01' }, 'to'],
      ['/exports/cases.csv', { region: 'bm9wZQ==' }, 'region'],
      ['/exports/cases.csv', { region: globalId('Grid', '0190a0e0-0000-7000-8000-000000000000') }, 'region'],
      ['/exports/cases.csv', { overdue: 'maybe' }, 'overdue'],
      ['/exports/cases.csv', { stauts: 'ACCEPTED' }, 'stauts'],
      ['/exports/cases.csv', { source: ['PATROL', 'HOTLINE'] }, 'source'],
      ['/exports/dispatch-orders.xlsx', { scope: 'EVERYTHING' }, 'scope'],
    ]
    for (const [path, query, param] of bad) {
      const res = await download(path, token, query)
      expect(res.status, JSON.stringify(query)).toBe(400)
      const body = await res.json()
      expect(body).toEqual({
        errors: [{ message: expect.stringContaining(param), extensions: { code: 'common/validation-failed' } }],
      })
    }
  })

  it('should read from/to as days in Asia/Shanghai, both included, like reportedAfter/reportedBefore at Shanghai midnights', async ({
    tokens,
  }) => {
    const token = await tokens.user('admin')
    const made = await Promise.all(
      [
        '2024-02-29T15:59:59.999Z',
        '2024-02-29T16:00:00.000Z',
        '2024-03-01T15:59:59.999Z',
        '2024-03-01T16:00:00.000Z',
      ].map(async (at, i) => {
        const { flow } = await dispatchedCase(`时区边界 ${i}`)
        await t.prisma.case.update({ where: { id: rowId(flow.case.id) }, data: { createdAt: new Date(at) } })
        return flow.case.id
      }),
    )
    // 2024-03-01 in Shanghai is [2024-02-29T16:00Z, 2024-03-01T16:00Z)
    const { records } = await csvRows('/exports/cases.csv', token, { from: '2024-03-01', to: '2024-03-01' })
    const ids = records.map((r) => r.编号)
    expect(ids).toContain(made[1])
    expect(ids).toContain(made[2])
    expect(ids).not.toContain(made[0])
    expect(ids).not.toContain(made[3])
    const listed = await allOf(token, LISTS.caseIds, {
      reportedAfter: '2024-02-29T16:00:00.000Z',
      reportedBefore: '2024-03-01T16:00:00.000Z',
    })
    expect(ids).toEqual(listed.map((c) => c.id))
    // an instant with an offset is taken as it is, `to` excluded
    const exact = await csvRows('/exports/cases.csv', token, {
      from: '2024-03-01T00:00:00+08:00',
      to: '2024-03-01T23:59:59.999+08:00',
    })
    expect(exact.records.map((r) => r.编号)).toEqual([made[1]])
  })
})

describe('rows under the read policy', () => {
  it('should give a department exactly the cases and orders its GraphQL lists return, with the same filters, newest first', async ({
    tokens,
  }) => {
    await dispatchedCase('部门导出一')
    await dispatchedCase('部门导出二')
    for (const dept of ['dept.CGHW', 'dept.CGZF']) {
      const token = await tokens.user(dept)
      for (const status of [undefined, ['DISPATCHED' as const]]) {
        const { records } = await csvRows('/exports/cases.csv', token, status ? { status } : {})
        const listed = await allOf(token, LISTS.caseIds, status ? { status } : null)
        expect(records.length).toBeGreaterThan(0)
        expect(records.map((r) => r.编号)).toEqual(listed.map((c) => c.id))
      }
      const orders = await csvRows('/exports/dispatch-orders.csv', token, { status: 'CREATED,SIGNED' })
      const listedOrders = await allOf(token, LISTS.orderIds, {
        status: ['CREATED', 'SIGNED'],
      })
      expect(orders.records.length).toBeGreaterThan(0)
      expect(orders.records.map((r) => r.编号)).toEqual(listedOrders.map((o) => o.id))
      // a department reads its own orders only
      expect(new Set(orders.records.map((r) => r.承办部门)).size).toBe(1)
    }
  })

  it('should give an officer the rows of their region only, and the same rows as the GraphQL list', async ({
    communities: { a, b, officerA },
    tokens,
  }) => {
    const token = await tokens.user(officerA.username)
    const { records } = await csvRows('/exports/cases.csv', token)
    const listed = await allOf(token, LISTS.casePlaces, null)
    expect(records.length).toBeGreaterThan(0)
    expect(records.map((r) => [r.编号, r.类别, r.社区, r.网格, r.承办层级])).toEqual(
      listed.map((c) => [c.id, c.category.name, c.region.name, c.grid?.name ?? '', c.handlingRegion.name]),
    )
    const inRegion = await t.prisma.case.findMany({
      where: { id: { in: records.map((r) => rowId(r.编号!)) } },
      select: { region: { select: { path: true } }, handlingRegion: { select: { path: true } } },
    })
    expect(inRegion.length).toBe(records.length)
    for (const c of inRegion)
      expect(c.region.path.includes(`/${a.id}/`) || c.handlingRegion.path.includes(`/${a.id}/`)).toBe(true)
    expect(records.map((r) => r.社区)).not.toContain(b.name)

    const within = await csvRows('/exports/cases.csv', token, { region: globalId('Region', a.id) })
    const listedWithin = await allOf(token, LISTS.caseIds, { within: globalId('Region', a.id) })
    expect(within.records.map((r) => r.编号)).toEqual(listedWithin.map((c) => c.id))
    const elsewhere = await csvRows('/exports/cases.csv', token, { region: globalId('Region', b.id) })
    expect(elsewhere.records).toEqual([])

    const reports = await csvRows('/exports/dual-reports.csv', token)
    const listedReports = await allOf(token, LISTS.reports, null)
    expect(reports.records.length).toBeGreaterThan(0)
    expect(reports.records.map((r) => [r.编号, r.报到党员, r.报到单位党组织, r.报到社区, r.编入网格])).toEqual(
      listedReports.map((r) => [
        r.id,
        r.member?.name ?? '',
        r.unitOrg?.name ?? '',
        r.community.name,
        r.grid?.name ?? '',
      ]),
    )
  })

  it('should mask the reporter exactly as Case.reporterName and Case.reporterPhone do, for each kind of viewer', async ({
    tokens,
  }) => {
    const open = await dispatchedCase('井盖松动导出')
    const anonymous = await dispatchedCase('匿名导出', { anonymous: true })
    const ids = [open.flow.case.id, anonymous.flow.case.id]
    const viewers = ['dept.CGHW', 'dept.CGZF', `grid.worker.${GRID}.leader`, open.officer.username, 'admin']
    const shown: Record<string, string[]> = {}
    for (const username of viewers) {
      const token = await tokens.user(username)
      const { records } = await csvRows('/exports/cases.csv', token)
      const listed = await allOf(token, LISTS.caseReporters, null)
      const byId = new Map(listed.map((c) => [c.id, c]))
      for (const r of records) {
        const c = byId.get(r.编号!)!
        expect([r.联系人, r.联系电话], `${username} ${r.标题}`).toEqual([c.reporterName ?? '', c.reporterPhone ?? ''])
      }
      shown[username] = ids.map((id) => {
        const r = records.find((x) => x.编号 === id)!
        return `${r.联系人}/${r.联系电话}`
      })
    }
    expect(shown).toEqual({
      'dept.CGHW': ['王小明/13812345678', '/'],
      'dept.CGZF': ['王**/138****5678', '/'],
      [`grid.worker.${GRID}.leader`]: ['王**/138****5678', '/'],
      [open.officer.username]: ['王小明/13812345678', '王小明/13812345678'],
      admin: ['王小明/13812345678', '王小明/13812345678'],
    })
  })
})

describe('the files', () => {
  it('should write CSV in UTF-8 with a BOM and Chinese headers, escape commas, quotes and line breaks, and defuse formulas', async ({
    tokens,
  }) => {
    const title = '楼道,堆物 "紧急"\n第二行'
    const { flow } = await dispatchedCase(title)
    const formula = await dispatchedCase('=HYPERLINK("http://example.com","点我")')
    const { res, bytes, records } = await csvRows('/exports/cases.csv', await tokens.user('dept.CGHW'))
    expect(bytes.subarray(0, 3)).toEqual(BOM)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
    const header = bytes.subarray(3).toString('utf8').split('\r\n')[0]!
    expect(header.split(',').slice(0, 6)).toEqual(['编号', '标题', '问题描述', '类别', '来源', '状态'])
    expect(bytes.toString('utf8')).toContain('"楼道,堆物 ""紧急""\n第二行"')
    const row = records.find((r) => r.编号 === flow.case.id)!
    expect(row).toMatchObject({ 标题: title, 来源: '群众上报', 状态: '已派单', 匿名: '否', 类别: '环境卫生' })
    expect(row.上报时间).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(records.find((r) => r.编号 === formula.flow.case.id)!.标题).toBe('\'=HYPERLINK("http://example.com","点我")')
  })

  it("should send the file with a Content-Disposition (ASCII and RFC 5987 names), no-store and the API's security headers", async ({
    tokens,
  }) => {
    const res = await download('/exports/dispatch-orders.xlsx', await tokens.user('dept.CGHW'))
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    const disposition = res.headers.get('content-disposition')!
    expect(disposition).toMatch(
      /^attachment; filename="dispatch-orders-\d{8}-\d{6}\.xlsx"; filename\*=UTF-8''%E6%B4%BE%E5%8D%95-\d{8}-\d{6}\.xlsx$/,
    )
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toMatch(/^派单-/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(res.headers.get('x-request-id')).toBeTruthy()
  })

  it("should write an XLSX that opens, with the CSV's rows, Chinese headers and times as dates", async ({ tokens }) => {
    await dispatchedCase('表格导出')
    const token = await tokens.user('dept.CGHW')
    const csv = await csvRows('/exports/cases.csv', token)
    const res = await download('/exports/cases.xlsx', token)
    expect(res.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await res.arrayBuffer()) as never)
    const sheet = workbook.getWorksheet('案件')!
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header).toEqual(Object.keys(csv.records[0]!))
    const rows: Record<string, unknown>[] = []
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value])))
    })
    expect(rows.map((r) => r.编号)).toEqual(csv.records.map((r) => r.编号))
    // text cells are never formulas in XLSX: only the CSV needs them defused
    expect(rows.map((r) => r.标题)).toEqual(csv.records.map((r) => r.标题!.replace(/^'(?=[=+\-@])/, '')))
    expect(rows.every((r) => typeof r.标题 === 'string')).toBe(true)
    const reported = rows[0]!.上报时间
    expect(reported).toBeInstanceOf(Date)
    // the cell shows the Shanghai wall-clock time the CSV shows
    expect((reported as Date).toISOString().slice(0, 19).replace('T', ' ')).toBe(csv.records[0]!.上报时间)
  })
})

describe('audit and limits', () => {
  it('should record each export in the audit log: who, which export, the filter names and the outcome', async ({
    tokens,
  }) => {
    const since = new Date()
    const staff = await t.prisma.user.findUniqueOrThrow({ where: { username: 'dept.CGZF' } })
    const token = await tokens.user(staff.username)
    await csvRows('/exports/cases.csv', token, { status: 'DISPATCHED', from: '2020-01-01' })
    await (await download('/exports/cases.csv', token, { status: 'NOPE' })).arrayBuffer()
    const resident = await userWithRole(t.prisma, 'RESIDENT')
    await (await download('/exports/cases.csv', await tokens.user(resident.username, ['RESIDENT']))).arrayBuffer()
    await expect
      .poll(() =>
        t.prisma.auditEntry.count({
          where: { operation: 'GET /exports/cases.csv', actorId: { in: [staff.id, resident.id] }, at: { gte: since } },
        }),
      )
      .toBe(3)
    const entries = await t.prisma.auditEntry.findMany({
      where: { operation: 'GET /exports/cases.csv', actorId: { in: [staff.id, resident.id] }, at: { gte: since } },
      orderBy: { at: 'asc' },
    })
    // the entry of a file is written when its last row is sent: order them by outcome
    expect(
      entries.map((e) => [e.actorId, e.inputFields, e.outcome]).sort((x, y) => (String(x[2]) < String(y[2]) ? -1 : 1)),
    ).toEqual([
      [staff.id, ['from', 'status'], 'OK'],
      [resident.id, [], 'auth/forbidden'],
      [staff.id, ['status'], 'common/validation-failed'],
    ])
    expect(entries.find((e) => e.outcome === 'OK')!.actorRoles).toEqual(['DEPARTMENT_STAFF'])
  })

  it('should refuse a third export at once by the same account with 429 until one ends', async ({ tokens }) => {
    // enough rows (36 MB of CSV) that neither file fits the socket buffers: the first two stay open until read
    const { grid } = await gridCenter(t, GRID)
    const category = await t.prisma.caseCategory.findUniqueOrThrow({ where: { code: 'SANITATION' } })
    await t.prisma
      .$executeRaw`INSERT INTO "Case" (id, title, description, "categoryId", source, status, "gridId", "regionId", "handlingRegionId", lng, lat, attachments, "createdById", "updatedAt")
      SELECT gen_random_uuid(), '填充 ' || i, repeat('描述', 1000), ${category.id}::uuid, 'PATROL', 'ACCEPTED', ${grid.id}::uuid, ${grid.communityId}::uuid, ${grid.communityId}::uuid, 0, 0, '{}', ${grid.id}::uuid, now()
      FROM generate_series(1, 6000) AS i`
    const token = await tokens.user('admin')
    const first = await download('/exports/cases.csv', token)
    const second = await download('/exports/cases.csv', token, { source: 'PATROL' })
    expect([first.status, second.status]).toEqual([200, 200])
    const third = await download('/exports/cases.csv', token)
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('10')
    expect((await third.json()).errors[0].extensions.code).toBe('export/too-many-exports')
    const since = new Date()
    await first.arrayBuffer()
    await second.body!.cancel()
    await expect
      .poll(async () => {
        const r = await download('/exports/cases.csv', token)
        await r.arrayBuffer()
        return r.status
      })
      .toBe(200)
    // the one given up by its client is audited as such
    await expect
      .poll(() =>
        t.prisma.auditEntry.count({
          where: {
            operation: 'GET /exports/cases.csv',
            inputFields: { equals: ['source'] },
            outcome: 'ABORTED',
            at: { gte: since },
          },
        }),
      )
      .toBe(1)
  })
})

// ---------------------------------------------------------------- reports and more lists

const DAY_MS = 86_400_000
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10)
// the seeded rows and everything made here are from today: a range of days around now holds them all
const PERIOD = { startDate: shanghaiDay(Date.now() - DAY_MS), endDate: shanghaiDay(Date.now() + DAY_MS) }

/** The columns of department-performance: header, DepartmentPerformance field (README). */
const DEPARTMENT_COLUMNS = [
  ['部门编码', 'department.code'],
  ['部门名称', 'department.name'],
  ['接单数', 'ordersReceived'],
  ['撤单数', 'ordersCancelled'],
  ['计入考核的派单数', 'ordersCounted'],
  ['按时签收数', 'signedOnTimeCount'],
  ['应签收数', 'signingDueCount'],
  ['签收及时率', 'signedOnTimePercent'],
  ['按时办结数', 'completedOnTimeCount'],
  ['应办结数', 'completionDueCount'],
  ['办结及时率', 'completedOnTimePercent'],
  ['退单数', 'returnedCount'],
  ['退单率', 'returnedPercent'],
  ['转单数', 'transferredCount'],
  ['转单率', 'transferredPercent'],
  ['督办次数', 'supervisionCount'],
  ['一级督办数', 'supervisionsByLevel[0].count'],
  ['二级督办数', 'supervisionsByLevel[1].count'],
  ['三级督办数', 'supervisionsByLevel[2].count'],
  ['被督办派单数', 'supervisedOrderCount'],
  ['督办率', 'supervisedPercent'],
  ['涉及案件数', 'caseCount'],
  ['被重办案件数', 'reopenedCaseCount'],
  ['重办率', 'reopenedPercent'],
  ['平均满意度', 'averageSatisfaction'],
  ['评价数', 'ratingCount'],
  ['签收用时中位数（小时）', 'medianHoursToSign'],
  ['办结用时中位数（小时）', 'medianHoursToComplete'],
  ['综合得分', 'score'],
  ['计分权重合计', 'scoreBasis'],
  ['排名', 'rank'],
  ['参与排名的部门数', 'rankedOutOf'],
] as const
const DEPARTMENTS =
  graphql(`query($regionId: ID, $period: AssessmentPeriodInput!) { departmentPerformance(regionId: $regionId, period: $period) { rows {
  department { code name } ordersReceived ordersCancelled ordersCounted signedOnTimeCount signingDueCount signedOnTimePercent
  completedOnTimeCount completionDueCount completedOnTimePercent returnedCount returnedPercent transferredCount transferredPercent
  supervisionCount supervisionsByLevel { level count } supervisedOrderCount supervisedPercent caseCount reopenedCaseCount reopenedPercent
  averageSatisfaction ratingCount medianHoursToSign medianHoursToComplete score scoreBasis rank rankedOutOf } } }`)

const CANCEL_ORDER = graphql(
  `mutation($input: CancelDispatchOrderInput!) { cancelDispatchOrder(input: $input) { __typename ... on CancelDispatchOrderPayload { order { id status } } } }`,
)

/** The columns of grid-performance: header, GridPerformance field (README). */
const GRID_COLUMNS = [
  ['网格编码', 'grid.code'],
  ['网格名称', 'grid.name'],
  ['社区', 'grid.community.name'],
  ['案件总数', 'casesReported'],
  ['巡查发现数', 'casesFoundByPatrol'],
  ['群众上报数', 'casesReportedByResidents'],
  ['办结数', 'casesResolved'],
  ['按期办结数', 'resolvedOnTimeCount'],
  ['应办结数', 'dueCount'],
  ['按期办结率', 'onTimePercent'],
  ['平均满意度', 'averageSatisfaction'],
  ['评价数', 'ratingCount'],
  ['核查通过次数', 'verificationsPassed'],
  ['核查不通过次数', 'verificationsFailed'],
  ['核查通过率', 'verificationPassPercent'],
  ['在岗网格人员数', 'activeWorkers'],
  ['户数', 'households'],
  ['人均服务户数', 'householdsPerWorker'],
  ['志愿服务时长', 'volunteerHours'],
  ['志愿服务人次', 'volunteerServices'],
  ['报到党员数', 'partyMembersReported'],
] as const
const GRIDS =
  graphql(`query($regionId: ID, $period: AssessmentPeriodInput!) { gridPerformance(regionId: $regionId, period: $period) { rows {
  grid { code name community { name } } casesReported casesFoundByPatrol casesReportedByResidents casesResolved resolvedOnTimeCount dueCount onTimePercent
  averageSatisfaction ratingCount verificationsPassed verificationsFailed verificationPassPercent activeWorkers households householdsPerWorker
  volunteerHours volunteerServices partyMembersReported } } }`)

/** The columns of volunteer-hours: header, ActivitySignup field (README). */
const HOURS_COLUMNS = [
  ['编号', 'id'],
  ['志愿者', 'user.displayName'],
  ['活动', 'activity.title'],
  ['社区', 'activity.community.name'],
  ['网格', 'activity.grid.name'],
  ['服务时长（小时）', 'hours'],
  ['积分', 'points'],
] as const

/** The columns of party-member-records: header, MemberServiceRecord field (README). */
const RECORD_COLUMNS = [
  ['党员编号', 'member.id'],
  ['姓名', 'member.name'],
  ['所属党组织', 'member.org.name'],
  ['居住社区', 'member.homeCommunity.name'],
  ['年度', 'year'],
  ['服务总时长', 'hours'],
  ['参加志愿活动次数', 'activities'],
  ['志愿活动时长', 'activityHours'],
  ['认领兑现微心愿数', 'wishesFulfilled'],
  ['协助办理诉求数', 'casesHelped'],
  ['承诺总时长', 'hoursPledged'],
  ['年度承诺数', 'commitmentsTotal'],
  ['已兑现承诺数', 'commitmentsMet'],
] as const

const MEMBER_RECORDS =
  graphql(`query($after: String, $filter: PartyMemberFilter, $year: Int) { partyMembers(first: 100, after: $after, filter: $filter) {
      pageInfo { hasNextPage endCursor } edges { node { id name org { name } homeCommunity { name }
        serviceRecord(year: $year) { year hours activities activityHours wishesFulfilled casesHelped hoursPledged commitmentsTotal commitmentsMet } } } } }`)

/** Every party member of `partyMembers` with the filter, and their service record of the year, as MemberServiceRecord rows. */
async function memberRecords(token: string, year: number, filter: VariablesOf<typeof MEMBER_RECORDS>['filter']) {
  const out = []
  let after: string | null = null
  for (;;) {
    const data: ResultOf<typeof MEMBER_RECORDS> = await client(t.url, token).must(MEMBER_RECORDS, {
      after,
      filter,
      year,
    })
    out.push(...data.partyMembers.edges.map(({ node: { serviceRecord, ...member } }) => ({ ...serviceRecord, member })))
    if (!data.partyMembers.pageInfo.hasNextPage) return out
    after = data.partyMembers.pageInfo.endCursor
  }
}

const thisYear = Number(shanghaiDay(Date.now()).slice(0, 4))
/** An instant as the CSV writes it: Beijing wall-clock time. */
const beijingTime = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
/** Some row id: a well-formed global ID of the wrong type still is the wrong type. */
const SOME_ID = '0190a0e0-0000-7000-8000-000000000000'

describe('assessment reports', () => {
  it('should give an officer the rows of departmentPerformance, every figure as the API gives it, best score first', async ({
    tokens,
  }) => {
    // a cancelled order: ordersReceived and ordersCounted differ, so that the two columns mixed up would show
    const desk = await dispatchDesk(t, { gridCode: GRID, departmentCode: 'CGPCS' })
    const order = desk.orderOf(await desk.dispatched())
    await must(t.url, desk.officer, CANCEL_ORDER, { id: order.id, version: order.version, reason: '重复派单' })
    const street = await userWithRole(t.prisma, 'STREET_OFFICER')
    const token = await tokens.user(street.username)
    const { departmentPerformance } = await client(t.url, token).must(DEPARTMENTS, { period: PERIOD })
    const { records } = await csvRows('/exports/department-performance.csv', token, PERIOD)
    const cols = byColumns(DEPARTMENT_COLUMNS)
    expect(records.length).toBeGreaterThan(1)
    expect(Object.keys(records[0]!)).toEqual(DEPARTMENT_COLUMNS.map(([h]) => h))
    expect(records.map(cols.csv)).toEqual(departmentPerformance.rows.map(cols.api))
    // figures with something in them: the comparison is not of empty columns
    expect(records.some((r) => Number(r.接单数) > 0 && r.综合得分 !== '')).toBe(true)
    expect(records.some((r) => r.接单数 !== r.计入考核的派单数)).toBe(true)

    const xlsx = await xlsxRecords('/exports/department-performance.xlsx', token, PERIOD, '部门考核')
    expect(xlsx.records).toEqual(records)
  })

  it('should give a department its own row only, as departmentPerformance gives it to the department', async ({
    tokens,
  }) => {
    const token = await tokens.user('dept.CGHW')
    const { departmentPerformance } = await client(t.url, token).must(DEPARTMENTS, { period: PERIOD })
    const { records } = await csvRows('/exports/department-performance.csv', token, PERIOD)
    expect(records.map((r) => r.部门编码)).toEqual(['CGHW'])
    expect(records.map(byColumns(DEPARTMENT_COLUMNS).csv)).toEqual(
      departmentPerformance.rows.map(byColumns(DEPARTMENT_COLUMNS).api),
    )
    expect(Number(records[0]!.参与排名的部门数)).toBeGreaterThan(1)
  })

  it('should give an officer the rows of gridPerformance for the region and period asked for', async ({
    communities: { a, b, officerA },
    tokens,
  }) => {
    const token = await tokens.user(officerA.username)
    const month = { month: shanghaiDay(Date.now()).slice(0, 7) }
    for (const [regionId, period] of [
      [null, PERIOD],
      [globalId('Region', a.id), month],
    ] as const) {
      const { gridPerformance } = await client(t.url, token).must(GRIDS, { regionId, period })
      const { records } = await csvRows('/exports/grid-performance.csv', token, {
        ...period,
        ...(regionId ? { region: regionId } : {}),
      })
      expect(records.length).toBeGreaterThan(0)
      expect(records.map(byColumns(GRID_COLUMNS).csv)).toEqual(gridPerformance.rows.map(byColumns(GRID_COLUMNS).api))
      expect(new Set(records.map((r) => r.社区))).toEqual(new Set([a.name]))
    }
    const xlsx = await xlsxRecords('/exports/grid-performance.xlsx', token, PERIOD, '网格考核')
    expect(xlsx.records).toEqual((await csvRows('/exports/grid-performance.csv', token, PERIOD)).records)

    // another community's figures: the field's refusal, as JSON, before any file
    const res = await download('/exports/grid-performance.csv', token, { region: globalId('Region', b.id), ...PERIOD })
    expect(res.status).toBe(403)
    expect((await res.json()).errors[0].extensions.code).toBe('auth/forbidden')
  })
})

describe("volunteer hours and party members' records", () => {
  it("should give the completed signups of activitySignups, the volunteer's name masked as User.displayName masks it", async ({
    communities: { a, officerA },
    tokens,
  }) => {
    const officer = await tokens.user(officerA.username)
    const activity = await must(t, officer, V.createActivity, {
      ...activityInput(a.id, { startsInH: -1, hours: 4, gridId: a.grids[0]!.id }),
      title: '导出时长活动',
    })
    const [resident] = await people(t, 1)
    const member = await partyMemberPerson(t, a.id)
    for (const volunteer of [resident!.token, member.token]) {
      const flow = signupFactory(t, { volunteer, organizer: officer })
      await flow.signUp(activity.id)
      await flow.checkIn(officer)
      await flow.complete({ hours: 3 })
    }
    const filter = {
      status: ['COMPLETED' as const],
      from: new Date(Date.now() - 30 * DAY_MS).toISOString(),
      to: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    }
    const listed = await allOf(officer, LISTS.hours, filter)
    const query = { from: filter.from, to: filter.to }
    const { records } = await csvRows('/exports/volunteer-hours.csv', officer, query)
    const cols = byColumns(HOURS_COLUMNS)
    expect(records.map(cols.csv)).toEqual(listed.map(cols.api))
    expect(records.map((r) => r.活动开始)).toEqual(listed.map((s) => beijingTime(s.activity.startsAt)))
    expect(records.map((r) => r.完成时间)).toEqual(listed.map((s) => beijingTime(s.completedAt!)))
    // the two made here, newest first: the resident's name masked, the member of the officer's community whole
    const mine = records.filter((r) => r.活动 === '导出时长活动')
    expect(mine.map((r) => [r.志愿者, r['服务时长（小时）'], r.网格])).toEqual([
      [expect.not.stringContaining('*'), '3', a.grids[0]!.name],
      [expect.stringMatching(/^志\*+$/), '3', a.grids[0]!.name],
    ])

    const inGrid = await csvRows('/exports/volunteer-hours.csv', officer, {
      ...query,
      grid: globalId('Grid', a.grids[0]!.id),
    })
    expect(inGrid.records.map(cols.csv)).toEqual(
      listed.filter((s) => s.activity.grid?.id === globalId('Grid', a.grids[0]!.id)).map(cols.api),
    )
    const inCommunity = await csvRows('/exports/volunteer-hours.csv', officer, { community: globalId('Region', a.id) })
    const listedAll = await allOf(officer, LISTS.hours, { status: ['COMPLETED'] })
    expect(inCommunity.records.map(cols.csv)).toEqual(
      listedAll.filter((s) => s.activity.community.id === globalId('Region', a.id)).map(cols.api),
    )

    const xlsx = await xlsxRecords('/exports/volunteer-hours.xlsx', officer, query, '志愿服务时长')
    expect(xlsx.records).toEqual(records)
  })

  it('should give each party member of partyMembers with their serviceRecord of the year, this year by default', async ({
    communities: { a, officerA },
    tokens,
  }) => {
    const token = await tokens.user(officerA.username)
    const cols = byColumns(RECORD_COLUMNS)
    const sorted = (rows: unknown[][]) => rows.sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1))
    const { records } = await csvRows('/exports/party-member-records.csv', token)
    const listed = await memberRecords(token, thisYear, null)
    expect(records.length).toBeGreaterThan(0)
    expect(sorted(records.map(cols.csv))).toEqual(sorted(listed.map(cols.api)))
    expect(records.some((r) => Number(r.服务总时长) > 0)).toBe(true)
    expect(new Set(records.map((r) => r.年度))).toEqual(new Set([String(thisYear)]))

    const lastYear = await csvRows('/exports/party-member-records.csv', token, { year: String(thisYear - 1) })
    expect(sorted(lastYear.records.map(cols.csv))).toEqual(
      sorted((await memberRecords(token, thisYear - 1, null)).map(cols.api)),
    )

    const org = await t.prisma.partyOrg.findFirstOrThrow({ where: { level: 'COMMUNITY_COMMITTEE', regionId: a.id } })
    const underOrg = await csvRows('/exports/party-member-records.csv', token, { org: globalId('PartyOrg', org.id) })
    const listedUnder = await memberRecords(token, thisYear, { orgId: globalId('PartyOrg', org.id) })
    expect(listedUnder.length).toBeGreaterThan(0)
    expect(listedUnder.length).toBeLessThan(listed.length)
    expect(sorted(underOrg.records.map(cols.csv))).toEqual(sorted(listedUnder.map(cols.api)))

    const xlsx = await xlsxRecords('/exports/party-member-records.xlsx', token, {}, '党员年度记录')
    expect(xlsx.records).toEqual(records)
  })
})

describe('who may export the reports, and their filters', () => {
  const NEW = ['department-performance', 'grid-performance', 'volunteer-hours', 'party-member-records']

  it('should refuse a resident with 403, for each new export and format', async ({ tokens }) => {
    const token = await tokens.role('RESIDENT')
    for (const name of NEW) {
      for (const format of ['csv', 'xlsx']) {
        const res = await download(`/exports/${name}.${format}`, token, name.endsWith('performance') ? PERIOD : {})
        expect(res.status, name).toBe(403)
        expect(await res.json()).toEqual({
          errors: [{ message: expect.any(String), extensions: { code: 'auth/forbidden' } }],
        })
      }
    }
    // grid figures are for officers only, as the GraphQL field
    expect((await download('/exports/grid-performance.csv', await tokens.user('dept.CGHW'), PERIOD)).status).toBe(403)
  })

  it('should refuse a bad period or filter with 400 naming the parameter, before any file and without an OK audit entry', async ({
    tokens,
  }) => {
    const since = new Date()
    const street = await userWithRole(t.prisma, 'STREET_OFFICER')
    const token = await tokens.user(street.username)
    const bad: [string, Record<string, string>, string][] = [
      ['department-performance', {}, 'period: give exactly one of month, quarter, year, or startDate with endDate'],
      ['department-performance', { month: '2025-03', year: '2025' }, 'period: give exactly one'],
      ['department-performance', { month: '2025-13' }, 'month: a month as YYYY-MM'],
      ['grid-performance', { quarter: '2025-Q5' }, 'quarter'],
      ['grid-performance', { year: '25' }, 'year: a year as YYYY'],
      ['department-performance', { startDate: '2025-03-01' }, 'endDate: a range needs both startDate and endDate'],
      [
        'department-performance',
        { startDate: '2025-03-02', endDate: '2025-03-01' },
        'endDate: must not be before startDate',
      ],
      ['grid-performance', { startDate: '2024-01-01', endDate: '2025-03-01' }, 'endDate: at most 366 days'],
      ['department-performance', { month: '2025-03', region: globalId('Grid', SOME_ID) }, 'region'],
      ['department-performance', { month: '2025-03', regionId: 'x' }, 'regionId'],
      ['volunteer-hours', { from: '2025-03-02', to: '2025-03-01' }, 'to'],
      ['volunteer-hours', { grid: 'nope' }, 'grid'],
      ['party-member-records', { year: '1999' }, 'year'],
      ['party-member-records', { org: globalId('Region', SOME_ID) }, 'org'],
    ]
    for (const [name, query, message] of bad) {
      const res = await download(`/exports/${name}.csv`, token, query)
      expect(res.status, JSON.stringify(query)).toBe(400)
      expect(await res.json()).toEqual({
        errors: [{ message: expect.stringContaining(message), extensions: { code: 'common/validation-failed' } }],
      })
    }
    const paths = [...new Set(bad.map(([name]) => `GET /exports/${name}.csv`))]
    await expect
      .poll(() =>
        t.prisma.auditEntry.count({ where: { operation: { in: paths }, actorId: street.id, at: { gte: since } } }),
      )
      .toBe(bad.length)
    const outcomes = await t.prisma.auditEntry.groupBy({
      by: ['outcome'],
      where: { operation: { in: paths }, actorId: street.id, at: { gte: since } },
      _count: { _all: true },
    })
    expect(outcomes.map((o) => [o.outcome, o._count._all])).toEqual([['common/validation-failed', bad.length]])
  })
})
