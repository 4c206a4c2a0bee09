// README.md, followed literally by a new user: every operation of its ```graphql blocks, in the README's
// order, sent with the token of the role its comment names (the demo users `npm start` prints; a block
// that names none runs as the admin, whose token GraphiQL starts with), the `"<…>"` placeholders filled
// from earlier answers, against the demo data of a first start (territory and workflows). The subscription
// goes over graphql-ws and must receive the order the walk-through dispatches. The curl example too.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  buildSchema,
  getNamedType,
  isUnionType,
  Kind,
  parse,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql'
import type { Client } from 'graphql-ws'
import { afterAll, describe, expect } from 'vitest'
import { test } from '../../helpers/test.js'
import { demoUsersByRole, type DemoUser } from '../../../src/auth/claims.js'
import { Role, type RoleName } from '../../../src/auth/viewer.js'
import { hasDemoWorkflows } from '../../../src/seed/demo.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { gql, collect, wsClient } from '../../helpers/graphql.js'

const readme = fs.readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
const sdl = buildSchema(
  fs.readFileSync(fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url)), 'utf8'),
)
const ROLES = Object.keys(Role) as RoleName[]

interface Step {
  /** `Example queries #3`: the section and the operation's position in the README. */
  name: string
  role: RoleName
  kind: OperationDefinitionNode['operation']
  /** The root fields it selects, in order. */
  fields: string[]
  /** The operation's text as printed in the README, placeholders and all. */
  text: string
}

/** The README's ```graphql blocks, split into operations with the role each one's comment names. */
function readmeSteps(markdown: string): Step[] {
  const steps: Step[] = []
  for (const block of markdown.matchAll(/^```graphql\n([\s\S]*?)^```/gm)) {
    const section =
      markdown
        .slice(0, block.index)
        .match(/^## (.+)$/gm)
        ?.at(-1)
        ?.slice(3) ?? 'README'
    const source = block[1]!
    let role: RoleName = 'ADMIN'
    let end = 0
    parse(source).definitions.forEach((def, i) => {
      if (def.kind !== Kind.OPERATION_DEFINITION)
        throw new Error(`${section}: only operations are expected, found a ${def.kind}`)
      const comments = source
        .slice(end, def.loc!.start)
        .split('\n')
        .filter((l) => l.trim().startsWith('#'))
        .join('\n')
      const named = [...new Set(comments.match(new RegExp(`\\b(${ROLES.join('|')})\\b`, 'g')) ?? [])] as RoleName[]
      if (named.length > 1)
        throw new Error(`${section} #${i + 1}: its comment names several roles (${named.join(', ')}); name one`)
      role = named[0] ?? role
      end = def.loc!.end
      steps.push({
        name: `${section} #${steps.filter((s) => s.name.startsWith(`${section} #`)).length + 1}`,
        role,
        kind: def.operation,
        fields: def.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '…')),
        text: source.slice(def.loc!.start, def.loc!.end),
      })
    })
  }
  return steps
}

/** The success member of a union result (the one that is not an `Error`), or null for a plain type. */
function successType(schema: GraphQLSchema, kind: Step['kind'], field: string): string | null {
  const root =
    kind === 'mutation'
      ? schema.getMutationType()
      : kind === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType()
  const type = getNamedType(root?.getFields()[field]?.type)
  if (!type) throw new Error(`${kind} field ${field} is not in schema/schema.graphql`)
  if (!isUnionType(type)) return null
  const ok = type.getTypes().filter((t) => !t.getInterfaces().some((i) => i.name === 'Error'))
  if (ok.length !== 1)
    throw new Error(`${type.name}: expected one success member, got ${ok.map((t) => t.name).join(', ')}`)
  return ok[0]!.name
}

const steps = readmeSteps(readme)

let t: TestApp
let users: Map<RoleName, DemoUser & { token: string; departmentId: string | null }>
/** The `data` of every step so far, newest last. */
const answers: Record<string, unknown>[] = []
/** The open subscriptions, by root field. */
const subscriptions = new Map<string, ReturnType<typeof collect> & { client: Client }>()
let broken: string | null = null

function answer<T = any>(field: string): T {
  const found = answers.findLast((a) => field in a)
  if (!found) throw new Error(`needs the answer of \`${field}\`, which no earlier step gave`)
  return found[field] as T
}

async function firstEvent<T = any>(field: string): Promise<T> {
  const sub = subscriptions.get(field)
  if (!sub) throw new Error(`needs the subscription \`${field}\`, which no earlier step opened`)
  const [first] = await sub.next(1)
  expect(first!.errors, JSON.stringify(first!.errors)).toBeUndefined()
  return (first!.data as Record<string, T>)[field]!
}

/** The item called `name` in the list an earlier step answered with `field`. */
function named(field: string, name: string): { id: string } {
  const found = answer<{ id: string; name: string }[]>(field).find((x) => x.name === name)
  if (!found) throw new Error(`the answer of \`${field}\` has nothing named ${name}`)
  return found
}

const user = (role: RoleName) => {
  const u = users.get(role)
  if (!u) throw new Error(`no demo user is printed for ${role}`)
  return u
}

