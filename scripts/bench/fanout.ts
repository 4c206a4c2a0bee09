// The fan-out section of `npm run bench`: dispatch orders pushed live to many
// graphql-ws subscribers of `dispatchOrderCreated`, against a bare `ws` server that broadcasts the
// same bytes to the same clients, from the same client processes, in the same run.
//
// Per size: our built server in a child process (on Node 24 like the side-by-side section) behind
// the statement-counting proxy; ~95 % of the sockets are department staff (synthetic users with
// their own tokens) spread over ≥ 50 departments, ~5 % grid workers (the seeded ones, a few
// sockets each). Cases are reported and accepted before anything is measured; then orders are
// dispatched at a steady rate, each to one department (round robin) or, every 10th, to one grid
// worker, and every client checks what it receives (scripts/bench/fanout-clients.ts). The bare
// server then gets the same clients, groups, order sequence and rate, and broadcasts, per order,
// the very `next` message a client of ours received for it. With Redis, a two-instance run: the
// subscribers split between two servers on one redis-server, orders sent to the first.
import { execFileSync, fork, spawnSync, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../../src/config.js'
import { createPrisma } from '../../src/db.js'
import { freePort, startEmbeddedPostgres } from '../../src/db/embedded.js'
import { deployMigrations } from '../../src/db/migrate.js'
import { claimsForUser } from '../../src/auth/claims.js'
import { signToken } from '../../src/auth/jwt.js'
import { seedDemo } from '../../src/seed/demo.js'
import { REDIS_SERVER, startRedisServer, type RedisServer } from '../../tests/helpers/redis.js'
import { startServer, type ChildServer } from './children.js'
import { commitClock, type CommitClock } from './commit-clock.js'
import {
  orderTitle,
  type ClientSpec,
  type ClientsProgress,
  type ClientsReport,
  type FromClients,
  type PlannedOrder,
  type ToClients,
} from './fanout-protocol.js'
import { interrupted, onCleanup, trackChild } from './lifecycle.js'
import { serverNode } from './node24.js'
import { startStatementCounter } from './sql-counter.js'

export interface FanoutOptions {
  /** Subscriber counts, one run each. */
  sizes: number[]
  /** Measured orders per run. */
  orders: number
  /** Orders per second. */
  rate: number
  /** Also the two-instance run over Redis (at `redisSizes`). */
  redis: boolean
  redisSizes: number[]
  /** Limit for each wait (connect, warm-up, delivery of the orders), in seconds. */
  timeoutSeconds: number
  /** Client processes; default 1 up to 2,000 subscribers, 2 above. */
  clientProcesses?: number
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const HERE = path.join(ROOT, 'scripts/bench')
export const SECRET = 'bench-fanout-secret-0123456789-abcdefghijklmnop'
const SUBSCRIPTION =
  'subscription { dispatchOrderCreated { cursor order { id status role department { name } case { title } } } }'
const MIN_DEPARTMENTS = 50
const GRID_WORKER_SHARE = 0.05
/** Every 10th order goes to a grid worker. */
const GRID_WORKER_EVERY = 10
/** Most subscriptions one user may hold on our server (default limit): a grid worker's sockets stay below. */
const PER_USER_LIMIT = 50
const IDLE_SECONDS = 10
const CONNECT_CONCURRENCY = 100
/** Seconds after which groups still missing their warm-up order get another one. */
const WARMUP_RETRY_SECONDS = 15
/** Most addressees in one dispatch (the API's limit). */
const MAX_TARGETS = 20

const now = () => performance.timeOrigin + performance.now()
export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64')
const rowId = (gid: string) => Buffer.from(gid, 'base64').toString().split(':').slice(1).join(':')
const fmt = (n: number) => n.toLocaleString('en-US')
const ms = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '–' : x < 10 ? x.toFixed(1) : x.toFixed(0)
/** Seconds, or `> limit` for a wait that ran out. */
const secs = (x: number | undefined, limit: number) => (x === undefined ? `> ${limit}` : (x / 1000).toFixed(1))

export function percentile(sorted: number[], p: number): number | undefined {
  if (!sorted.length) return undefined
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  )

/** VmRSS of a process in MiB, or undefined when it is gone. */
function rssMiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : undefined
  } catch {
    return undefined
  }
}

const sleep = (msDelay: number) => new Promise<void>((r) => setTimeout(r, msDelay))

interface GqlAnswer {
  data?: Record<string, any>
  errors?: { message: string }[]
}

export async function gql(
  url: string,
  token: string,
  timeoutMs: number,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await res.text()
  let json: GqlAnswer = {}
  try {
    json = JSON.parse(text)
  } catch {
    /* reported below */
  }
  if (res.status !== 200 || json.errors?.length || !json.data)
    throw new Error(`${res.status} ${text.slice(0, 500)}\nto ${query.slice(0, 200)}`)
  return json.data
}

// ---------------------------------------------------------------- the audience

/** A group of sockets that receives the same orders: one department, or one grid worker's own sockets. */
export interface Group {
  key: string
  kind: 'department' | 'worker'
  /** Department id or grid worker's user id (row ids). */
  id: string
  /** Department name (department groups). */
  name?: string
  /** The grid worker's grid (worker groups). */
  gridId?: string
  sockets: number
  /** Grid workers: one token for all their sockets. */
  token?: string
}

export interface Audience {
  groups: Group[]
  departments: Group[]
  workers: Group[]
  /** Client specs without URL; the URL is set per run. */
  clients: Omit<ClientSpec, 'url'>[]
}

export interface World {
  departments: { id: string; name: string; regionId: string }[]
  workers: { userId: string; gridId: string }[]
  grids: Map<string, { id: string; lng: number; lat: number }>
  officer: string
  categoryId: string
  issuer: string
  audience: string
  /** A grid worker's token, from the database like a login would make it. */
  workerToken(userId: string): Promise<string>
  /** A new staff account of the department (the server authorises from the database, so each subscriber needs a row). */
  newStaff(departmentId: string): Promise<string>
  /** Limit of one request to our server. */
  requestTimeoutMs: number
}

/**
 * The officer's token, the category and the account helpers over a seeded database (street 1's
 * officer, category SECURITY), signed with SECRET like a login would sign them.
 */
