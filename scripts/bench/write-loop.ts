// The write-loop section of `npm run bench` (`--write-only`, `--write-seconds 20`,
// `--write-clients 10`, `--write-subscribers 1000`): the intake desk's loop, reportCase → acceptCase →
// dispatchCase(MANUAL, one LEAD department), three mutations over HTTP in sequence, run by
// `--write-clients` concurrent street officers, each in a street of its own.
//
// Our built server runs in a Node 24 child process (scripts/bench/fanout.ts's startGongzhi) so that
// its CPU can be read from /proc; PostgreSQL's CPU is the whole cluster's (postmaster + children).
// Rows: Gongzhi without subscribers; Gongzhi with `--write-subscribers` graphql-ws subscribers of
// `dispatchOrderCreated` (fan-out's client processes and audience: department staff of the
// departments the loop dispatches to, a few grid workers who should receive nothing of it); and a
// bare SQL baseline, the bench writing the same rows with node-postgres, one transaction per loop.
// Statements per loop are counted once, one client at a time, through the statement-counting proxy.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { claimsForUser } from '../../src/auth/claims.js'
import { signToken } from '../../src/auth/jwt.js'
import { loadConfig } from '../../src/config.js'
import { createPrisma } from '../../src/db.js'
import { startEmbeddedPostgres } from '../../src/db/embedded.js'
import { deployMigrations } from '../../src/db/migrate.js'
import { seedDemo } from '../../src/seed/demo.js'
import { newId } from '../../src/shared/ids.js'
import type { ChildServer } from './children.js'
import {
  audienceFor,
  ClientProcesses,
  dispatch,
  globalId,
  gql,
  percentile,
  prepareCases,
  SECRET,
  serverComplaints,
  startGongzhi,
  targetOf,
  warmupSpecs,
  worldOf,
  type Group,
  type World,
} from './fanout.js'
import { orderTitle, type ClientSpec, type PlannedOrder } from './fanout-protocol.js'
import { interrupted, onCleanup } from './lifecycle.js'
import { serverNode } from './node24.js'
import { startStatementCounter } from './sql-counter.js'

export interface WriteLoopOptions {
  /** Length of each timed window. */
  seconds: number
  /** Concurrent loops (street officers). */
  clients: number
  /** graphql-ws subscribers of the second row. */
  subscribers: number
  /** Limit for each wait (connect, warm-up, delivery), in seconds. */
  timeoutSeconds?: number
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CATEGORY = 'SECURITY'
/** Loops counted through the proxy (the median per mutation is reported). */
const COUNTED_LOOPS = 5
/** Time for a mutation's after-commit work to reach the database before its statements are read. */
const SETTLE_MS = 100
const WARMUP_SECONDS = 2
const MAX_FAILURES = 50

const REPORT =
  'mutation($i: ReportCaseInput!) { reportCase(input: $i) { __typename ... on ReportCasePayload { case { id version } } ... on Error { code message } } }'
const ACCEPT =
  'mutation($i: AcceptCaseInput!) { acceptCase(input: $i) { __typename ... on AcceptCasePayload { case { id version } } ... on Error { code message } } }'
const DISPATCH =
  'mutation($i: DispatchCaseInput!) { dispatchCase(input: $i) { __typename ... on DispatchCasePayload { case { id version } } ... on Error { code message } } }'

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
const fmt = (n: number) => n.toLocaleString('en-US')
const f1 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(1))

// ---------------------------------------------------------------- CPU from /proc

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** Fields of /proc/<pid>/stat after the command name (index 0 = state, 1 = ppid, 11 = utime, 12 = stime, 13 = cutime, 14 = cstime). */
function statFields(pid: number | string): string[] | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return s.slice(s.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}
const ticksMs = (t: number) => (t * 1000) / CLK_TCK

/** utime + stime of one process, in ms. */
function processCpuMs(pid: number): number {
  const f = statFields(pid)
  if (!f) throw new Error(`process ${pid} is gone`)
  return ticksMs(Number(f[11]) + Number(f[12]))
}

