// Builds many dispatch orders through the API with bounded parallelism, and reads the feed's
// ground truth (a department's orders in sequence order) from the database.
import type { TestApp } from '../helpers/app.js'
import { globalId, userWithRole } from '../helpers/fixtures.js'
import { client, type GqlResponse, graphql, must, ofType, type ResultOf, type VariablesOf } from '../helpers/graphql.js'
import { caseInput, gridCenter } from './cases.js'

/** The department feed, resumable from a cursor. */
export const FEED = graphql(
  `subscription($after: String) { dispatchOrderCreated(after: $after) { cursor order { id } } }`,
)

export type FeedItem = {
  data?: ResultOf<typeof FEED>
  errors?: unknown[]
}

/** Runs `task(i)` for i in [0, n) with at most `parallel` in flight; results in index order. */
export async function inParallel<T>(n: number, parallel: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(parallel, n) }, async () => {
      while (next < n) {
        const i = next++
        out[i] = await task(i)
      }
    }),
  )
  return out
}

export { rowId } from '../helpers/fixtures.js'

/** The sequence number inside a feed cursor: the tests check ordering with it. */
export function cursorSeq(cursor: string): bigint {
  const m = /^dispatch-seq:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!m) throw new Error(`not a feed cursor: ${cursor}`)
  return BigInt(m[1]!)
}

/** Order ids (global) of a feed's items, and a check that the feed delivered no errors. */
export function feedOrderIds(items: FeedItem[]): string[] {
  for (const i of items) if (i.errors) throw new Error(`feed error: ${JSON.stringify(i.errors)}`)
  return items.map((i) => i.data!.dispatchOrderCreated.order.id)
}

/**
 * Waits until a feed has delivered `orderId` (a barrier: the newest order) and returns every item
 * so far. Ends early when the subscription errors, so a broken feed fails fast instead of hanging.
 */
export async function feedThrough(
  feed: { next(n?: number): Promise<FeedItem[]> },
  orderId: string,
): Promise<FeedItem[]> {
  for (let n = 1; ; n++) {
    const items = await feed.next(n)
    const last = items[n - 1]!
    if (last.errors || last.data?.dispatchOrderCreated.order.id === orderId) return items.slice(0, n)
  }
}

/** Global ids of a department's orders after `cursor`, in sequence (commit) order: what a resuming feed must deliver. */
export async function ordersAfter(t: TestApp, departmentId: string, cursor: string): Promise<string[]> {
  const rows = await t.prisma.dispatchOrder.findMany({
    where: { departmentId, seq: { gt: cursorSeq(cursor) } },
    orderBy: { seq: 'asc' },
    select: { id: true },
  })
  return rows.map((r) => globalId('DispatchOrder', r.id))
}

/** What a mutation answered: its payload or error typename, or `GraphQLError` when it failed outright. */
export function outcome(res: GqlResponse): string {
  if (res.errors?.length || !res.data) return `GraphQLError: ${res.errors?.[0]?.message}`
  return (Object.values(res.data)[0] as { __typename: string }).__typename
}

/** Counts of each outcome. */
export function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1
  return counts
}

// Lean selections: building hundreds of orders must not pay for timelines it never reads.
const M = {
  report: graphql(
    `mutation($input: ReportCaseInput!) { reportCase(input: $input) { __typename ... on ReportCasePayload { case { id status version } } ... on Error { code message } } }`,
  ),
  accept: graphql(
    `mutation($input: AcceptCaseInput!) { acceptCase(input: $input) { __typename ... on AcceptCasePayload { case { id status version } } ... on Error { code message } } }`,
  ),
  dispatch: graphql(
    `mutation($input: DispatchCaseInput!) { dispatchCase(input: $input) { __typename ... on DispatchCasePayload { case { id status version orders { id status version } } } ... on Error { code message } } }`,
  ),
}
const CURSOR = graphql(`query($id: ID!) { node(id: $id) { __typename ... on DispatchOrder { cursor } } }`)

type ReportInput = VariablesOf<typeof M.report>['input']
type DispatchInput = VariablesOf<typeof M.dispatch>['input']

/** Cases per request when building many: aliased calls in one document share one request's context and caches. */
const BATCH = 10