export async function worldOf(
  prisma: ReturnType<typeof createPrisma>,
  config: ReturnType<typeof loadConfig>,
  parts: Pick<World, 'departments' | 'workers' | 'grids' | 'requestTimeoutMs'>,
): Promise<World> {
  const sign = async (userId: string) =>
    signToken(SECRET, await claimsForUser(prisma, userId), { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE })
  const officerUser = await prisma.user.findUniqueOrThrow({ where: { username: 'street.officer' } })
  const category = await prisma.caseCategory.findUniqueOrThrow({ where: { code: 'SECURITY' } })
  return {
    ...parts,
    categoryId: globalId('CaseCategory', category.id),
    officer: await sign(officerUser.id),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    workerToken: sign,
    newStaff: async (departmentId) => {
      const id = randomUUID()
      await prisma.user.create({
        data: {
          id,
          username: `bench.staff.${id}`,
          displayName: 'Bench staff',
          roles: ['DEPARTMENT_STAFF'],
          departmentId,
        },
      })
      return id
    },
  }
}

/** Spreads `total` over `n` buckets as evenly as possible. */
const spread = (total: number, n: number) =>
  Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0))

export async function audienceFor(world: World, n: number): Promise<Audience> {
  const workerSockets = Math.max(1, Math.round(n * GRID_WORKER_SHARE))
  const deptSockets = n - workerSockets
  const workers = world.workers.slice(0, Math.min(world.workers.length, workerSockets))
  const perWorker = spread(workerSockets, workers.length)
  if (perWorker[0]! > PER_USER_LIMIT)
    console.error(
      `fanout: ${perWorker[0]} sockets per grid worker exceed the server's default ${PER_USER_LIMIT} subscriptions per user`,
    )
  const departments: Group[] = spread(deptSockets, world.departments.length).map((sockets, i) => {
    const d = world.departments[i]!
    return { key: `D${i}`, kind: 'department', id: d.id, name: d.name, sockets }
  })
  const workerGroups: Group[] = await Promise.all(
    workers.map(async (w, i) => ({
      key: `W${i}`,
      kind: 'worker' as const,
      id: w.userId,
      gridId: w.gridId,
      sockets: perWorker[i]!,
      token: await world.workerToken(w.userId),
    })),
  )
  const clients: Audience['clients'] = []
  // Interleaved, so every group spreads over every client process and server instance.
  const queues = [...departments, ...workerGroups].map((g) => ({ g, left: g.sockets }))
  while (queues.some((q) => q.left > 0)) {
    for (const q of queues) {
      if (q.left <= 0) continue
      q.left--
      if (q.g.kind === 'worker') clients.push({ group: q.g.key, token: q.g.token })
      else {
        // Department staff: an account of their own each, as the server authorises from the database.
        const dept = world.departments.find((d) => d.id === q.g.id)!
        const token = await signToken(
          SECRET,
          { sub: await world.newStaff(dept.id), roles: ['DEPARTMENT_STAFF'] },
          { issuer: world.issuer, audience: world.audience },
        )
        clients.push({ group: q.g.key, token, department: q.g.name })
      }
    }
  }
  return { groups: [...departments, ...workerGroups], departments, workers: workerGroups, clients }
}

// ---------------------------------------------------------------- cases

export interface PreparedCase {
  id: string
  version: number
  title: string
}

/** Reports and accepts cases as the officer, ten aliased calls per request. */
export async function prepareCases(
  url: string,
  world: World,
  specs: { title: string; gridId: string }[],
): Promise<PreparedCase[]> {
  const out: PreparedCase[] = []
  const batch = 10
  const call = async (field: 'reportCase' | 'acceptCase', inputs: Record<string, unknown>[]) => {
    const name = field.charAt(0).toUpperCase() + field.slice(1)
    const defs = inputs.map((_, i) => `$i${i}: ${name}Input!`).join(', ')
    const calls = inputs
      .map(
        (_, i) =>
          `m${i}: ${field}(input: $i${i}) { __typename ... on ${name}Payload { case { id version title } } ... on Error { code message } }`,
      )
      .join(' ')
    const data = await gql(
      url,
      world.officer,
      world.requestTimeoutMs,
      `mutation(${defs}) { ${calls} }`,
      Object.fromEntries(inputs.map((v, i) => [`i${i}`, v])),
    )
    return inputs.map((_, i) => {
      const p = data[`m${i}`] as { __typename: string; message?: string; case?: PreparedCase }
      if (!p.case) throw new Error(`${field}: ${p.__typename}: ${p.message}`)
      return p.case
    })
  }
  for (let k = 0; k < specs.length; k += batch) {
    const chunk = specs.slice(k, k + batch)
    const reported = await call(
      'reportCase',
      chunk.map((s) => {
        const g = world.grids.get(s.gridId)!
        return {
          title: s.title,
          description: '扇出压测：夜间楼道聚集',
          categoryId: world.categoryId,
          source: 'PATROL',
          lng: g.lng,
          lat: g.lat,
          gridId: globalId('Grid', s.gridId),
        }
      }),
    )
    out.push(
      ...(await call(
        'acceptCase',
        reported.map((c) => ({ id: c.id, version: c.version })),
      )),
    )
  }
  return out
}

const DISPATCH =
  'mutation($i: DispatchCaseInput!) { dispatchCase(input: $i) { __typename ... on Error { code message } } }'

type Target = { departmentId?: string; assigneeId?: string; role: 'LEAD' | 'ASSIST' }
export const targetOf = (g: Group, role: 'LEAD' | 'ASSIST' = 'LEAD'): Target =>
  g.kind === 'department'
    ? { departmentId: globalId('Department', g.id), role }
    : { assigneeId: globalId('User', g.id), role }

export async function dispatch(url: string, world: World, c: PreparedCase, targets: Target[]) {
  const data = await gql(url, world.officer, world.requestTimeoutMs, DISPATCH, {
    i: { id: c.id, version: c.version, mode: 'MANUAL', targets },
  })
  const p = data.dispatchCase as { __typename: string; code?: string; message?: string }
  if (!p.__typename.endsWith('Payload')) throw new Error(`dispatchCase: ${p.__typename} ${p.code}: ${p.message}`)
}

