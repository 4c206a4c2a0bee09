// Street offices run the system without database access: a new department and its staff, a role
// change, a shorter SLA, a routing rule, a compound, a resident unit, a catalogue item — each change
// validated, versioned and audited; each refusal typed and changing nothing.
import pg from 'pg'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, twoCommunities, userWithRole } from '../../helpers/fixtures.js'
import { answer, type Closed, deferred, Failure, gql, graphql, must, source, wsClient } from '../../helpers/graphql.js'

let t: TestApp
let admin: string
let streetOfficer: string
let communityOfficerA: string
let street: { id: string }
let communities: Awaited<ReturnType<typeof twoCommunities>>
it.beforeAll(async ({ app }) => {
  t = app
  admin = await t.tokenFor((await userWithRole(t.prisma, 'ADMIN', { active: true })).username)
  const so = await userWithRole(t.prisma, 'STREET_OFFICER', { active: true })
  streetOfficer = await t.tokenFor(so.username)
  street = await t.prisma.region.findUniqueOrThrow({ where: { id: so.regionIds[0]! }, select: { id: true } })
  communities = await twoCommunities(t.prisma)
  communityOfficerA = await t.tokenFor(communities.officerA.username)
})

const M = {
  createDepartment: graphql(
    `mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { __typename ...Failure ... on CreateDepartmentPayload { department { id code name version } } } }`,
    [Failure],
  ),
  updateDepartment: graphql(
    `mutation($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { __typename ...Failure ... on UpdateDepartmentPayload { department { id name phone version } } } }`,
    [Failure],
  ),
  createUser: graphql(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ...Failure ... on CreateUserPayload { user { id username roles version active department { id } } } } }`,
    [Failure],
  ),
  updateUser: graphql(
    `mutation($input: UpdateUserInput!) { updateUser(input: $input) { __typename ...Failure ... on UpdateUserPayload { user { id displayName version } } } }`,
    [Failure],
  ),
  setGrants: graphql(
    `mutation($input: SetUserGrantsInput!) { setUserGrants(input: $input) { __typename ...Failure ... on SetUserGrantsPayload { user { id roles version } } } }`,
    [Failure],
  ),
  deactivate: graphql(
    `mutation($input: UserVersionInput!) { deactivateUser(input: $input) { __typename ...Failure ... on DeactivateUserPayload { user { id active version } } } }`,
    [Failure],
  ),
  reactivate: graphql(
    `mutation($input: UserVersionInput!) { reactivateUser(input: $input) { __typename ...Failure ... on ReactivateUserPayload { user { id active version } } } }`,
    [Failure],
  ),
  updateCategory: graphql(
    `mutation($input: UpdateCaseCategoryInput!) { updateCaseCategory(input: $input) { __typename ...Failure ... on UpdateCaseCategoryPayload { category { id signSlaHours completeSlaHours version } } } }`,
    [Failure],
  ),
  createCategory: graphql(
    `mutation($input: CreateCaseCategoryInput!) { createCaseCategory(input: $input) { __typename ...Failure ... on CreateCaseCategoryPayload { category { id code version } } } }`,
    [Failure],
  ),
  createRule: graphql(
    `mutation($input: CreateRoutingRuleInput!) { createRoutingRule(input: $input) { __typename ...Failure ... on CreateRoutingRulePayload { rule { id version leadDepartment { id } } } } }`,
    [Failure],
  ),
  updateRule: graphql(
    `mutation($input: UpdateRoutingRuleInput!) { updateRoutingRule(input: $input) { __typename ...Failure ... on UpdateRoutingRulePayload { rule { id version active completeSlaHours } } } }`,
    [Failure],
  ),
  createCompound: graphql(
    `mutation($input: CreateCompoundInput!) { createCompound(input: $input) { __typename ...Failure ... on CreateCompoundPayload { compound { id name version } } } }`,
    [Failure],
  ),
  updateCompound: graphql(
    `mutation($input: UpdateCompoundInput!) { updateCompound(input: $input) { __typename ...Failure ... on UpdateCompoundPayload { compound { id name address version } } } }`,
    [Failure],
  ),
  createUnit: graphql(
    `mutation($input: CreateResidentUnitInput!) { createResidentUnit(input: $input) { __typename ...Failure ... on CreateResidentUnitPayload { unit { id name version } } } }`,
    [Failure],
  ),
  updateUnit: graphql(
    `mutation($input: UpdateResidentUnitInput!) { updateResidentUnit(input: $input) { __typename ...Failure ... on UpdateResidentUnitPayload { unit { id name contactPhone version } } } }`,
    [Failure],
  ),
  createItem: graphql(
    `mutation($input: CreateServiceItemInput!) { createServiceItem(input: $input) { __typename ...Failure ... on CreateServiceItemPayload { item { id code version } } } }`,
    [Failure],
  ),
  updateItem: graphql(
    `mutation($input: UpdateServiceItemInput!) { updateServiceItem(input: $input) { __typename ...Failure ... on UpdateServiceItemPayload { item { id active version } } } }`,
    [Failure],
  ),
}
const AUDIT =
  graphql(`query($filter: AuditFilter) { auditEntries(first: 50, filter: $filter) { totalCount edges { node {
  operation targetType targetId outcome inputFields requestId actor { id } actorRoles } } } }`)

/** Tokens for an account created through the API. */
const tokenOf = async (userGlobalId: string) =>
  t.sign({ sub: Buffer.from(userGlobalId, 'base64').toString().split(':')[1]! })

describe('departments and their staff', () => {
  it('should take on a department and its staff, change a role, and deactivate an account at once', async () => {
    const department = await must(t, streetOfficer, M.createDepartment, {
      code: 'CG-NEW-DESK',
      name: '新设窗口',
      regionId: globalId('Region', street.id),
    })
    expect(department).toMatchObject({ code: 'CG-NEW-DESK', version: 0 })
    const staff = await must(t, streetOfficer, M.createUser, {
      username: 'new.desk.staff',
      displayName: '窗口人员',
      phone: '13800001111',
      roles: ['DEPARTMENT_STAFF'],
      departmentId: department.id,
    })
    expect(staff).toMatchObject({
      roles: ['DEPARTMENT_STAFF'],
      active: true,
      version: 0,
      department: { id: department.id },
    })

    const token = await tokenOf(staff.id)
    const SEES = graphql(`{ me { id } dispatchOrders(first: 1) { totalCount } }`)
    expect((await gql(t.url, SEES, {}, { token })).data?.me?.id).toBe(staff.id)

    // a role change reaches the open socket at once: it closes and the client reconnects with the new grants
    const closed = deferred<Closed>()
    const ws = wsClient(t.wsUrl, token, { lazy: false, onClosed: (c) => closed.resolve(c) })
    const first = deferred<unknown>()
    ws.subscribe(
      { query: source(graphql(`{ me { id } }`)) },
      { next: (v) => first.resolve(v), error: (e) => first.reject(e), complete: () => {} },
    )
    await first.promise
    const changed = await must(t, streetOfficer, M.setGrants, {
      id: staff.id,
      version: 0,
      roles: ['DEPARTMENT_STAFF', 'RESIDENT'],
      departmentId: department.id,
      regionIds: null, // as absent: no region
    })
    expect(changed.version).toBe(1)
    expect(await closed.promise).toMatchObject({ code: 4403 })

    const off = await must(t, streetOfficer, M.deactivate, { id: staff.id, version: 1 })
    expect(off).toMatchObject({ active: false, version: 2 })
    const refused = await gql(t.url, SEES, {}, { token })
    expect(refused.status).toBe(401)
    expect(await answer(t, streetOfficer, M.deactivate, { id: staff.id, version: 2 })).toMatchObject({
      __typename: 'ValidationFailed',
    })
    expect(await must(t, streetOfficer, M.reactivate, { id: staff.id, version: 2 })).toMatchObject({
      active: true,
      version: 3,
    })
    expect((await gql(t.url, SEES, {}, { token })).status).toBe(200)
  })

  it('should refuse what a street officer may not grant, and stale or invalid changes, changing nothing', async () => {
    const before = await t.prisma.user.count()
    expect(
      await answer(t, streetOfficer, M.createUser, {
        username: 'would.be.admin',
        displayName: '某人',
        roles: ['ADMIN'],
      }),
    ).toMatchObject({ __typename: 'Forbidden' })
    const otherStreet = await t.prisma.region.findFirst({ where: { level: 'STREET', id: { not: street.id } } })
    if (otherStreet) {
      expect(
        await answer(t, streetOfficer, M.createUser, {
          username: 'far.officer',
          displayName: '某人',
          roles: ['COMMUNITY_OFFICER'],
          regionIds: [globalId('Region', otherStreet.id)],
        }),
      ).toMatchObject({ __typename: 'Forbidden' })
    }
    expect(
      await answer(t, streetOfficer, M.createUser, { username: 'Bad Name!', displayName: '某人', roles: ['RESIDENT'] }),
    ).toMatchObject({ __typename: 'ValidationFailed' })
    expect(
      await answer(t, streetOfficer, M.createUser, {
        username: 'staff.no.dept',
        displayName: '某人',
        roles: ['DEPARTMENT_STAFF'],
      }),
    ).toMatchObject({ __typename: 'ValidationFailed' })
    expect(
      await answer(t, communityOfficerA, M.createUser, {
        username: 'by.community',
        displayName: '某人',
        roles: ['RESIDENT'],
      }),
    ).toMatchObject({ __typename: 'Forbidden' })
    const taken = await userWithRole(t.prisma, 'RESIDENT')
    expect(
      await answer(t, admin, M.createUser, { username: taken.username, displayName: '某人', roles: ['RESIDENT'] }),
    ).toMatchObject({ __typename: 'Conflict' })
    expect(await t.prisma.user.count()).toBe(before)

    const worker = await userWithRole(t.prisma, 'GRID_WORKER', { active: true })
    const stale = await answer(t, admin, M.updateUser, {
      id: globalId('User', worker.id),
      version: worker.version + 5,
      displayName: '改名',
    })
    expect(stale).toMatchObject({
      __typename: 'StaleVersion',
      expectedVersion: worker.version + 5,
      actualVersion: worker.version,
    })
    const adminUser = await userWithRole(t.prisma, 'ADMIN', { active: true })
    expect(
      await answer(t, admin, M.deactivate, { id: globalId('User', adminUser.id), version: adminUser.version }),
    ).toMatchObject({ __typename: 'ValidationFailed' })
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: worker.id } })).displayName).toBe(worker.displayName)
  })
})

describe('reference data', () => {
  it('should shorten an SLA (admins only), keeping the SLAs consistent', async () => {
    const category = await t.prisma.caseCategory.findFirstOrThrow({ orderBy: { code: 'asc' } })
    const id = globalId('CaseCategory', category.id)
    expect(await answer(t, streetOfficer, M.updateCategory, { id, version: 0, signSlaHours: 1 })).toMatchObject({
      __typename: 'Forbidden',
    })
    expect(
      await answer(t, admin, M.updateCategory, { id, version: 0, signSlaHours: category.completeSlaHours + 1 }),
    ).toMatchObject({ __typename: 'ValidationFailed' })
    expect(await must(t, admin, M.updateCategory, { id, version: 0, signSlaHours: 0.5 })).toMatchObject({
      signSlaHours: 0.5,
      version: 1,
    })
    expect(
      await must(t, admin, M.createCategory, {
        code: 'STRAY_ANIMALS',
        name: '流浪动物',
        signSlaHours: 2,
        completeSlaHours: 48,
        caseSlaHours: 72,
      }),
    ).toMatchObject({ version: 0 })
  })

  it('should let a street officer fix a routing rule of their street, and no other', async () => {
    const [category, lead, assist] = await Promise.all([
      t.prisma.caseCategory
        .findFirstOrThrow({ where: { code: 'STRAY_ANIMALS' } })
        .catch(() => t.prisma.caseCategory.findFirstOrThrow()),
      t.prisma.department.findFirstOrThrow({ orderBy: { code: 'asc' } }),
      t.prisma.department.findFirstOrThrow({ orderBy: { code: 'desc' } }),
    ])
    const input = {
      categoryId: globalId('CaseCategory', category.id),
      leadDepartmentId: globalId('Department', lead.id),
      assistDepartmentIds: [globalId('Department', assist.id)],
    }
    expect(
      await answer(t, streetOfficer, M.createRule, {
        ...input,
        regionId: globalId('Region', communities.a.id),
        assistDepartmentIds: [input.leadDepartmentId],
      }),
    ).toMatchObject({ __typename: 'ValidationFailed' })
    const rule = await must(t, streetOfficer, M.createRule, {
      ...input,
      regionId: globalId('Region', communities.a.id),
    })
    expect(rule).toMatchObject({ version: 0, leadDepartment: { id: input.leadDepartmentId } })
    expect(
      await must(t, streetOfficer, M.updateRule, { id: rule.id, version: 0, completeSlaHours: 12, active: false }),
    ).toMatchObject({ active: false, completeSlaHours: 12, version: 1 })
    expect(await answer(t, communityOfficerA, M.updateRule, { id: rule.id, version: 1, active: true })).toMatchObject({
      __typename: 'Forbidden',
    })
    expect(await answer(t, streetOfficer, M.updateRule, { id: rule.id, version: 0, active: true })).toMatchObject({
      __typename: 'StaleVersion',
    })
    // departments given as null are left as they are, as absent ones are (clients that send every variable)
    expect(
      await must(t, streetOfficer, M.updateRule, {
        id: rule.id,
        version: 1,
        leadDepartmentId: null,
        assistDepartmentIds: null,
        active: true,
      }),
    ).toMatchObject({ active: true, version: 2 })
    const stored = await t.prisma.routingRule.findFirstOrThrow({
      where: { categoryId: category.id, regionId: communities.a.id },
    })
    expect(stored).toMatchObject({ leadDepartmentId: lead.id, assistDepartmentIds: [assist.id] })
  })

  it("should let a community's officers keep its compounds and resident units, and no one else's", async () => {
    const compound = await must(t, communityOfficerA, M.createCompound, {
      communityId: globalId('Region', communities.a.id),
      name: '新建小区',
      address: '东门路 1 号',
    })
    expect(
      await must(t, communityOfficerA, M.updateCompound, { id: compound.id, version: 0, address: null }),
    ).toMatchObject({ address: null, version: 1 })
    expect(
      await answer(t, communityOfficerA, M.createCompound, {
        communityId: globalId('Region', communities.b.id),
        name: '别人的小区',
      }),
    ).toMatchObject({ __typename: 'Forbidden' })
    const unit = await must(t, communityOfficerA, M.createUnit, {
      communityId: globalId('Region', communities.a.id),
      name: '新驻区单位',
      kind: 'ENTERPRISE',
      contactPhone: '13900002222',
    })
    expect(
      await must(t, communityOfficerA, M.updateUnit, { id: unit.id, version: 0, name: '新驻区单位（更名）' }),
    ).toMatchObject({ version: 1 })
    expect(
      await answer(t, communityOfficerA, M.createUnit, {
        communityId: globalId('Region', communities.a.id),
        name: 'x',
        kind: 'ENTERPRISE',
        creditCode: 'not-a-code',
      }),
    ).toMatchObject({ __typename: 'ValidationFailed' })
  })

  it('should keep the service catalogue for admins', async () => {
    const item = await must(t, admin, M.createItem, { code: 'LEGAL-AID', name: '法律援助', category: '专业服务' })
    expect(await must(t, admin, M.updateItem, { id: item.id, version: 0, active: false })).toMatchObject({
      active: false,
      version: 1,
    })
    expect(await answer(t, streetOfficer, M.createItem, { code: 'X-1', name: 'x', category: 'x' })).toMatchObject({
      __typename: 'Forbidden',
    })
  })
})

describe('the audit log', () => {
  it('should record every mutation — who, what, which row, the request id and the outcome — and no input value', async () => {
    const worker = await userWithRole(t.prisma, 'GRID_WORKER', { active: true })
    const id = globalId('User', worker.id)
    const res = await gql(
      t.url,
      M.updateUser,
      { input: { id, version: worker.version, phone: '13712345678' } },
      { token: admin, headers: { 'x-request-id': 'audit-test-1' } },
    )
    expect(res.data?.updateUser.__typename).toBe('UpdateUserPayload')
    await gql(
      t.url,
      M.updateUser,
      { input: { id, version: 0, displayName: '秘密名字' } },
      { token: admin, headers: { 'x-request-id': 'audit-test-2' } },
    )

    const log = await gql(t.url, AUDIT, { filter: { targetId: id } }, { token: admin })
    const entries = log.data?.auditEntries.edges.map((e) => e.node)
    const adminUser = await userWithRole(t.prisma, 'ADMIN', { active: true })
    expect(entries).toEqual(
      expect.arrayContaining([
        {
          operation: 'updateUser',
          targetType: 'User',
          targetId: id,
          outcome: 'OK',
          inputFields: ['id', 'phone', 'version'],
          requestId: 'audit-test-1',
          actor: { id: globalId('User', adminUser.id) },
          actorRoles: ['ADMIN'],
        },
        expect.objectContaining({
          operation: 'updateUser',
          outcome: 'common/stale-version',
          requestId: 'audit-test-2',
        }),
      ]),
    )
    const raw = JSON.stringify(await t.prisma.auditEntry.findMany())
    expect(raw).not.toContain('13712345678')
    expect(raw).not.toContain('秘密名字')
  })

  it('should record created rows by their new id, refusals by their code, and be readable by admins only', async () => {
    const created = await must(t, admin, M.createCompound, {
      communityId: globalId('Region', communities.b.id),
      name: '审计小区',
    })
    const log = await gql(t.url, AUDIT, { filter: { operation: 'createCompound' } }, { token: admin })
    expect(log.data?.auditEntries.edges.map((e) => e.node.targetId)).toContain(created.id)
    await answer(t, communityOfficerA, M.createCompound, {
      communityId: globalId('Region', communities.b.id),
      name: '越权',
    })
    const failed = await gql(
      t.url,
      AUDIT,
      { filter: { operation: 'createCompound', failedOnly: true } },
      { token: admin },
    )
    expect(failed.data?.auditEntries.edges.map((e) => e.node.outcome)).toContain('auth/forbidden')
    const denied = await gql(t.url, AUDIT, {}, { token: streetOfficer })
    expect(denied.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
  })
  it('should write the entries of concurrent mutations together, every one of them whole, before each answers', async () => {
    // The audit table is locked, so the first entry's insert waits; the other mutations commit their
    // changes meanwhile and queue their entries. Released, they go in one statement (group commit).
    const lock = new pg.Client({ connectionString: t.databaseUrl })
    await lock.connect()
    try {
      await lock.query('BEGIN')
      await lock.query('LOCK TABLE "AuditEntry" IN EXCLUSIVE MODE')
      const names = Array.from({ length: 12 }, (_, i) => `并发审计小区${i}`)
      let answered = 0
      const { statements } = await t.countStatements(async () => {
        const calls = names.map((name, i) =>
          gql(
            t.url,
            M.createCompound,
            { input: { communityId: globalId('Region', communities.b.id), name } },
            { token: admin, headers: { 'x-request-id': `audit-group-${i}` } },
          ).then((r) => {
            answered++
            return r
          }),
        )
        await expect
          .poll(() => t.prisma.compound.count({ where: { name: { in: names } } }), { timeout: 20_000 })
          .toBe(12)
        expect(answered).toBe(0) // nobody answers before their entry is written
        await lock.query('COMMIT')
        await Promise.all(calls)
      })
      const inserts = statements.filter((sql) => sql.includes('"AuditEntry"') && sql.includes('INSERT'))
      expect(inserts).toHaveLength(2)
      const rows = await t.prisma.auditEntry.findMany({ where: { requestId: { startsWith: 'audit-group-' } } })
      expect(rows).toHaveLength(12)
      const admins = await userWithRole(t.prisma, 'ADMIN', { active: true })
      for (const r of rows)
        expect(r).toMatchObject({
          operation: 'createCompound',
          outcome: 'OK',
          actorId: admins.id,
          actorRoles: ['ADMIN'],
          targetType: 'Compound',
          inputFields: ['communityId', 'name'],
        })
      expect(new Set(rows.map((r) => r.targetId)).size).toBe(12)
    } finally {
      await lock.end()
    }
  })
})