/**
 * CPU of a PostgreSQL cluster in ms: the postmaster's own and that of the children it has reaped
 * (cutime + cstime: backends that ended), plus every live child's utime + stime.
 */
function clusterCpuMs(postmaster: number): number {
  const own = statFields(postmaster)
  if (!own) throw new Error(`postmaster ${postmaster} is gone`)
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === postmaster) continue
    const f = statFields(entry)
    if (f && Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12])
  }
  return ticksMs(ticks)
}

// ---------------------------------------------------------------- the loops

/** One client's street: its officer, grids (centre points) and departments. */
interface Street {
  name: string
  officerId: string
  officerToken: string
  grids: { id: string; communityId: string; lng: number; lat: number }[]
  departments: { id: string; name: string }[]
}

interface Window {
  loops: number
  ms: number
  latencies: number[]
  failures: string[]
  /** Ours: p50 / p99 round trip per mutation. */
  steps?: string
  serverCpuMs?: number
  pgCpuMs: number
}

/**
 * Runs `loop(client)` in `clients` concurrent sequences until `seconds` have passed (a loop in
 * flight finishes); the window ends with the last of them.
 */
async function timedLoops(
  clients: number,
  seconds: number,
  loop: (client: number) => Promise<void>,
  cpu: { server?: number; postmaster: number },
): Promise<Window> {
  const latencies: number[] = []
  const failures: string[] = []
  const pg0 = clusterCpuMs(cpu.postmaster)
  const server0 = cpu.server === undefined ? undefined : processCpuMs(cpu.server)
  const start = performance.now()
  const deadline = start + seconds * 1000
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < deadline && failures.length < MAX_FAILURES) {
        const t = performance.now()
        try {
          await loop(c)
          latencies.push(performance.now() - t)
        } catch (e) {
          if (interrupted()) throw e
          failures.push(String((e as Error).message ?? e).split('\n')[0]!)
        }
      }
    }),
  )
  const ms = performance.now() - start
  latencies.sort((a, b) => a - b)
  return {
    loops: latencies.length,
    ms,
    latencies,
    failures,
    serverCpuMs: cpu.server === undefined ? undefined : processCpuMs(cpu.server) - server0!,
    pgCpuMs: clusterCpuMs(cpu.postmaster) - pg0,
  }
}

type Payload = { __typename: string; code?: string; message?: string; case?: { id: string; version: number } }

async function mutation(url: string, token: string, timeoutMs: number, query: string, input: Record<string, unknown>) {
  const data = await gql(url, token, timeoutMs, query, { i: input })
  const p = Object.values(data)[0] as Payload
  if (!p.case) throw new Error(`${p.__typename} ${p.code ?? ''}: ${p.message ?? ''}`)
  return p.case
}

type Step = 'reportCase' | 'acceptCase' | 'dispatchCase'

/** The desk's loop over HTTP; `between` runs after each mutation with its round trip (statement counts, timings). */
async function deskLoop(o: {
  url: string
  street: Street
  index: number
  title: string
  categoryId: string
  timeoutMs: number
  department: { id: string }
  between?: (step: Step, ms: number) => Promise<void> | void
}) {
  const grid = o.street.grids[o.index % o.street.grids.length]!
  const token = o.street.officerToken
  const timed = async <T>(step: Step, call: () => Promise<T>): Promise<T> => {
    const t = performance.now()
    const out = await call()
    await o.between?.(step, performance.now() - t)
    return out
  }
  const reported = await timed('reportCase', () =>
    mutation(o.url, token, o.timeoutMs, REPORT, {
      title: o.title,
      description: '接报压测：路口井盖缺失',
      categoryId: o.categoryId,
      source: o.index % 2 ? 'HOTLINE' : 'PATROL',
      lng: grid.lng,
      lat: grid.lat,
    }),
  )
  const accepted = await timed('acceptCase', () =>
    mutation(o.url, token, o.timeoutMs, ACCEPT, { id: reported.id, version: reported.version }),
  )
  await timed('dispatchCase', () =>
    mutation(o.url, token, o.timeoutMs, DISPATCH, {
      id: accepted.id,
      version: accepted.version,
      mode: 'MANUAL',
      targets: [{ departmentId: globalId('Department', o.department.id), role: 'LEAD' }],
    }),
  )
}

