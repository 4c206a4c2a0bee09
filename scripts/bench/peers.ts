// The side-by-side section of `npm run bench`: our server, PostGraphile 5 and stock graphql-yoga,
// each in its own Node 24 child process, on one embedded PostgreSQL with the demo data of one
// street (scale 1: every row of it is visible to that street's officer, so PostGraphile, which has
// no read policy, returns exactly the rows our API returns to that officer).
//
// Per query: the answers of both servers are normalised to plain nested arrays and compared; the
// SQL statements per request are counted through a protocol-parsing proxy (a separate start of
// each server); then autocannon measures each server in turn, A B A B.
import { execFileSync } from 'node:child_process'
import { isDeepStrictEqual } from 'node:util'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { loadConfig } from '../../src/config.js'
import { createPrisma } from '../../src/db.js'
import { freePort, startEmbeddedPostgres } from '../../src/db/embedded.js'
import { deployMigrations } from '../../src/db/migrate.js'
import { claimsForUser } from '../../src/auth/claims.js'
import { signToken } from '../../src/auth/jwt.js'
import { maskName } from '../../src/auth/personal-data.js'
import { seedDemo } from '../../src/seed/demo.js'
import { startServer, type ChildServer } from './children.js'
import { onCleanup } from './lifecycle.js'
import { serverNode } from './node24.js'
import { startStatementCounter } from './sql-counter.js'

export interface PeerOptions {
  /** Seconds per measured run. */
  seconds: number
  /** A B A B rounds per query (at least 2). */
  rounds: number
  connections: number
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
/** A GraphQL answer's `data`, read by the normalisers. */
type Data = Record<string, any>

interface Request {
  query: string
  variables?: Record<string, unknown>
}

interface PeerQuery {
  name: string
  ours: Request
  /** Absent for `{ __typename }`, where stock yoga is the third server. */
  postgraphile: Request
  /** Both answers as plain nested arrays, for the row check. */
  normaliseOurs(data: Data): Json
  normalisePostGraphile(data: Data): Json
  /** Makes differences that are not about rows comparable (see Q3); returns PostGraphile's side. */
  reconcile?(ours: Json, theirs: Json): Json
}

interface Measured {
  rps: number
  p50: number
  p99: number
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const HERE = path.join(ROOT, 'scripts/bench')
const PEERS = path.join(HERE, 'peers')

/**
 * PostGraphile has a package of its own (scripts/bench/peers: it needs Node ≥ 22, so the project's
 * `npm ci` leaves it out and prints no engine warning on Node 20). Installed from its lock file on the
 * bench's first run, with the npm of the Node the peers run on.
 */
function installPeers(nodePath: string) {
  if (fs.existsSync(path.join(PEERS, 'node_modules/postgraphile/package.json'))) return
  console.error('peers: installing PostGraphile into scripts/bench/peers (npm ci, first run only)')
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: PEERS,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PATH: `${path.dirname(nodePath)}${path.delimiter}${process.env.PATH}` },
  })
}
const SECRET = 'bench-peers-secret-0123456789-abcdefghijklmnop'
const COUNT_WARMUP = 5
const COUNT_REQUESTS = 20
const WARMUP_SECONDS = 1

const orders = (list: Data[]): Json => list.map((o) => [o.status, o.department?.name ?? null])
const pgOrders = (list: Data[]): Json => list.map((o) => [o.status, o.departmentByDepartmentId?.name ?? null])