/** Warm-up cases covering `groups`: departments ≤ 20 per case, grid workers one case per grid. */
export function warmupSpecs(groups: Group[], runTag: string, serial: { n: number }, anyGrid: string) {
  const out: { title: string; gridId: string; groups: Group[] }[] = []
  const depts = groups.filter((g) => g.kind === 'department')
  for (let i = 0; i < depts.length; i += MAX_TARGETS)
    out.push({
      title: orderTitle(runTag, `w${serial.n++}`, '*'),
      gridId: anyGrid,
      groups: depts.slice(i, i + MAX_TARGETS),
    })
  const byGrid = new Map<string, Group[]>()
  for (const g of groups) if (g.kind === 'worker') byGrid.set(g.gridId!, [...(byGrid.get(g.gridId!) ?? []), g])
  for (const [gridId, ws] of byGrid) {
    for (let i = 0; i < ws.length; i += MAX_TARGETS)
      out.push({ title: orderTitle(runTag, `w${serial.n++}`, '*'), gridId, groups: ws.slice(i, i + MAX_TARGETS) })
  }
  return out
}

// ---------------------------------------------------------------- client processes

export class ClientProcesses {
  private readonly procs: ChildProcess[] = []
  private readonly latest: (ClientsProgress | undefined)[] = []
  /** Per process: message kinds received since the last `connect`, and when. */
  private readonly seen: Map<string, number>[] = []
  private readonly reports: (ClientsReport | undefined)[] = []
  private readonly listeners = new Set<() => void>()
  private failure: Error | undefined
  private readonly unregister: () => void

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      const child = fork(path.join(HERE, 'fanout-clients.ts'), [], {
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      trackChild(child)
      this.procs.push(child)
      this.seen.push(new Map())
      child.on('message', (m: FromClients) => {
        this.seen[i]!.set(m.kind, now())
        if ('acked' in m) this.latest[i] = m
        if (m.kind === 'report') this.reports[i] = m
        this.notify()
      })
      child.once('exit', (code, signal) => {
        this.failure ??= new Error(`client process ${i + 1} exited (code ${code}, signal ${signal})`)
        this.notify()
      })
    }
    this.unregister = onCleanup(() => this.kill())
  }

  get count() {
    return this.procs.length
  }

  private notify() {
    for (const l of [...this.listeners]) l()
  }

  send(i: number, m: ToClients) {
    this.procs[i]!.send(m)
  }

  /** Opens `specs[i]` in process i. */
  connect(mode: 'ours' | 'bare', runTag: string, specs: ClientSpec[][]) {
    for (const s of this.seen) s.clear()
    this.latest.fill(undefined)
    specs.forEach((clients, i) => {
      this.send(i, { kind: 'connect', mode, runTag, query: SUBSCRIPTION, clients, concurrency: CONNECT_CONCURRENCY })
    })
  }

  /** Resolves with the time the last process sent `kind`, or undefined at the deadline. */
  waitAll(kind: FromClients['kind'], deadline: number, onTick?: () => void): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      let tick: NodeJS.Timeout | undefined
      const done = (v: number | undefined, e?: Error) => {
        this.listeners.delete(check)
        clearTimeout(timer)
        clearInterval(tick)
        if (e) reject(e)
        else resolve(v)
      }
      const check = () => {
        if (this.failure) return done(undefined, this.failure)
        const times = this.seen.map((s) => s.get(kind))
        if (times.every((t) => t !== undefined)) done(Math.max(...(times as number[])))
      }
      const timer = setTimeout(() => done(undefined), Math.max(0, deadline - Date.now()))
      if (onTick) tick = setInterval(onTick, 1000)
      this.listeners.add(check)
      check()
    })
  }

  /** The latest progress of every process, summed. */
  progress(): ClientsProgress {
    const sum: ClientsProgress = { acked: 0, failed: 0, live: 0, total: 0, missing: {} }
    for (const p of this.latest) {
      if (!p) continue
      sum.acked += p.acked
      sum.failed += p.failed
      sum.live += p.live
      sum.total += p.total
      for (const [g, k] of Object.entries(p.missing)) sum.missing[g] = (sum.missing[g] ?? 0) + k
    }
    return sum
  }

  async report(timeoutMs: number): Promise<ClientsReport & { cpu: number[] }> {
    this.reports.fill(undefined)
    for (const s of this.seen) s.delete('report')
    for (let i = 0; i < this.procs.length; i++) this.send(i, { kind: 'report' })
    if ((await this.waitAll('report', Date.now() + timeoutMs)) === undefined)
      throw new Error('the client processes did not report within the limit')
    const merged: ClientsReport & { cpu: number[] } = {
      receipts: [],
      captured: [],
      foreign: 0,
      duplicates: 0,
      errors: 0,
      closedAfterAck: 0,
      completed: 0,
      samples: [],
      cpuPercent: 0,
      cpu: [],
    }
    const receipts = new Map<number, number[]>()
    const captured = new Map<number, string>()
    for (const r of this.reports as ClientsReport[]) {
      for (const [i, times] of r.receipts) receipts.set(i, [...(receipts.get(i) ?? []), ...times])
      for (const [i, raw] of r.captured) if (!captured.has(i)) captured.set(i, raw)
      merged.foreign += r.foreign
      merged.duplicates += r.duplicates
      merged.errors += r.errors
      merged.closedAfterAck += r.closedAfterAck
      merged.completed += r.completed
      merged.samples.push(...r.samples)
      merged.cpu.push(r.cpuPercent)
    }
    merged.receipts = [...receipts]
    merged.captured = [...captured]
    return merged
  }

  async closeAll(timeoutMs = 30_000) {
    for (const s of this.seen) s.delete('closed')
    for (let i = 0; i < this.procs.length; i++) this.send(i, { kind: 'close' })
    await this.waitAll('closed', Date.now() + timeoutMs)
  }

  async kill() {
    this.unregister()
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve()
            p.once('exit', () => resolve())
            p.kill('SIGTERM')
          }),
      ),
    )
  }
}