/** `reportCase 12 / 40, …`: p50 / p99 round trip of each mutation. */
function stepTimes(steps: Map<Step, number[]>): string {
  return [...steps]
    .map(([step, xs]) => {
      xs.sort((a, b) => a - b)
      return `${step} ${f1(percentile(xs, 50))} / ${f1(percentile(xs, 99))}`
    })
    .join(', ')
}

// ---------------------------------------------------------------- the bare SQL baseline

/**
 * The feed sequence of the loop's order, as the server assigns it: after the loop's transaction
 * commits, one call of the database's numbering function (migration 20261207130000), which numbers
 * every committed unnumbered order under its lock. Same statement, same lock, same rows.
 */
async function assignSeqBare(client: pg.PoolClient, orderIds: string[]): Promise<void> {
  if (!orderIds.length) return
  await client.query('SELECT * FROM number_dispatch_orders(500)')
}

const addHours = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000)

/** The rows of one loop, written the way reportCase, acceptCase and dispatchCase write them, in one transaction. */
async function bareLoop(
  pool: pg.Pool,
  o: {
    street: Street
    index: number
    title: string
    category: { id: string; caseSlaHours: number; signSlaHours: number; completeSlaHours: number }
    department: { id: string }
  },
) {
  const grid = o.street.grids[o.index % o.street.grids.length]!
  const source = o.index % 2 ? 'HOTLINE' : 'PATROL'
  const officer = o.street.officerId
  const caseId = newId()
  const orderId = newId()
  const now = new Date()
  const client = await pool.connect()
  const event = (action: string, from: string | null, to: string, note: string | null, order: string | null = null) =>
    client.query(
      'INSERT INTO "CaseEvent" (id, "caseId", "orderId", "actorId", action, "fromStatus", "toStatus", note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [newId(), caseId, order, officer, action, from, to, note],
    )
  try {
    await client.query('BEGIN')
    try {
      await client.query(
        `INSERT INTO "Case" (id, title, description, "categoryId", source, "gridId", "regionId", "handlingRegionId", lng, lat, address, attachments,
           "reporterId", anonymous, "reporterName", "reporterPhone", "createdById", "idempotencyKey", deadline, "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, NULL, '{}', $10, false, NULL, NULL, $11, NULL, $12, $13)`,
        [
          caseId,
          o.title,
          '接报压测：路口井盖缺失',
          o.category.id,
          source,
          grid.id,
          grid.communityId,
          grid.lng,
          grid.lat,
          source === 'HOTLINE' ? null : officer,
          officer,
          addHours(now, o.category.caseSlaHours),
          now,
        ],
      )
      await event('REPORT', null, 'REPORTED', `source ${source}`)
      await client.query(
        `UPDATE "Case" SET status = 'ACCEPTED', version = version + 1, "updatedAt" = now() WHERE id = $1 AND version = 0`,
        [caseId],
      )
      await event('ACCEPT', 'REPORTED', 'ACCEPTED', null)
      await client.query(
        `UPDATE "Case" SET status = 'DISPATCHED', version = version + 1, "updatedAt" = now() WHERE id = $1 AND version = 1`,
        [caseId],
      )
      await event('DISPATCH', 'ACCEPTED', 'DISPATCHED', 'manual (吹哨): 1 order(s)')
      await client.query(
        `INSERT INTO "DispatchOrder" (id, "caseId", "departmentId", role, mode, "dispatcherId", "signBy", "completeBy", "updatedAt")
         VALUES ($1, $2, $3, 'LEAD', 'MANUAL', $4, $5, $6, $7)`,
        [
          orderId,
          caseId,
          o.department.id,
          officer,
          addHours(now, o.category.signSlaHours),
          addHours(now, o.category.completeSlaHours),
          now,
        ],
      )
      await event('ORDER_CREATE', null, 'CREATED', `department ${o.department.id} (LEAD)`, orderId)
      await client.query('COMMIT')
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {})
      throw e
    }
    await assignSeqBare(client, [orderId])
  } finally {
    client.release()
  }
}