function queries(caseId: string): PeerQuery[] {
  return [
    {
      name: '`{ __typename }`',
      ours: { query: '{ __typename }' },
      postgraphile: { query: '{ __typename }' },
      normaliseOurs: (d) => d.__typename === 'Query',
      normalisePostGraphile: (d) => d.__typename === 'Query',
    },
    {
      name: 'Q1 20 grids + community + 10 newest cases each + category',
      ours: {
        query:
          '{ grids(first: 20) { edges { node { code community { name } cases(first: 10) { edges { node { title category { name } } } } } } } }',
      },
      postgraphile: {
        query:
          '{ allGrids(first: 20, orderBy: [CODE_ASC]) { edges { node { code regionByCommunityId { name } casesByGridId(first: 10, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { edges { node { title caseCategoryByCategoryId { name } } } } } } } }',
      },
      normaliseOurs: (d) =>
        d.grids.edges.map(({ node: g }: Data) => [
          g.code,
          g.community.name,
          g.cases.edges.map(({ node: c }: Data) => [c.title, c.category.name]),
        ]),
      normalisePostGraphile: (d) =>
        d.allGrids.edges.map(({ node: g }: Data) => [
          g.code,
          g.regionByCommunityId.name,
          g.casesByGridId.edges.map(({ node: c }: Data) => [c.title, c.caseCategoryByCategoryId.name]),
        ]),
    },
    {
      name: 'Q2 50 newest cases + grid + category + orders + department',
      ours: {
        query:
          '{ cases(first: 50) { edges { node { title grid { code } category { name } orders { status department { name } } } } } }',
      },
      postgraphile: {
        query:
          '{ allCases(first: 50, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { edges { node { title gridByGridId { code } caseCategoryByCategoryId { name } dispatchOrdersByCaseId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { status departmentByDepartmentId { name } } } } } } }',
      },
      normaliseOurs: (d) =>
        d.cases.edges.map(({ node: c }: Data) => [c.title, c.grid.code, c.category.name, orders(c.orders)]),
      normalisePostGraphile: (d) =>
        d.allCases.edges.map(({ node: c }: Data) => [
          c.title,
          c.gridByGridId.code,
          c.caseCategoryByCategoryId.name,
          pgOrders(c.dispatchOrdersByCaseId.nodes),
        ]),
    },
    {
      name: 'Q3 one case by id: timeline + actors, orders + department',
      ours: {
        query:
          'query($id: ID!) { node(id: $id) { ... on Case { title timeline { action actor { displayName } } orders { status department { name } } } } }',
        variables: { id: Buffer.from(`Case:${caseId}`).toString('base64') },
      },
      postgraphile: {
        query:
          'query($id: UUID!) { caseByRowId(rowId: $id) { title caseEventsByCaseId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { action userByActorId { displayName } } } dispatchOrdersByCaseId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { status departmentByDepartmentId { name } } } } }',
        variables: { id: caseId },
      },
      normaliseOurs: ({ node: c }) => [
        c.title,
        c.timeline.map((e: Data) => [e.action, e.actor?.displayName ?? null]),
        orders(c.orders),
      ],
      normalisePostGraphile: ({ caseByRowId: c }) => [
        c.title,
        c.caseEventsByCaseId.nodes.map((e: Data) => [e.action, e.userByActorId?.displayName ?? null]),
        pgOrders(c.dispatchOrdersByCaseId.nodes),
      ],
      // Our API shows private persons (residents, party members) to some viewers with the surname
      // only (王**); PostGraphile has no such rule. An actor name counts as equal when ours is the
      // masked form of PostGraphile's: PostGraphile's side is normalised to the masked form there.
      reconcile: (ours, theirs) => {
        const [, ourEvents] = ours as [string, [string, string | null][]]
        const [title, events, rest] = theirs as [string, [string, string | null][], Json]
        return [
          title,
          events.map(([action, name], i) => {
            const mine = ourEvents[i]?.[1]
            return [action, name && mine !== name && mine === maskName(name) ? mine : name]
          }),
          rest,
        ]
      },
    },
  ]
}

async function post(
  url: string,
  body: Request,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; json: { data?: Data; errors?: { message: string }[] } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  let json: { data?: Data; errors?: { message: string }[] } = {}
  try {
    json = JSON.parse(text)
  } catch {
    /* reported below as a failed answer */
  }
  return { status: res.status, text, json }
}

/** One answer that must be a 200 without GraphQL errors; returns the raw body and the data. */
async function answer(
  server: ChildServer,
  body: Request,
  headers: Record<string, string>,
): Promise<{ text: string; data: Data }> {
  const r = await post(server.url, body, headers)
  if (r.status !== 200 || r.json.errors || !r.json.data) {
    throw new Error(`${server.name} answered ${r.status}: ${r.text.slice(0, 500)}\nto ${body.query}`)
  }
  return { text: r.text, data: r.json.data }
}

const missingGridCases = (e: unknown) =>
  /Cannot query field \\?"cases\\?" on type \\?"Grid\\?"/.test(String((e as Error).message))

async function measure(
  server: ChildServer,
  body: Request,
  headers: Record<string, string>,
  expectBody: string,
  duration: number,
  connections: number,
): Promise<Measured> {
  const r = await autocannon({
    url: server.url,
    method: 'POST',
    connections,
    duration,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    // Every answer must be the exact body checked before the run: errors or other rows are mismatches.
    expectBody,
  })
  const failed = [
    r.non2xx && `${r.non2xx} non-2xx`,
    r.errors && `${r.errors} connection errors`,
    r.timeouts && `${r.timeouts} timeouts`,
    r.mismatches && `${r.mismatches} answers that differ from the checked one`,
  ].filter(Boolean)
  if (failed.length) throw new Error(`${server.name}: ${failed.join(', ')} during the load run`)
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const ms = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0))