// ---------------------------------------------------------------- one run

interface RunResult {
  label: string
  n: number
  audience: string
  processes: number
  /** CPU of each client process over the order phase, % of one core. */
  clientCpu?: number[]
  ackedMs?: number
  liveMs?: number
  delivered: number
  expected: number
  foreign: number
  duplicates: number
  errors: number
  latencies: number[]
  /** Median over events of recipients / (last receipt − t0), per second. */
  deliveriesPerSecond?: number
  roundTripP50?: number
  sqlPerEvent?: number
  sqlPerEventNet?: number
  sqlPerIdleSecond?: number
  rssConnected?: string
  rssAfter?: string
  notes: string[]
  /** Ours: the first `next` message received per order (for the bare run). */
  captured?: Map<number, string>
  reference: string
}

interface Plan {
  runTag: string
  orders: { index: number; group: Group; case: PreparedCase }[]
}

/** Per order: its recipients' receipt times against its t0. */
function summarise(report: ClientsReport, t0: (index: number) => number | undefined) {
  const latencies: number[] = []
  const rates: number[] = []
  let delivered = 0
  for (const [index, times] of report.receipts) {
    const start = t0(index)
    delivered += times.length
    if (start === undefined) continue
    for (const t of times) latencies.push(t - start)
    const last = Math.max(...times)
    if (last > start) rates.push(times.length / ((last - start) / 1000))
  }
  latencies.sort((a, b) => a - b)
  return { latencies, delivered, deliveriesPerSecond: median(rates) }
}

/** Sends `send(i)` for every order at `rate` per second (open loop); resolves when all have answered. */
async function paced<T>(
  count: number,
  rate: number,
  send: (i: number) => Promise<T>,
): Promise<{ sentAt: number[]; results: T[] }> {
  const start = now()
  const sentAt: number[] = []
  const pending: Promise<T>[] = []
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate
    const wait = due - now()
    if (wait > 0) await sleep(wait)
    sentAt[i] = now()
    pending.push(send(i))
  }
  return { sentAt, results: await Promise.all(pending) }
}

const baseEnv = () => ({ PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR })

/** Our built server (dist/main.js) in a child process on `node`, signing with SECRET, no background jobs. */
export async function startGongzhi(o: {
  name: string
  node: string
  databaseUrl: string
  logDir: string
  env?: Record<string, string>
}): Promise<ChildServer> {
  const port = await freePort()
  return startServer({
    // BENCH_SERVER_NODE_FLAGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles our server under load
    name: o.name,
    node: o.node,
    args: [...(process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), path.join(ROOT, 'dist/main.js')],
    cwd: ROOT,
    port,
    graphqlPath: '/graphql',
    logDir: o.logDir,
    env: {
      ...baseEnv(),
      NODE_ENV: 'production',
      DATABASE_URL: o.databaseUrl,
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      BACKGROUND_JOBS: 'false',
      DISPATCH_POLL_MS: '1000',
      HOST: '127.0.0.1',
      PORT: String(port),
      MUTATIONS_PER_MINUTE: '1000000',
      ...o.env,
    },
    isReady: async (base) => (await fetch(`${base}/readyz`)).ok,
  })
}

// ---------------------------------------------------------------- the section