// ---------------------------------------------------------------- the section

interface Row {
  label: string
  window?: Window
  sql?: string
  delivery?: string
  notes: string[]
}

export async function writeLoopSection(opts: WriteLoopOptions): Promise<string[]> {
  const started = Date.now()
  const timeoutMs = (opts.timeoutSeconds ?? 120) * 1000
  const node = serverNode()
  console.error(`write loop: server on Node ${node.version} (${node.source})`)
  const scale = Math.max(2, Math.min(opts.clients, 20))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-write-'))
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-write-logs-'))
  let keepLogs = false
  const db = await startEmbeddedPostgres({ dataDir: dir, database: 'bench' })
  const dropDb = onCleanup(async () => {
    await db.stop()
    fs.rmSync(dir, { recursive: true, force: true })
    fs.rmSync(logDir, { recursive: true, force: true })
  })
  const stops: (() => Promise<void>)[] = []
  const prisma = createPrisma(db.url)
  const rows: Row[] = []
  let statementsText = ''
  try {
    await deployMigrations(db.url)
    const seeded = await seedDemo(prisma, { scale })
    const postmaster = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      JWT_SECRET: SECRET,
      MUTATIONS_PER_MINUTE: '1000000',
    })
    const sign = async (userId: string) =>
      signToken(SECRET, await claimsForUser(prisma, userId), {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      })

    // Client i works in street i mod scale, as that street's officer.
    const regions = await prisma.region.findMany({ where: { level: 'STREET' }, orderBy: { code: 'asc' } })
    const streets: Street[] = []
    for (const r of regions) {
      const officer = await prisma.user.findFirstOrThrow({
        where: { roles: { has: 'STREET_OFFICER' }, regionIds: { has: r.id } },
      })
      const grids = await prisma.grid.findMany({ where: { community: { parentId: r.id } }, orderBy: { code: 'asc' } })
      const departments = await prisma.department.findMany({
        where: { regionId: r.id },
        orderBy: { code: 'asc' },
        select: { id: true, name: true },
      })
      if (!departments.length) throw new Error(`street ${r.name} has no departments`)
      streets.push({
        name: r.name,
        officerId: officer.id,
        officerToken: await sign(officer.id),
        departments,
        grids: grids.map((g) => ({
          id: g.id,
          communityId: g.communityId,
          lng: (g.minLng + g.maxLng) / 2,
          lat: (g.minLat + g.maxLat) / 2,
        })),
      })
    }
    const streetOf = (client: number) => streets[client % streets.length]!
    const departmentOf = (client: number, index: number) => {
      const d = streetOf(client).departments
      return d[index % d.length]!
    }
    const category = await prisma.caseCategory.findUniqueOrThrow({ where: { code: CATEGORY } })
    const categoryId = globalId('CaseCategory', category.id)
    const usedStreets = streets.slice(0, Math.min(streets.length, opts.clients))
    const loopDepartments = usedStreets.flatMap((s) => s.departments)
    if (new Set(loopDepartments.map((d) => d.name)).size !== loopDepartments.length)
      throw new Error('department names are not unique: the subscribers check orders by name')
    const regionOf = new Map(
      (await prisma.department.findMany({ select: { id: true, regionId: true } })).map((d) => [d.id, d.regionId]),
    )
    // Grid workers of street 1 (street 1's officer prepares their warm-up cases): they receive none of the loop's orders.
    const assignments = await prisma.gridAssignment.findMany({
      where: {
        endedAt: null,
        grid: { id: { in: streets[0]!.grids.map((g) => g.id) } },
        user: { roles: { has: 'GRID_WORKER' } },
      },
      orderBy: { user: { username: 'asc' } },
      select: { userId: true, gridId: true },
    })
    const world: World = await worldOf(prisma, config, {
      departments: loopDepartments.map((d) => ({ id: d.id, name: d.name, regionId: regionOf.get(d.id)! })),
      workers: [...new Map(assignments.map((a) => [a.userId, a])).values()],
      grids: new Map(streets[0]!.grids.map((g) => [g.id, { id: g.id, lng: g.lng, lat: g.lat }])),
      requestTimeoutMs: timeoutMs,
    })
    console.error(
      `write loop: seeded scale ${scale} (${seeded.grids} grids); ${opts.clients} clients over ${usedStreets.length} streets, ${loopDepartments.length} departments addressed`,
    )

    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    })

    // --- Statements per loop: one client at a time through the proxy, ours and bare.
    const counter = await startStatementCounter({ host: '127.0.0.1', port: Number(new URL(db.url).port) })
    stops.push(counter.close)
    const viaProxy = (() => {
      const u = new URL(db.url)
      u.port = String(counter.port)
      return u.toString()
    })()
    const perStep = new Map<string, number[]>()
    let loopNo = 0
    {
      // No subscriber polls for orders here: the poll's statements would land in the loop's count.
      const counted = await startGongzhi({
        name: 'Gongzhi (counted)',
        node: node.path,
        databaseUrl: viaProxy,
        logDir,
        env: { DISPATCH_POLL_MS: '3600000' },
      })
      try {
        for (let k = 0; k < COUNTED_LOOPS + 2; k++) {
          const measured = k >= 2 // two loops first: caches and prepared statements warm
          const index = loopNo++
          counter.reset()
          let total = 0
          await deskLoop({
            url: counted.url,
            street: streetOf(0),
            index,
            title: `接报压测 计数 ${index}`,
            categoryId,
            timeoutMs,
            department: departmentOf(0, index),
            between: async (step) => {
              await sleep(SETTLE_MS)
              const n = counter.count()
              counter.reset()
              total += n
              if (measured) perStep.set(step, [...(perStep.get(step) ?? []), n])
            },
          })
          if (measured) perStep.set('loop', [...(perStep.get('loop') ?? []), total])
        }
      } finally {
        await counted.stop()
        const complaints = serverComplaints(counted)
        if (complaints.length) {
          keepLogs = true
          console.error(complaints.join('\n'))
        }
      }
      const bareCounted = new pg.Pool({ connectionString: viaProxy, max: 1 })
      try {
        for (let k = 0; k < COUNTED_LOOPS + 2; k++) {
          const index = loopNo++
          counter.reset()
          await bareLoop(bareCounted, {
            street: streetOf(0),
            index,
            title: `接报压测 计数 ${index}`,
            category,
            department: departmentOf(0, index),
          })
          if (k >= 2) perStep.set('bare', [...(perStep.get('bare') ?? []), counter.count()])
        }
      } finally {
        await bareCounted.end()
      }
    }
    const med = (key: string) => {
      const xs = [...(perStep.get(key) ?? [])].sort((a, b) => a - b)
      const lo = xs[0]
      const hi = xs.at(-1)
      const m = percentile(xs, 50)
      return lo === hi ? `${m}` : `${m} (${lo}–${hi})`
    }
    const oursSql = `${med('loop')} (${med('reportCase')} + ${med('acceptCase')} + ${med('dispatchCase')})`
    statementsText = `reportCase ${med('reportCase')}, acceptCase ${med('acceptCase')}, dispatchCase ${med('dispatchCase')}; bare ${med('bare')}`
    console.error(`write loop: statements per loop: ${statementsText}`)

    // --- The timed rows on a server connected to PostgreSQL directly.
    const server = await startGongzhi({ name: 'Gongzhi', node: node.path, databaseUrl: db.url, logDir })
    stops.push(server.stop)
    const cpu = { server: server.pid, postmaster }
    const runOurs = async (
      label: string,
      titleOf: (index: number, department: { id: string }) => string,
      onDone?: (index: number, department: { id: string }) => void,
    ) => {
      const steps = new Map<Step, number[]>()
      const loop = async (c: number, index: number) => {
        const department = departmentOf(c, index)
        await deskLoop({
          url: server.url,
          street: streetOf(c),
          index,
          title: titleOf(index, department),
          categoryId,
          timeoutMs,
          department,
          between: (step, ms) => {
            steps.set(step, [...(steps.get(step) ?? []), ms])
          },
        })
        onDone?.(index, department)
      }
      console.error(`write loop: ${label}: warm-up ${WARMUP_SECONDS} s, then ${opts.seconds} s …`)
      await timedLoops(opts.clients, WARMUP_SECONDS, async (c) => loop(c, loopNo++), cpu)
      steps.clear()
      const window = await timedLoops(opts.clients, opts.seconds, async (c) => loop(c, loopNo++), cpu)
      return { ...window, steps: stepTimes(steps) }
    }

    const plain = await runOurs('Gongzhi, no subscribers', (index) => `接报压测 ${index}`)
    rows.push({ label: 'Gongzhi, no subscribers', window: plain, sql: oursSql, notes: plain.failures.slice(0, 3) })

    rows.push(await withSubscribers({ opts, world, server, timeoutMs, runOurs, oursSql }))

    // --- Bare SQL: the same rows per loop, same concurrency and duration, same cluster.
    const pool = new pg.Pool({ connectionString: db.url, max: 10 })
    // an idle connection's error (the cluster stopping at the end) is the pool's to report, not a crash
    pool.on('error', (e) => console.error(`write loop: bare pool: ${e.message}`))
    stops.push(() => pool.end())
    const bare = (c: number, index: number) =>
      bareLoop(pool, {
        street: streetOf(c),
        index,
        title: `接报压测 裸 ${index}`,
        category,
        department: departmentOf(c, index),
      })
    console.error(`write loop: bare SQL: warm-up ${WARMUP_SECONDS} s, then ${opts.seconds} s …`)
    await timedLoops(opts.clients, WARMUP_SECONDS, (c) => bare(c, loopNo++), { postmaster })
    const bareWindow = await timedLoops(opts.clients, opts.seconds, (c) => bare(c, loopNo++), { postmaster })
    rows.push({
      label: 'bare SQL (node-postgres, pool of 10, one transaction + sequence per loop)',
      window: bareWindow,
      sql: med('bare'),
      notes: bareWindow.failures.slice(0, 3),
    })

    await server.stop()
    const complaints = serverComplaints(server)
    if (complaints.length) {
      keepLogs = true
      rows[0]!.notes.push(...complaints)
    }
  } catch (e) {
    if (interrupted()) throw e
    keepLogs = true
    console.error('write loop failed:', e)
    rows.push({ label: 'failed', notes: [String((e as Error).message ?? e).split('\n')[0]!] })
  } finally {
    await prisma.$disconnect().catch(() => {})
    for (const stop of stops.reverse()) await stop().catch(() => {})
    dropDb()
    await db.stop()
    fs.rmSync(dir, { recursive: true, force: true })
    if (!keepLogs) fs.rmSync(logDir, { recursive: true, force: true })
  }
  return table(rows, opts, node.version, statementsText, (Date.now() - started) / 1000, keepLogs ? logDir : undefined)
}