/** Runs the section and returns the markdown lines to print. */
export async function peerSection(opts: PeerOptions): Promise<string[]> {
  const rounds = Math.max(2, opts.rounds)
  const node = serverNode()
  console.error(`peers: servers run on Node ${node.version} (${node.source}: ${node.path})`)
  installPeers(node.path)

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-peers-'))
  const logDir = path.join(dir, 'logs')
  fs.mkdirSync(logDir)
  const db = await startEmbeddedPostgres({ dataDir: dir, database: 'bench' })
  const dropDb = onCleanup(async () => {
    await db.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  // Stopped in reverse order at the end of the section, also when it fails (servers before the database).
  const started: { stop(): Promise<void> }[] = []
  try {
    await deployMigrations(db.url)
    const prisma = createPrisma(db.url)
    const seeded = await seedDemo(prisma, { scale: 1 })
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      JWT_SECRET: SECRET,
      MUTATIONS_PER_MINUTE: '1000000',
    })
    const officer = await prisma.user.findUniqueOrThrow({ where: { username: 'street.officer' } })
    const token = await signToken(SECRET, await claimsForUser(prisma, officer.id), {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    })
    // Q3's case: the one with the most timeline events among those with at least two orders.
    const cases = await prisma.case.findMany({
      select: { id: true, _count: { select: { events: true, orders: true } } },
    })
    const pick = cases.filter((c) => c._count.orders >= 2).sort((a, b) => b._count.events - a._count.events)[0]
    if (!pick) throw new Error('no demo case with two dispatch orders')
    await prisma.$disconnect()
    console.error(
      `peers: seeded scale 1 (${seeded.grids} grids, ${cases.length} cases); Q3 case has ${pick._count.events} events, ${pick._count.orders} orders`,
    )

    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    })

    const ourHeaders = { authorization: `Bearer ${token}` }
    const dbPort = Number(new URL(db.url).port)
    const viaPort = (port: number) => {
      const u = new URL(db.url)
      u.port = String(port)
      return u.toString()
    }
    const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR }
    const graphqlReady = (p: string) => async (base: string) =>
      (
        await fetch(`${base}${p}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        })
      ).ok

    const startOurs = async (url: string) => {
      const port = await freePort()
      // Production defaults (logging, limits and all): the real server, as deployed.
      return startServer({
        name: 'Gongzhi',
        node: node.path,
        args: [path.join(ROOT, 'dist/main.js')],
        cwd: ROOT,
        port,
        graphqlPath: '/graphql',
        logDir,
        env: {
          ...baseEnv,
          NODE_ENV: 'production',
          DATABASE_URL: url,
          JWT_SECRET: SECRET,
          SEED_DEMO: 'false',
          BACKGROUND_JOBS: 'false',
          HOST: '127.0.0.1',
          PORT: String(port),
        },
        isReady: async (base) => (await fetch(`${base}/readyz`)).ok,
      })
    }
    const startPostGraphile = async (url: string) => {
      const port = await freePort()
      return startServer({
        name: 'PostGraphile',
        node: node.path,
        args: [path.join(PEERS, 'postgraphile-server.mjs')],
        cwd: PEERS,
        port,
        graphqlPath: '/graphql',
        logDir,
        env: { ...baseEnv, NODE_ENV: 'production', DATABASE_URL: url, PORT: String(port) },
        isReady: graphqlReady('/graphql'),
      })
    }
    const startYoga = async () => {
      const port = await freePort()
      return startServer({
        name: 'stock yoga',
        node: node.path,
        args: [path.join(HERE, 'yoga-server.mjs')],
        cwd: ROOT,
        port,
        graphqlPath: '/graphql',
        logDir,
        env: { ...baseEnv, NODE_ENV: 'production', PORT: String(port) },
        isReady: graphqlReady('/graphql'),
      })
    }

    const list = queries(pick.id)
    const skipped = new Set<PeerQuery>()

    // --- SQL statements per request: a start of each server behind its own counting proxy.
    const statements = new Map<PeerQuery, { ours: number; postgraphile: number }>()
    {
      const ourCounter = await startStatementCounter({ host: '127.0.0.1', port: dbPort })
      const pgCounter = await startStatementCounter({ host: '127.0.0.1', port: dbPort })
      started.push({ stop: ourCounter.close }, { stop: pgCounter.close })
      const [ours, pgl] = await Promise.all([
        startOurs(viaPort(ourCounter.port)),
        startPostGraphile(viaPort(pgCounter.port)),
      ])
      started.push(ours, pgl)
      const perRequest = async (
        server: ChildServer,
        counter: typeof ourCounter,
        body: Request,
        headers: Record<string, string>,
      ) => {
        for (let i = 0; i < COUNT_WARMUP; i++) await answer(server, body, headers)
        counter.reset()
        for (let i = 0; i < COUNT_REQUESTS; i++) await answer(server, body, headers)
        return counter.count() / COUNT_REQUESTS
      }
      for (const q of list) {
        try {
          const o = await perRequest(ours, ourCounter, q.ours, ourHeaders)
          statements.set(q, { ours: o, postgraphile: await perRequest(pgl, pgCounter, q.postgraphile, {}) })
        } catch (e) {
          if (!missingGridCases(e)) throw e
          skipped.add(q)
          console.error(`peers: ${q.name} skipped: our schema has no Grid.cases yet`)
        }
      }
      await Promise.all([ours.stop(), pgl.stop()])
      await Promise.all([ourCounter.close(), pgCounter.close()])
    }

    // --- Load: fresh starts connected to PostgreSQL directly.
    const [ours, pgl, yoga] = await Promise.all([startOurs(db.url), startPostGraphile(db.url), startYoga()])
    started.push(ours, pgl, yoga)
    const rows: string[] = []
    for (const q of list) {
      if (skipped.has(q)) {
        rows.push(`| ${q.name} | skipped: our schema has no \`Grid.cases\` yet | | | | | | | | |`)
        continue
      }
      // Rows checked equal once, before the load.
      const mine = await answer(ours, q.ours, ourHeaders)
      const theirs = await answer(pgl, q.postgraphile, {})
      const a = q.normaliseOurs(mine.data)
      const raw = q.normalisePostGraphile(theirs.data)
      const b = q.reconcile ? q.reconcile(a, raw) : raw
      if (!isDeepStrictEqual(a, b)) {
        throw new Error(
          `${q.name}: the rows differ\nGongzhi:      ${JSON.stringify(a)}\nPostGraphile: ${JSON.stringify(b)}`,
        )
      }
      const masked = isDeepStrictEqual(raw, b)
        ? ''
        : ' (actor names compared in their masked form where ours masks them)'
      console.error(`peers: ${q.name}: rows equal, ${JSON.stringify(a).length} characters normalised${masked}`)

      const isBaseline = q.ours.query === '{ __typename }'
      const contenders = [
        { server: ours, body: q.ours, headers: ourHeaders, expect: mine.text },
        { server: pgl, body: q.postgraphile, headers: {}, expect: theirs.text },
        ...(isBaseline
          ? [{ server: yoga, body: q.ours, headers: {}, expect: (await answer(yoga, q.ours, {})).text }]
          : []),
      ]
      for (const c of contenders) await measure(c.server, c.body, c.headers, c.expect, WARMUP_SECONDS, opts.connections)
      const runs = contenders.map(() => [] as Measured[])
      for (let round = 0; round < rounds; round++) {
        for (const [i, c] of contenders.entries()) {
          runs[i]!.push(await measure(c.server, c.body, c.headers, c.expect, opts.seconds, opts.connections))
        }
      }
      const [o, p, y] = runs.map((rs) => ({
        rps: mean(rs.map((r) => r.rps)),
        p50: mean(rs.map((r) => r.p50)),
        p99: mean(rs.map((r) => r.p99)),
      }))
      console.error(
        `peers: ${q.name}: ${runs.map((rs, i) => `${contenders[i]!.server.name} ${rs.map((r) => r.rps.toFixed(0)).join('/')} req/s`).join(', ')}`,
      )
      const sql = statements.get(q)!
      rows.push(
        [
          '',
          q.name,
          `${sql.ours.toFixed(1)} / ${sql.postgraphile.toFixed(1)}`,
          o!.rps.toFixed(0),
          p!.rps.toFixed(0),
          (o!.rps / p!.rps).toFixed(2),
          `${ms(o!.p50)} / ${ms(o!.p99)}`,
          `${ms(p!.p50)} / ${ms(p!.p99)}`,
          y ? y.rps.toFixed(0) : '–',
          y ? (o!.rps / y.rps).toFixed(2) : '–',
          y ? `${ms(y.p50)} / ${ms(y.p99)}` : '–',
          '',
        ]
          .join(' | ')
          .trim(),
      )
    }
    await Promise.all([ours.stop(), pgl.stop(), yoga.stop()])

    return [
      `\nSide by side, ${new Date().toISOString().slice(0, 10)}: servers on Node ${node.version} (one child process each), load generator on Node ${process.version} in the bench process, ${os.cpus().length} cores;`,
      `one street of demo data (scale 1), our requests as \`street.officer\` (read policy applied, same rows as PostGraphile); autocannon ${opts.connections} connections, ${rounds} interleaved rounds × ${opts.seconds} s per server (means of the rounds), ${WARMUP_SECONDS} s warm-up each; SQL = Execute + Query messages per request, ${COUNT_REQUESTS} sequential requests after ${COUNT_WARMUP} warm-ups.\n`,
      '| query | SQL/request Gongzhi / PostGraphile | req/s Gongzhi | req/s PostGraphile | ratio Gongzhi / PostGraphile | p50 / p99 ms Gongzhi | p50 / p99 ms PostGraphile | req/s stock yoga | ratio Gongzhi / stock yoga | p50 / p99 ms stock yoga |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ]
  } finally {
    for (const s of started.reverse()) await s.stop()
    dropDb()
    await db.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
