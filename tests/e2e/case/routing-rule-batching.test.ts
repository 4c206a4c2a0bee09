// A page of routing rules reads the assisting departments of all its rules in one statement, not
// one per rule, and still answers each rule's departments in code order with nested selections folded
// in. Departments are read by every signed-in viewer (directory.policy.ts), so no viewer of the API can
// be shown fewer of them: the read policy is not asserted here.
import { beforeAll, describe, expect } from 'vitest'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import { client, graphql, must } from '../../helpers/graphql.js'
import { appTest } from '../../helpers/test.js'

// no background jobs, so that the counts hold the requests' statements only
const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
let officer: string
it.beforeAll(async ({ app }) => {
  t = app
})

const CreateCategory = graphql(
  `mutation($input: CreateCaseCategoryInput!) { createCaseCategory(input: $input) { __typename ... on CreateCaseCategoryPayload { category { id } } } }`,
)
const CreateRule = graphql(
  `mutation($input: CreateRoutingRuleInput!) { createRoutingRule(input: $input) { __typename ... on CreateRoutingRulePayload { rule { id } } } }`,
)
const Rules = graphql(
  `query($n: Int!, $category: ID) { routingRules(first: $n, categoryId: $category) { edges { node { id assistDepartments { id name } } } } }`,
)
const RulesWithRegions = graphql(
  `query($n: Int!, $category: ID) { routingRules(first: $n, categoryId: $category) { edges { node { id assistDepartments { id name region { name } } } } } }`,
)

const RULES = 5

describe('assisting departments of a page of routing rules', () => {
  let category: string
  /** Rule id → its assisting departments' ids, as the database orders them by code. */
  const expected = new Map<string, string[]>()

  beforeAll(async () => {
    const admin = await t.tokenFor((await userWithRole(t.prisma, 'ADMIN', { active: true })).username)
    officer = await t.tokenFor((await userWithRole(t.prisma, 'STREET_OFFICER', { active: true })).username)
    const [regions, departments] = await Promise.all([
      t.prisma.region.findMany({ orderBy: { code: 'asc' }, take: RULES }),
      t.prisma.department.findMany({ orderBy: { code: 'asc' }, take: 5 }),
    ])
    expect(regions).toHaveLength(RULES)
    expect(departments).toHaveLength(5)
    category = (
      await must(t, admin, CreateCategory, {
        code: 'BATCHED_RULES',
        name: '批量规则',
        signSlaHours: 2,
        completeSlaHours: 24,
        caseSlaHours: 48,
      })
    ).id
    const [lead, ...assists] = departments
    for (const [i, region] of regions.entries()) {
      // each rule names its assisting departments against code order, and not all of them
      const named = assists.slice(0, 2 + (i % 3)).reverse()
      const rule = await must(t, admin, CreateRule, {
        categoryId: category,
        regionId: globalId('Region', region.id),
        leadDepartmentId: globalId('Department', lead!.id),
        assistDepartmentIds: named.map((d) => globalId('Department', d.id)),
      })
      const inCodeOrder = await t.prisma.department.findMany({
        where: { id: { in: named.map((d) => d.id) } },
        orderBy: { code: 'asc' },
        select: { id: true },
      })
      expect(inCodeOrder.map((d) => d.id)).not.toEqual(named.map((d) => d.id))
      expected.set(
        rule.id,
        inCodeOrder.map((d) => globalId('Department', d.id)),
      )
    }
  })

  async function page(query: typeof Rules | typeof RulesWithRegions, n: number) {
    const c = client(t.url, officer)
    await c.must(query, { n, category }) // warm: prepared statements, the viewer's account
    let rules: { id: string; assistDepartments: { id: string; region?: { name: string } | null }[] }[] = []
    const { count } = await t.countStatements(async () => {
      rules = (await c.must(query, { n, category })).routingRules.edges.map((e) => e.node!)
    })
    return { count, rules }
  }

  it('should read the departments of five rules in as many statements as those of one', async () => {
    const one = await page(Rules, 1)
    const five = await page(Rules, RULES)
    expect(one.rules).toHaveLength(1)
    expect(five.rules).toHaveLength(RULES)
    expect(five.count).toBe(one.count)
    // the page of rules, and one statement for the departments of all of them
    expect(five.count).toBe(2)
  })

  it("should answer each rule's assisting departments in code order", async () => {
    const { rules } = await page(Rules, RULES)
    for (const rule of rules) {
      expect(rule.assistDepartments.map((d) => d.id)).toEqual(expected.get(rule.id))
    }
  })

  it("should fold the departments' nested selections into the same statement", async () => {
    const plain = await page(Rules, RULES)
    const nested = await page(RulesWithRegions, RULES)
    expect(nested.count).toBe(plain.count)
    for (const rule of nested.rules) {
      expect(rule.assistDepartments.map((d) => d.id)).toEqual(expected.get(rule.id))
      for (const d of rule.assistDepartments) expect(d.region?.name).toBeTruthy()
    }
  })
})