/** Row 2: the loop with `opts.subscribers` graphql-ws subscribers attached and proven live. */
async function withSubscribers(o: {
  opts: WriteLoopOptions
  world: World
  server: ChildServer
  timeoutMs: number
  oursSql: string
  runOurs: (
    label: string,
    titleOf: (index: number, department: { id: string }) => string,
    onDone?: (index: number, department: { id: string }) => void,
  ) => Promise<Window>
}): Promise<Row> {
  const label = `Gongzhi, ${fmt(o.opts.subscribers)} subscribers`
  const notes: string[] = []
  const runTag = `write-${o.opts.subscribers}`
  const audience = await audienceFor(o.world, o.opts.subscribers)
  const groupOf = new Map(audience.departments.map((g) => [g.id, g]))
  const procCount = o.opts.subscribers > 2000 ? 2 : 1
  const procs = new ClientProcesses(procCount)
  try {
    if ((await procs.waitAll('ready', Date.now() + 60_000)) === undefined)
      throw new Error('the client processes did not start within 60 s')
    const specs: ClientSpec[][] = Array.from({ length: procCount }, () => [])
    const wsUrl = o.server.url.replace(/^http/, 'ws')
    audience.clients.forEach((c, i) => {
      specs[i % procCount]!.push({ ...c, url: wsUrl })
    })
    const progress = () => {
      const p = procs.progress()
      console.error(`write loop:   ${fmt(p.acked)}/${fmt(p.total)} acked, ${fmt(p.live)} live, ${fmt(p.failed)} failed`)
    }
    console.error(`write loop: connecting ${fmt(o.opts.subscribers)} subscribers …`)
    procs.connect('ours', runTag, specs)
    if ((await procs.waitAll('connected', Date.now() + o.timeoutMs, progress)) === undefined)
      notes.push(`connect: ${fmt(procs.progress().acked)} acknowledged within the limit`)

    // Warm-up orders to every group until each subscription has received one (it is live).
    const serial = { n: 0 }
    const anyGrid = [...o.world.grids.keys()][0]!
    const warmStart = Date.now()
    let pending: Group[] = audience.groups
    for (;;) {
      const warmups = warmupSpecs(pending, runTag, serial, anyGrid)
      const cases = await prepareCases(o.server.url, o.world, warmups)
      for (const [i, w] of warmups.entries()) {
        await dispatch(
          o.server.url,
          o.world,
          cases[i]!,
          w.groups.map((g, k) => targetOf(g, k === 0 ? 'LEAD' : 'ASSIST')),
        ).catch((e) => notes.push(`warm-up dispatch: ${String((e as Error).message).split('\n')[0]}`))
      }
      const live = await procs.waitAll('live', Math.min(warmStart + o.timeoutMs, Date.now() + 15_000), progress)
      if (live !== undefined) break
      if (Date.now() >= warmStart + o.timeoutMs) {
        notes.push(`warm-up: ${fmt(procs.progress().live)}/${fmt(o.opts.subscribers)} live within the limit`)
        break
      }
      const missing = new Set(Object.keys(procs.progress().missing))
      pending = audience.groups.filter((g) => missing.has(g.key))
    }

    // The loops, each order titled for its department's group, then the plan of what was sent.
    const sent: PlannedOrder[] = []
    const titleOf = (index: number, d: { id: string }) => orderTitle(runTag, `o${index}`, groupOf.get(d.id)!.key)
    const window = await o.runOurs(label, titleOf, (index, d) => sent.push({ index, group: groupOf.get(d.id)!.key }))
    notes.push(...window.failures.slice(0, 3))
    // Warm-up loops of runOurs carry measured titles too: they count as orders sent.
    for (let i = 0; i < procs.count; i++) procs.send(i, { kind: 'plan', orders: sent })
    if ((await procs.waitAll('complete', Date.now() + o.timeoutMs, progress)) === undefined)
      notes.push(`delivery: not complete ${o.timeoutMs / 1000} s after the last loop`)
    const rep = await procs.report(60_000)
    const delivered = rep.receipts.reduce((n, [, times]) => n + times.length, 0)
    const sockets = new Map(audience.groups.map((g) => [g.key, g.sockets]))
    const expected = sent.reduce((n, x) => n + sockets.get(x.group)!, 0)
    const workerSockets = audience.workers.reduce((n, g) => n + g.sockets, 0)
    const delivery = `${fmt(delivered)} / ${fmt(expected)} (${fmt(sent.length)} orders; foreign ${rep.foreign}, dup ${rep.duplicates}, errors ${rep.errors}; client CPU ${rep.cpu.map((c) => c.toFixed(0)).join(' / ')} %)`
    notes.push(
      `audience: ${fmt(o.opts.subscribers - workerSockets)} department staff over ${audience.departments.length} departments, ${fmt(workerSockets)} grid-worker sockets (${audience.workers.length} workers, none addressed by the loop)`,
    )
    for (const x of rep.samples.slice(0, 3)) notes.push(`client: ${x}`)
    await procs.closeAll()
    return { label, window, sql: o.oursSql, delivery, notes }
  } catch (e) {
    if (interrupted()) throw e
    return { label, notes: [...notes, `failed: ${String((e as Error).message ?? e).split('\n')[0]}`] }
  } finally {
    await procs.kill()
  }
}