export async function fanoutSection(opts: FanoutOptions): Promise<string[]> {
  const started = Date.now()
  const node = serverNode()
  console.error(`fanout: servers run on Node ${node.version} (${node.source}: ${node.path})`)
  if (opts.redis && spawnSync(REDIS_SERVER, ['--version']).error)
    throw new Error(
      `--fanout-redis needs ${REDIS_SERVER} on PATH (apt-get install -y redis-server), or pass --no-fanout-redis`,
    )

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-fanout-'))
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-fanout-logs-'))
  let keepLogs = false
  const db = await startEmbeddedPostgres({ dataDir: dir, database: 'bench' })
  const dropDb = onCleanup(async () => {
    await db.stop()
    fs.rmSync(dir, { recursive: true, force: true })
    fs.rmSync(logDir, { recursive: true, force: true })
  })
  const stops: { stop(): Promise<void> }[] = []
  const prisma = createPrisma(db.url)
  try {
    await deployMigrations(db.url)
    const seeded = await seedDemo(prisma, { scale: 1 })
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      JWT_SECRET: SECRET,
      MUTATIONS_PER_MINUTE: '1000000',
    })

    // ≥ 50 departments: the demo's, plus bench departments of the street when it has fewer.
    const existing = await prisma.department.findMany({ orderBy: { code: 'asc' } })
    const street = await prisma.region.findFirstOrThrow({ where: { level: 'STREET' }, orderBy: { code: 'asc' } })
    const extra = Array.from({ length: Math.max(0, MIN_DEPARTMENTS - existing.length) }, (_, i) => ({
      code: `FANOUT${String(i + 1).padStart(2, '0')}`,
      name: `扇出压测部门${String(i + 1).padStart(2, '0')}`,
      regionId: street.id,
    }))
    if (extra.length) await prisma.department.createMany({ data: extra })
    const departments = await prisma.department.findMany({
      orderBy: { code: 'asc' },
      select: { id: true, name: true, regionId: true },
    })
    if (new Set(departments.map((d) => d.name)).size !== departments.length)
      throw new Error('department names are not unique: the clients check orders by name')
    const assignments = await prisma.gridAssignment.findMany({
      where: { endedAt: null, user: { roles: { has: 'GRID_WORKER' }, active: true } },
      orderBy: { user: { username: 'asc' } },
      select: { userId: true, gridId: true },
    })
    const workers = [...new Map(assignments.map((a) => [a.userId, a])).values()]
    if (workers.length < 10) throw new Error(`the demo has ${workers.length} grid workers; the bench wants at least 10`)
    const grids = new Map(
      (await prisma.grid.findMany({ orderBy: { code: 'asc' } })).map((g) => [
        g.id,
        { id: g.id, lng: (g.minLng + g.maxLng) / 2, lat: (g.minLat + g.maxLat) / 2 },
      ]),
    )
    const world = await worldOf(prisma, config, {
      departments,
      workers,
      grids,
      requestTimeoutMs: opts.timeoutSeconds * 1000,
    })
    const anyGrid = [...grids.keys()][0]!
    console.error(
      `fanout: seeded scale 1 (${seeded.grids} grids); ${departments.length} departments (${extra.length} added), ${workers.length} grid workers`,
    )

    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    })

    // One proxy for the section, with the clock that sees every statement from its start.
    const clock = commitClock()
    const counter = await startStatementCounter(
      { host: '127.0.0.1', port: Number(new URL(db.url).port) },
      { tap: clock.tap },
    )
    stops.push({ stop: counter.close })
    const viaProxy = (() => {
      const u = new URL(db.url)
      u.port = String(counter.port)
      return u.toString()
    })()

    let redis: RedisServer | undefined
    if (opts.redis) {
      redis = await startRedisServer()
      const r = redis
      const unregister = onCleanup(() => r.dispose())
      stops.push({
        stop: async () => {
          unregister()
          await r.dispose()
        },
      })
    }

    const startOurs = (name: string, extraEnv: Record<string, string> = {}) =>
      startGongzhi({ name, node: node.path, databaseUrl: viaProxy, logDir, env: extraEnv })
    const startBare = async () => {
      const port = await freePort()
      return startServer({
        name: 'bare ws',
        node: node.path,
        args: [path.join(HERE, 'fanout-bare-server.mjs')],
        cwd: ROOT,
        port,
        graphqlPath: '',
        logDir,
        env: { ...baseEnv(), NODE_ENV: 'production', PORT: String(port) },
        isReady: async (base) => (await fetch(`${base}/stats`)).ok,
      })
    }

    const timeoutMs = opts.timeoutSeconds * 1000
    const results: RunResult[] = []
    const bareDone = new Set<number>()
    const runs = [
      ...opts.sizes.map((n) => ({ n, instances: 1 })),
      ...(opts.redis ? opts.redisSizes.map((n) => ({ n, instances: 2 })) : []),
    ]
    let runNo = 0
    for (const { n, instances } of runs) {
      const runTag = `r${++runNo}-${n}`
      const label = instances === 1 ? 'Gongzhi, 1 instance' : 'Gongzhi, 2 instances + Redis'
      const t = Date.now()
      console.error(`fanout: ${label}, ${fmt(n)} subscribers …`)
      const procCount = opts.clientProcesses ?? (n > 2000 ? 2 : 1)
      let procs: ClientProcesses | undefined
      const servers: ChildServer[] = []
      try {
        const audience = await audienceFor(world, n)
        const audienceText = `${fmt(n)} (${fmt(n - audience.workers.reduce((s, g) => s + g.sockets, 0))} dept staff / ${audience.departments.length} depts, ${fmt(audience.workers.reduce((s, g) => s + g.sockets, 0))} grid-worker sockets / ${audience.workers.length} workers)`

        // Servers, then the cases (before any subscriber connects: only dispatches are measured).
        if (instances === 1) servers.push(await startOurs('Gongzhi'))
        else
          servers.push(
            ...(await Promise.all([
              startOurs('Gongzhi A', { REDIS_URL: redis!.url }),
              startOurs('Gongzhi B', { REDIS_URL: redis!.url }),
            ])),
          )
        const entry = servers[0]!.url
        const orderGroups = Array.from({ length: opts.orders }, (_, i) => {
          if (i % GRID_WORKER_EVERY === GRID_WORKER_EVERY - 1)
            return audience.workers[Math.floor(i / GRID_WORKER_EVERY) % audience.workers.length]!
          const k = i - Math.floor(i / GRID_WORKER_EVERY)
          return audience.departments[k % audience.departments.length]!
        })
        const serial = { n: 0 }
        const warmups = warmupSpecs(audience.groups, runTag, serial, anyGrid)
        const prepared = await prepareCases(entry, world, [
          ...orderGroups.map((g, i) => ({ title: orderTitle(runTag, `o${i}`, g.key), gridId: g.gridId ?? anyGrid })),
          ...warmups,
        ])
        const plan: Plan = {
          runTag,
          orders: orderGroups.map((group, index) => ({ index, group, case: prepared[index]! })),
        }
        const warmupCases = warmups.map((w, i) => ({ ...w, case: prepared[opts.orders + i]! }))

        procs = new ClientProcesses(procCount)
        if ((await procs.waitAll('ready', Date.now() + 60_000)) === undefined)
          throw new Error('the client processes did not start within 60 s')
        const specsFor = (url: (c: Audience['clients'][number], i: number) => string) => {
          const per: ClientSpec[][] = Array.from({ length: procCount }, () => [])
          audience.clients.forEach((c, i) => {
            per[i % procCount]!.push({ ...c, url: url(c, i) })
          })
          return per
        }

        const result = await measureOurs({
          label,
          n,
          audienceText,
          procs,
          servers,
          counter,
          plan,
          world,
          warmupCases,
          timeoutMs,
          opts,
          runTag,
          serial,
          anyGrid,
          specs: specsFor((_c, i) => servers[i % servers.length]!.url.replace(/^http/, 'ws')),
          clock,
        })
        for (const s of servers.splice(0)) {
          await s.stop()
          result.notes.push(...serverComplaints(s))
        }
        results.push(result)
        if (result.notes.length) keepLogs = true

        if (!bareDone.has(n)) {
          bareDone.add(n)
          const bare = await startBare()
          servers.push(bare)
          const bareResult = await measureBare({
            n,
            audienceText,
            procs,
            bare,
            plan,
            captured: result.captured!,
            timeoutMs,
            opts,
            runTag,
            specs: specsFor((c) => `${bare.url.replace(/^http/, 'ws')}/?g=${encodeURIComponent(c.group)}`),
          })
          for (const s of servers.splice(0)) {
            await s.stop()
            bareResult.notes.push(...serverComplaints(s))
          }
          results.push(bareResult)
          if (bareResult.notes.length) keepLogs = true
        }
      } catch (e) {
        // After Ctrl-C the children are gone: that is no result.
        if (interrupted()) throw e
        keepLogs = true
        console.error(`fanout: ${label}, ${fmt(n)} subscribers failed:`, e)
        results.push({
          label,
          n,
          audience: fmt(n),
          processes: procCount,
          delivered: 0,
          expected: 0,
          foreign: 0,
          duplicates: 0,
          errors: 0,
          latencies: [],
          notes: [`failed: ${String((e as Error).message ?? e).split('\n')[0]}`],
          reference: '',
        })
      } finally {
        await procs?.kill()
        for (const s of servers.splice(0)) await s.stop()
      }
      console.error(`fanout: ${label}, ${fmt(n)} subscribers took ${((Date.now() - t) / 1000).toFixed(0)} s`)
    }

    return table(results, opts, node.version, (Date.now() - started) / 1000, keepLogs ? logDir : undefined)
  } finally {
    await prisma.$disconnect().catch(() => {})
    for (const s of stops.reverse()) await s.stop()
    dropDb()
    await db.stop()
    fs.rmSync(dir, { recursive: true, force: true })
    if (!keepLogs) fs.rmSync(logDir, { recursive: true, force: true })
  }
}