/** Where each placeholder's value comes from: the steps before it, as the README's comments say. */
const PLACEHOLDERS: Record<string, () => string | Promise<string>> = {
  '环境卫生 id': () => named('caseCategories', '环境卫生').id,
  'case id': () => answer('reportCase').case.id,
  'assist order id': () =>
    answer<{ case: { orders: { id: string; role: string }[] } }>('dispatchCase').case.orders.find(
      (o) => o.role === 'ASSIST',
    )!.id,
  'order id': async () => {
    const mine = await printedDepartmentsOrder()
    const event = await firstEvent<{ order: { id: string } }>('dispatchOrderCreated')
    expect(event.order.id).toBe(mine.id)
    return event.order.id
  },
  'PartyMember id': () => answer('myPartyMember').id,
  'home grid id': () => answer('myPartyMember').homeGrid.id,
  '助老敬老服务 id': () => named('serviceItems', '助老敬老服务').id,
  'report id': () => answer('submitDualReport').report.id,
  'Department id': () => globalId('Department', user('DEPARTMENT_STAFF').departmentId!),
  'User id': () => answer('createUser').user.id,
}

/** The dispatched order of the printed department: it must be one the dispatch reached, or its subscription waits in vain. */
async function printedDepartmentsOrder(): Promise<{ id: string; role: string }> {
  const orders = answer<{ case: { orders: { id: string; role: string; department: { name: string } | null }[] } }>(
    'dispatchCase',
  ).case.orders
  const staff = user('DEPARTMENT_STAFF')
  const department = await t.prisma.department.findUniqueOrThrow({ where: { id: staff.departmentId! } })
  const mine = orders.filter((o) => o.department?.name === department.name)
  expect(
    mine,
    `the printed DEPARTMENT_STAFF (${staff.username}, ${department.name}) receives none of the orders dispatched: ${JSON.stringify(orders)}`,
  ).toHaveLength(1)
  return mine[0]!
}

async function fill(text: string): Promise<string> {
  let out = text
  for (const [quoted, name] of text.matchAll(/"<([^"<>]+)>"/g)) {
    const from = PLACEHOLDERS[name!]
    if (!from)
      throw new Error(
        `placeholder "<${name}>" has no source in this test: say in README.md where it comes from, and add it to PLACEHOLDERS`,
      )
    const value = await from()
    expect(value, `placeholder "<${name}>"`).toEqual(expect.any(String))
    out = out.replace(quoted, JSON.stringify(value))
  }
  return out
}

/** The subscriber's audience in the dispatch feed, to know when it listens (no sleeping on readiness). */
function attached(field: string, u: DemoUser & { departmentId: string | null }): Promise<void> {
  if (field !== 'dispatchOrderCreated')
    throw new Error(`subscription ${field}: tell this test how to await its attachment`)
  return t.app.feeds.dispatch.whenAttached(
    u.role === 'DEPARTMENT_STAFF' ? `department:${u.departmentId}` : `user:${u.userId}`,
  )
}

test.beforeAll(async ({ app }) => {
  t = app
  const demo = await demoUsersByRole(t.prisma)
  const rows = await t.prisma.user.findMany({
    where: { id: { in: demo.map((u) => u.userId) } },
    select: { id: true, departmentId: true },
  })
  users = new Map(
    await Promise.all(
      demo.map(
        async (u) =>
          [
            u.role,
            {
              ...u,
              departmentId: rows.find((r) => r.id === u.userId)?.departmentId ?? null,
              // what main.ts prints: a token limited to the role
              token: await t.tokenFor(u.username, [u.role]),
            },
          ] as const,
      ),
    ),
  )
})

afterAll(async () => {
  for (const s of subscriptions.values()) {
    s.dispose()
    await s.client.dispose()
  }
})