/** One request carrying one aliased call of `field` per input; each call's case, failing on any typed error. */
async function batched(
  t: TestApp,
  token: string,
  field: 'reportCase' | 'acceptCase' | 'dispatchCase',
  inputs: Record<string, unknown>[],
): Promise<LeanCase[]> {
  const name = field.charAt(0).toUpperCase() + field.slice(1)
  const selection = field === 'dispatchCase' ? 'id status version orders { id status version }' : 'id status version'
  const defs = inputs.map((_, i) => `$i${i}: ${name}Input!`).join(', ')
  const calls = inputs
    .map(
      (_, i) =>
        `m${i}: ${field}(input: $i${i}) { __typename ... on ${name}Payload { case { ${selection} } } ... on Error { code message } }`,
    )
    .join(' ')
  // generated: one aliased call per input, so the document's text is built at run time
  const data = await client(t.url, token).must(
    `mutation(${defs}) { ${calls} }`,
    Object.fromEntries(inputs.map((v, i) => [`i${i}`, v])),
  )
  return inputs.map((_, i) => {
    const p = data[`m${i}`] as { __typename: string; message?: string; case?: LeanCase }
    if (!p.case) throw new Error(`${field}: ${p.__typename}: ${p.message}`)
    return p.case
  })
}

export interface LeanCase {
  id: string
  status: string
  version: number
  orders?: { id: string; status: string; version: number }[]
}

/**
 * A desk that files public-order (SECURITY, sign SLA 0.5 h) cases in one grid and has the grid's
 * community officer accept them and dispatch each to one department as lead (吹哨, MANUAL; or by the
 * routing rules, AUTO, which send SECURITY to CGPCS alone): every case yields exactly one order, to
 * that department (the police station 派出所 CGPCS by default).
 */
export async function dispatchDesk(
  t: TestApp,
  { gridCode = 'CG-DM-01', departmentCode = 'CGPCS', mode = 'MANUAL' as 'MANUAL' | 'AUTO' } = {},
) {
  const { grid } = await gridCenter(t, gridCode)
  const officerUser = await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })
  const officer = await t.tokenFor(officerUser.username)
  const input = await caseInput(t, {
    grid: gridCode,
    category: 'SECURITY',
    withGridId: true,
    description: '夜间有人在楼道聚集',
  })
  const department = await t.prisma.department.findUniqueOrThrow({ where: { code: departmentCode } })
  const departmentToken = await t.tokenFor(`dept.${departmentCode}`)
  const targets = [{ departmentId: globalId('Department', department.id), role: 'LEAD' as const }]
  let serial = 0
  const reportInput = (title = `治安隐患 ${gridCode} ${departmentCode} #${++serial}`): ReportInput => ({
    ...input,
    title,
  })
  const dispatchInput = (c: LeanCase): DispatchInput => ({
    id: c.id,
    version: c.version,
    mode,
    ...(mode === 'MANUAL' ? { targets } : {}),
  })
  const accepted = async (title?: string): Promise<LeanCase> => {
    const reported = await must(t.url, officer, M.report, reportInput(title))
    return must(t.url, officer, M.accept, { id: reported.id, version: reported.version })
  }
  const dispatch = (c: LeanCase): Promise<LeanCase> => must(t.url, officer, M.dispatch, dispatchInput(c))
  const dispatched = async (title?: string) => dispatch(await accepted(title))
  /** `n` cases built BATCH per request, `parallel` requests at a time; optionally dispatched too. */
  const many = async (n: number, parallel: number, dispatchToo: boolean) => {
    const chunks = await inParallel(Math.ceil(n / BATCH), parallel, async (k) => {
      const size = Math.min(BATCH, n - k * BATCH)
      const reported = await batched(
        t,
        officer,
        'reportCase',
        Array.from({ length: size }, () => reportInput()),
      )
      const acc = await batched(
        t,
        officer,
        'acceptCase',
        reported.map((c) => ({ id: c.id, version: c.version })),
      )
      return dispatchToo ? batched(t, officer, 'dispatchCase', acc.map(dispatchInput)) : acc
    })
    return chunks.flat()
  }
  return {
    officer,
    officerUser,
    department,
    departmentToken,
    grid,
    accepted,
    dispatch,
    dispatched,
    /** The single order of a case dispatched here. */
    orderOf: (c: LeanCase) => c.orders![0]!,
    /** `n` accepted cases, built in batched requests (`parallel` at a time). */
    acceptedMany: (n: number, parallel = 5) => many(n, parallel, false),
    /** `n` dispatched cases, built in batched requests (`parallel` at a time); orders are created in between batches' commits. */
    dispatchedMany: (n: number, parallel = 5) => many(n, parallel, true),
    /** The feed cursor of an order, as its department reads it. */
    async cursorOf(orderId: string): Promise<string> {
      const d = await client(t.url, departmentToken).must(CURSOR, { id: orderId })
      const { cursor } = ofType(d.node, 'DispatchOrder')
      if (cursor == null) throw new Error(`order ${orderId} has no feed cursor yet`)
      return cursor
    },
  }
}

/** The same desk dispatching by the routing rules (AUTO): SECURITY goes to 派出所 CGPCS alone. */
export const securityDesk = (t: TestApp, gridCode = 'CG-DM-01') =>
  dispatchDesk(t, { gridCode, departmentCode: 'CGPCS', mode: 'AUTO' })