function table(
  rows: Row[],
  opts: WriteLoopOptions,
  nodeVersion: string,
  statements: string,
  totalSeconds: number,
  logDir: string | undefined,
): string[] {
  const rate = (r: Row | undefined) => (r?.window ? (r.window.loops / r.window.ms) * 1000 : undefined)
  const lines = [
    `\nWrite loop, ${new Date().toISOString().slice(0, 10)}: the intake desk's reportCase → acceptCase → dispatchCase(MANUAL, one LEAD department) over HTTP, ${opts.clients} concurrent street officers in different streets, ${opts.seconds} s per row after a ${WARMUP_SECONDS} s warm-up; server on Node ${nodeVersion} (child process, DATABASE_URL direct), bench and subscriber clients on Node ${process.version}, PostgreSQL on the same ${os.cpus().length} cores.`,
    `SQL per loop: Execute + Query messages through the counting proxy, one client, median of ${COUNTED_LOOPS} loops (${statements}). CPU per loop: utime + stime from /proc over the window / loops; PostgreSQL = the postmaster with its children (live, and reaped via cutime/cstime). Section took ${totalSeconds.toFixed(0)} s.\n`,
    '| run | loops/s | loop ms p50 / p99 | SQL per loop (report + accept + dispatch) | server CPU ms/loop | PostgreSQL CPU ms/loop | delivered / expected |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of rows) {
    const w = r.window
    if (!w) {
      lines.push(`| ${r.label} | – | – | – | – | – | – |`)
      continue
    }
    lines.push(
      `| ${r.label} | ${f1(rate(r))} | ${f1(percentile(w.latencies, 50))} / ${f1(percentile(w.latencies, 99))} | ${r.sql ?? '–'} | ${w.serverCpuMs === undefined ? '–' : f1(w.serverCpuMs / w.loops)} | ${f1(w.pgCpuMs / w.loops)} | ${r.delivery ?? '–'} |`,
    )
  }
  const [plain, subscribed, bare] = [rows[0], rows[1], rows[2]]
  const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : '–')
  lines.push(
    '',
    `Ratios: Gongzhi / bare loops/s ${ratio(rate(plain), rate(bare))}; with subscribers / without ${ratio(rate(subscribed), rate(plain))}.`,
  )
  const notes = rows.flatMap((r) =>
    [...(r.window?.steps ? [`mutation round trip ms p50 / p99: ${r.window.steps}`] : []), ...r.notes].map(
      (n) => `- ${r.label}: ${n}`,
    ),
  )
  if (notes.length) lines.push('', 'Notes:', ...notes)
  if (logDir) lines.push(`- server logs kept in ${logDir}`)
  lines.push('')
  return lines
}