describe('README.md', () => {
  test('should have example operations in ```graphql blocks', () => {
    expect(steps.filter((s) => s.name.startsWith('Example queries #')).length).toBeGreaterThan(0)
  })

  test('should run on the data of a first start: the territory and the demo workflows', async () => {
    expect(await hasDemoWorkflows(t.prisma)).toBe(true)
  })

  test('should show in Quick start the demo users npm start prints, in its order', async () => {
    const sample = readme.match(/^Demo tokens .*\n([\s\S]*?)^```/m)?.[1] ?? ''
    const printed = [...sample.matchAll(/^ {2}([A-Z_]+) +(\S+)$/gm)].map(([, role, username]) => ({ role, username }))
    expect(printed).toEqual((await demoUsersByRole(t.prisma)).map(({ role, username }) => ({ role, username })))
  })

  describe.each(steps)('$name: $kind { $fields } as $role', (step) => {
    test('should answer without errors, with its success payload', async () => {
      if (broken) throw new Error(`not run: ${broken} failed before it`)
      broken = step.name
      const u = user(step.role)
      const text = await fill(step.text)
      if (step.kind === 'subscription') {
        const client = wsClient(t.wsUrl, u.token)
        const sub = collect(client, text)
        subscriptions.set(step.fields[0]!, { ...sub, client })
        await attached(step.fields[0]!, u)
        expect(sub.items, JSON.stringify(sub.items)).toEqual([])
      } else {
        const res = await gql(t.url, text, undefined, { token: u.token })
        const body = JSON.stringify(res)
        expect(res.errors, body).toBeUndefined()
        expect(res.status).toBe(200)
        expect(body).not.toContain('Unexpected error.')
        for (const field of step.fields) {
          const value = (res.data as Record<string, unknown>)[field]
          expect(value, `${field} answered null: ${body}`).not.toBeNull()
          const success = successType(sdl, step.kind, field)
          if (success) expect((value as { __typename?: string }).__typename, `${field}: ${body}`).toBe(success)
        }
        answers.push(res.data as Record<string, unknown>)
      }
      broken = null
    })
  })

  test('should answer the first example, the grid at a point with its public card, for every printed role', async () => {
    const first = steps[0]!
    expect(first.kind).toBe('query')
    for (const u of users.values()) {
      const res = await gql(t.url, await fill(first.text), undefined, { token: u.token })
      const body = JSON.stringify(res)
      expect(res.errors, `${u.role}: ${body}`).toBeUndefined()
      expect(body).not.toContain('Unexpected error.')
      for (const field of first.fields) expect(res.data?.[field], `${u.role}: ${body}`).toBeTruthy()
    }
  })

  test('should have delivered the dispatched order to the printed department, and nothing else', async () => {
    const sub = subscriptions.get('dispatchOrderCreated')
    expect(sub, 'the walk-through subscribes to dispatchOrderCreated').toBeDefined()
    const mine = await printedDepartmentsOrder()
    await sub!.next(1)
    expect(JSON.stringify(sub!.items)).not.toContain('Unexpected error.')
    expect(
      sub!.items.map(
        (x) => (x.data as { dispatchOrderCreated?: { order: unknown } } | undefined)?.dispatchOrderCreated?.order,
      ),
    ).toEqual([expect.objectContaining({ id: mine.id, role: mine.role, status: 'CREATED' })])
  })

  test("should show the approved party member on their grid's public card", () => {
    const card = answer<{
      report: { grid: { publicCard: { partyMembers: { name: string; role: string | null }[] } } }
    }>('approveDualReport').report.grid.publicCard
    expect(card.partyMembers).toContainEqual(
      expect.objectContaining({ name: answer('myPartyMember').name, role: '楼栋党员联络员' }),
    )
  })

  test('should answer the curl example with every printed token', async () => {
    const command = readme.match(/^```sh\n(curl [\s\S]*?)^```/m)?.[1]
    expect(command, 'README.md has a curl example').toBeDefined()
    for (const u of users.values()) {
      const { url, headers, body } = curlRequest(command!, { TOKEN: u.token })
      expect(new URL(url).pathname).toBe('/graphql')
      const res = await fetch(`${t.origin}/graphql`, { method: 'POST', headers, body })
      const text = await res.text()
      expect(res.status, `${u.role}: ${text}`).toBe(200)
      const json = JSON.parse(text) as { data?: unknown; errors?: unknown[] }
      expect(json.errors, `${u.role}: ${text}`).toBeUndefined()
      expect(json.data, u.role).toBeTruthy()
    }
  })
})

describe('demoUsersByRole', () => {
  // last in the file: it deactivates a printed account
  test('should fall back to the first active holder of the role by username when its demo account is inactive', async () => {
    const printed = user('PARTY_MEMBER')
    await t.prisma.user.update({ where: { id: printed.userId }, data: { active: false } })
    const first = await t.prisma.user.findFirstOrThrow({
      where: { active: true, roles: { has: 'PARTY_MEMBER' } },
      orderBy: { username: 'asc' },
    })
    const now = await demoUsersByRole(t.prisma)
    expect(now.find((u) => u.role === 'PARTY_MEMBER')).toEqual({
      role: 'PARTY_MEMBER',
      userId: first.id,
      username: first.username,
    })
    expect(new Set(now.map((u) => u.role))).toEqual(new Set(ROLES))
  })
})

/** The request of a `curl -s URL -H … -d …` command line; `$VAR` is expanded outside single quotes. */
function curlRequest(
  command: string,
  env: Record<string, string>,
): { url: string; headers: Record<string, string>; body: string } {
  const expand = (w: string) => w.replace(/\$(\w+)/g, (_, k: string) => env[k] ?? '')
  const words = [...command.replace(/\\\n/g, ' ').matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
    (m) => m[1] ?? expand(m[2] ?? m[3]!),
  )
  const out = { url: '', headers: {} as Record<string, string>, body: '' }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (w === 'curl' || w === '-s') continue
    if (w === '-H') {
      const [k, ...v] = words[++i]!.split(':')
      out.headers[k!.trim()] = v.join(':').trim()
    } else if (w === '-d') out.body = words[++i]!
    else if (w.startsWith('-')) throw new Error(`curl option ${w}: teach this test what it does`)
    else out.url = /^https?:/.test(w) ? w : `http://${w}`
  }
  return out
}