interface OursRun {
  label: string
  n: number
  audienceText: string
  procs: ClientProcesses
  servers: ChildServer[]
  counter: { count(): number; reset(): void }
  plan: Plan
  world: World
  warmupCases: { title: string; gridId: string; groups: Group[]; case: PreparedCase }[]
  timeoutMs: number
  opts: FanoutOptions
  runTag: string
  serial: { n: number }
  anyGrid: string
  specs: ClientSpec[][]
  clock: CommitClock
}

/**
 * What a server wrote at warn level or above (pino JSON lines with level ≥ 40) and anything not
 * JSON (Node's own warnings, crashes): a count per distinct message, most frequent first.
 */
export function serverComplaints(server: ChildServer): string[] {
  let text = ''
  try {
    text = fs.readFileSync(server.logFile, 'utf8')
  } catch {
    return []
  }
  const counts = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line.trim() || /^\(Use `node --trace-warnings/.test(line) || /^ready \d+$/.test(line)) continue
    let message = line
    try {
      const entry = JSON.parse(line) as {
        level?: number
        msg?: string
        err?: { message?: string }
        [k: string]: unknown
      }
      if ((entry.level ?? 0) < 40) continue
      message = entry.err?.message ?? entry.msg ?? JSON.stringify(entry).replace(/"time":\d+,?/, '')
    } catch {
      /* not JSON: kept as it is */
    }
    // Ids and numbers vary per line: the same complaint counts once.
    const key = message
      .replace(/\(node:\d+\)/, '')
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>')
      .slice(0, 200)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([m, k]) => `${server.name} logged ${k}× ${m}`)
}

const mib = (x: number | undefined) => (x === undefined ? 'gone' : x.toFixed(0))
const rssOf = (servers: ChildServer[]) => servers.map((s) => mib(rssMiB(s.pid))).join(' + ')

async function measureOurs(r: OursRun): Promise<RunResult> {
  const notes: string[] = []
  const entry = r.servers[0]!.url
  const groupsByKey = new Map(r.plan.orders.map((o) => [o.group.key, o.group]))
  for (const w of r.warmupCases) for (const g of w.groups) groupsByKey.set(g.key, g)

  // --- Connect: every socket acknowledged (connection_ack), its subscription sent right after.
  const t0 = now()
  r.procs.connect('ours', r.runTag, r.specs)
  const report = () => {
    const p = r.procs.progress()
    console.error(`fanout:   ${fmt(p.acked)}/${fmt(r.n)} acked, ${fmt(p.failed)} failed, ${fmt(p.live)} live`)
  }
  const acked = await r.procs.waitAll('connected', Date.now() + r.timeoutMs, report)
  let p = r.procs.progress()
  const ackedMs = acked === undefined ? undefined : acked - t0
  if (acked === undefined)
    notes.push(`connect: ${fmt(p.acked)}/${fmt(r.n)} acknowledged after the ${r.opts.timeoutSeconds} s limit`)
  if (p.failed)
    notes.push(`connect: ${fmt(p.failed)} sockets lost (closed before their ack, or their subscription ended)`)

  // --- Warm-up: one order per group until every client has received one (its subscription is live).
  const warmStart = Date.now()
  const warmupFailures: string[] = []
  const fire = async (cases: { case: PreparedCase; groups: Group[] }[]) => {
    let next = 0
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < cases.length) {
          const w = cases[next++]!
          await dispatch(
            entry,
            r.world,
            w.case,
            w.groups.map((g, i) => targetOf(g, i === 0 ? 'LEAD' : 'ASSIST')),
          ).catch((e) => {
            warmupFailures.push(String((e as Error).message).split('\n')[0]!)
          })
        }
      }),
    )
  }
  await fire(r.warmupCases)
  let live: number | undefined
  for (;;) {
    const deadline = Math.min(warmStart + r.timeoutMs, Date.now() + WARMUP_RETRY_SECONDS * 1000)
    live = await r.procs.waitAll('live', deadline, report)
    if (live !== undefined || Date.now() >= warmStart + r.timeoutMs) break
    // Groups with clients still waiting get another warm-up order (a subscription set up after the first).
    p = r.procs.progress()
    const missing = Object.keys(p.missing)
      .map((k) => groupsByKey.get(k))
      .filter((g): g is Group => !!g)
    console.error(
      `fanout:   warm-up: ${fmt(p.live)}/${fmt(r.n)} live; another warm-up order for ${missing.length} groups`,
    )
    const again = warmupSpecs(missing, r.runTag, r.serial, r.anyGrid)
    try {
      const cases = await prepareCases(entry, r.world, again)
      await fire(again.map((w, i) => ({ ...w, case: cases[i]! })))
    } catch (e) {
      warmupFailures.push(`preparing warm-up cases: ${String((e as Error).message).split('\n')[0]}`)
    }
  }
  if (warmupFailures.length) notes.push(`warm-up: ${warmupFailures.length} requests failed, e.g. ${warmupFailures[0]}`)
  p = r.procs.progress()
  const liveMs = live === undefined ? undefined : live - t0
  if (live === undefined)
    notes.push(
      `warm-up: ${fmt(p.live)}/${fmt(r.n)} subscriptions proven live after the ${r.opts.timeoutSeconds} s limit`,
    )
  const rssConnected = rssOf(r.servers)

  // --- Idle: all connected, nothing dispatched.
  r.counter.reset()
  await sleep(IDLE_SECONDS * 1000)
  const sqlPerIdleSecond = r.counter.count() / IDLE_SECONDS

  // --- Orders at the steady rate.
  const clock = r.clock
  clock.watch(r.plan.orders.map((o) => rowId(o.case.id)))
  for (let i = 0; i < r.procs.count; i++)
    r.procs.send(i, {
      kind: 'plan',
      orders: r.plan.orders.map((o): PlannedOrder => ({ index: o.index, group: o.group.key })),
    })
  r.counter.reset()
  const phaseStart = now()
  const roundTrips: number[] = []
  const failures: string[] = []
  const { sentAt } = await paced(r.plan.orders.length, r.opts.rate, async (i) => {
    const o = r.plan.orders[i]!
    const start = now()
    try {
      await dispatch(entry, r.world, o.case, [targetOf(o.group)])
      roundTrips.push(now() - start)
    } catch (e) {
      failures.push(`order ${i}: ${String((e as Error).message).split('\n')[0]}`)
    }
  })
  const complete = await r.procs.waitAll('complete', Date.now() + r.timeoutMs, report)
  const phaseEnd = now()
  const statements = r.counter.count()
  if (failures.length) notes.push(`${failures.length} dispatches failed, e.g. ${failures[0]}`)
  if (complete === undefined)
    notes.push(`orders: not all delivered ${r.opts.timeoutSeconds} s after the last dispatch answered`)
  const rssAfter = rssOf(r.servers)

  const rep = await r.procs.report(60_000)
  const commits = r.plan.orders.map((o) => clock.committedAt(rowId(o.case.id)))
  const withCommit = commits.filter((c) => c !== undefined).length
  const reference = withCommit === r.plan.orders.length ? 'commit' : withCommit === 0 ? 'sent' : 'mixed'
  if (reference === 'mixed')
    notes.push(
      `latency from COMMIT for ${withCommit} orders, from the mutation's send for the other ${r.plan.orders.length - withCommit}`,
    )
  const s = summarise(rep, (i) => commits[i] ?? sentAt[i])
  const expected = r.plan.orders.reduce((sum, o) => sum + o.group.sockets, 0)
  if (rep.errors || rep.closedAfterAck || rep.completed)
    notes.push(
      `${rep.errors} subscription errors, ${rep.closedAfterAck} sockets closed after ack, ${rep.completed} subscriptions completed by the server`,
    )
  for (const x of rep.samples.slice(0, 3)) notes.push(`client: ${x}`)
  roundTrips.sort((a, b) => a - b)
  const seconds = (phaseEnd - phaseStart) / 1000
  const sqlPerEventNet = (statements - sqlPerIdleSecond * seconds) / r.plan.orders.length
  if (sqlPerEventNet < 0)
    notes.push(
      `SQL net of idle polling is negative (${sqlPerEventNet.toFixed(0)}): the idle polling rate was not kept up during the order phase (server saturated), so only the raw count means something`,
    )
  await r.procs.closeAll()
  return {
    label: r.label,
    n: r.n,
    audience: r.audienceText,
    processes: r.procs.count,
    clientCpu: rep.cpu,
    ackedMs,
    liveMs,
    delivered: s.delivered,
    expected,
    foreign: rep.foreign,
    duplicates: rep.duplicates,
    errors: rep.errors,
    latencies: s.latencies,
    deliveriesPerSecond: s.deliveriesPerSecond,
    roundTripP50: percentile(roundTrips, 50),
    sqlPerEvent: statements / r.plan.orders.length,
    sqlPerEventNet,
    sqlPerIdleSecond,
    rssConnected,
    rssAfter,
    notes,
    captured: new Map(rep.captured),
    reference,
  }
}

interface BareRun {
  n: number
  audienceText: string
  procs: ClientProcesses
  bare: ChildServer
  plan: Plan
  captured: Map<number, string>
  timeoutMs: number
  opts: FanoutOptions
  runTag: string
  specs: ClientSpec[][]
}

function byteRange(frames: string[]) {
  const sizes = frames.map((f) => Buffer.byteLength(f))
  const [lo, hi] = [Math.min(...sizes), Math.max(...sizes)]
  return lo === hi ? `${lo}` : `${lo}–${hi}`
}

async function measureBare(r: BareRun): Promise<RunResult> {
  const notes: string[] = []
  // The frame per order: the `next` message our server sent for it; an order nobody received
  // borrows another captured message of the same kind with its own title (same shape, ± a byte).
  const frames = r.plan.orders.map((o) => {
    const own = r.captured.get(o.index)
    if (own) return own
    const donor =
      r.plan.orders.find((x) => x.group.kind === o.group.kind && r.captured.has(x.index)) ??
      r.plan.orders.find((x) => r.captured.has(x.index))
    if (!donor) return undefined
    notes.push(`order ${o.index}: no message of ours captured; sent order ${donor.index}'s with this order's title`)
    return r.captured
      .get(donor.index)!
      .replace(
        orderTitle(r.runTag, `o${donor.index}`, donor.group.key),
        orderTitle(r.runTag, `o${o.index}`, o.group.key),
      )
  })
  if (frames.some((f) => f === undefined))
    throw new Error('bare ws: no `next` message of ours was captured, nothing to broadcast')

  const t0 = now()
  r.procs.connect('bare', r.runTag, r.specs)
  const acked = await r.procs.waitAll('connected', Date.now() + r.timeoutMs)
  const p = r.procs.progress()
  if (acked === undefined)
    notes.push(`connect: ${fmt(p.acked)}/${fmt(r.n)} open after the ${r.opts.timeoutSeconds} s limit`)
  if (p.failed) notes.push(`connect: ${fmt(p.failed)} sockets failed`)
  const rssConnected = mib(rssMiB(r.bare.pid))

  for (let i = 0; i < r.procs.count; i++)
    r.procs.send(i, {
      kind: 'plan',
      orders: r.plan.orders.map((o): PlannedOrder => ({ index: o.index, group: o.group.key })),
    })
  const roundTrips: number[] = []
  const base = r.bare.url.replace(/\/$/, '')
  const { sentAt } = await paced(r.plan.orders.length, r.opts.rate, async (i) => {
    const start = now()
    const res = await fetch(`${base}/broadcast?g=${encodeURIComponent(r.plan.orders[i]!.group.key)}`, {
      method: 'POST',
      body: frames[i]!,
      signal: AbortSignal.timeout(r.timeoutMs),
    })
    await res.arrayBuffer()
    roundTrips.push(now() - start)
  })
  const complete = await r.procs.waitAll('complete', Date.now() + r.timeoutMs)
  if (complete === undefined) notes.push(`broadcasts: not all delivered ${r.opts.timeoutSeconds} s after the last one`)
  const rssAfter = mib(rssMiB(r.bare.pid))
  const rep = await r.procs.report(60_000)
  const s = summarise(rep, (i) => sentAt[i])
  for (const x of rep.samples.slice(0, 3)) notes.push(`client: ${x}`)
  roundTrips.sort((a, b) => a - b)
  await r.procs.closeAll()
  return {
    label: `bare \`ws\`, same bytes (${byteRange(frames as string[])} B frames)`,
    n: r.n,
    audience: r.audienceText,
    processes: r.procs.count,
    clientCpu: rep.cpu,
    ackedMs: acked === undefined ? undefined : acked - t0,
    liveMs: acked === undefined ? undefined : acked - t0,
    delivered: s.delivered,
    expected: r.plan.orders.reduce((sum, o) => sum + o.group.sockets, 0),
    foreign: rep.foreign,
    duplicates: rep.duplicates,
    errors: rep.errors,
    latencies: s.latencies,
    deliveriesPerSecond: s.deliveriesPerSecond,
    roundTripP50: percentile(roundTrips, 50),
    rssConnected,
    rssAfter,
    notes,
    reference: 'broadcast sent',
  }
}

function table(
  results: RunResult[],
  opts: FanoutOptions,
  nodeVersion: string,
  totalSeconds: number,
  logDir: string | undefined,
): string[] {
  const bareFor = (n: number) => results.find((x) => x.reference === 'broadcast sent' && x.n === n)
  const refs = new Set(results.filter((x) => x.reference && x.reference !== 'broadcast sent').map((x) => x.reference))
  const refText =
    refs.size === 1 && refs.has('commit')
      ? 'from the COMMIT of the dispatch transaction (seen by the SQL proxy) to receipt'
      : refs.has('commit') || refs.has('mixed')
        ? 'from the COMMIT of the dispatch transaction where the SQL proxy saw it, else from sending the mutation, to receipt'
        : 'from sending the dispatch mutation to receipt'
  const lines = [
    `\nFan-out, ${new Date().toISOString().slice(0, 10)}: \`dispatchOrderCreated\` over graphql-ws to many subscribers vs a bare \`ws\` server sending the same bytes to the same clients; servers on Node ${nodeVersion} (one child process each), clients in separate Node ${process.version} processes (graphql-ws \`createClient\` on \`ws\`), ${os.cpus().length} cores, all on one machine; ${opts.orders} orders per run at ${opts.rate}/s, 9 in 10 to one department (round robin), every 10th to one grid worker.`,
    `Our latency: ${refText}; bare: from sending the broadcast request. Deliveries/s: recipients / (last receipt − t0) per order, median over orders. Connect: until every socket is acknowledged / until every subscription has received a warm-up order. SQL = Execute + Query messages through the proxy: per order over the order phase (raw, and net of the idle polling rate × phase length), and per second over a ${IDLE_SECONDS} s idle window with everyone connected (DISPATCH_POLL_MS=1000). RSS = VmRSS of the server process(es) after connecting / after the orders. Section took ${totalSeconds.toFixed(0)} s.\n`,
    '| run | subscribers | client procs (CPU % each, orders) | connect s (ack / live) | delivered / expected | foreign | dup | latency ms p50 / p99 / max | request ms p50 | deliveries/s per order | ours / bare | SQL per order (raw / net) | SQL per idle s | RSS MiB (connected / after) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const x of results) {
    const bare = x.reference === 'broadcast sent' ? undefined : bareFor(x.n)
    const lat = x.latencies.length
      ? `${ms(percentile(x.latencies, 50))} / ${ms(percentile(x.latencies, 99))} / ${ms(x.latencies.at(-1))}`
      : '–'
    const ratio =
      bare?.deliveriesPerSecond && x.deliveriesPerSecond
        ? (x.deliveriesPerSecond / bare.deliveriesPerSecond).toFixed(2)
        : '–'
    const cpu = x.clientCpu?.length ? ` (${x.clientCpu.map((c) => c.toFixed(0)).join(' / ')})` : ''
    lines.push(
      `| ${x.label} | ${x.audience} | ${x.processes}${cpu} | ${x.reference ? `${secs(x.ackedMs, opts.timeoutSeconds)} / ${secs(x.liveMs, opts.timeoutSeconds)}` : '–'} | ${fmt(x.delivered)} / ${fmt(x.expected)} | ${x.foreign} | ${x.duplicates} | ${lat} | ${ms(x.roundTripP50)} | ${x.deliveriesPerSecond === undefined ? '–' : fmt(Math.round(x.deliveriesPerSecond))} | ${ratio} | ${x.sqlPerEvent === undefined ? '–' : `${x.sqlPerEvent.toFixed(0)} / ${x.sqlPerEventNet! < 0 ? '–' : x.sqlPerEventNet!.toFixed(0)}`} | ${x.sqlPerIdleSecond === undefined ? '–' : x.sqlPerIdleSecond.toFixed(0)} | ${x.rssConnected ?? '–'} / ${x.rssAfter ?? '–'} |`,
    )
  }
  const notes = results.flatMap((x) => x.notes.map((n) => `- ${x.label}, ${fmt(x.n)}: ${n}`))
  if (notes.length) lines.push('', 'Notes (partial results, timeouts, errors):', ...notes)
  if (logDir) lines.push(`- server logs kept in ${logDir}`)
  lines.push('')
  return lines
}
