// npm run bench [-- --scale 5 --seconds 5 --connections 20 --dispatches 50]
// Measures the API against a baseline taken in the same run on the same server ({ __typename }),
// so the ratios stay meaningful on a noisy machine. Starts its own embedded PostgreSQL in a temp
// dir with `--scale` streets of demo data; prints a markdown table for the README.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createPrisma } from '../src/db.js'
import { startEmbeddedPostgres } from '../src/db/embedded.js'
import { deployMigrations } from '../src/db/migrate.js'
import { createLogger } from '../src/logger.js'
import { createAppPubSub } from '../src/pubsub.js'
import { createVerifier, signToken } from '../src/auth/jwt.js'
import { claimsForUser } from '../src/auth/claims.js'
import { seedDemo } from '../src/seed/demo.js'
import { wsClient, collect } from '../tests/helpers/ws.js'

const { values } = parseArgs({ options: {
  scale: { type: 'string', default: '5' }, seconds: { type: 'string', default: '5' },
  connections: { type: 'string', default: '20' }, dispatches: { type: 'string', default: '50' },
} })
const scale = Number(values.scale)
const seconds = Number(values.seconds)
const connections = Number(values.connections)
const secret = 'bench-secret-0123456789-abcdefghijklmnop'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-'))
const db = await startEmbeddedPostgres({ dataDir: dir, database: 'bench' })
const cleanup = async () => { await db.stop(); fs.rmSync(dir, { recursive: true, force: true }) }
try {
  await deployMigrations(db.url)
  const prisma = createPrisma(db.url, { poolSize: 20 })
  const t0 = Date.now()
  const seeded = await seedDemo(prisma, { scale })
  console.error(`seeded scale ${scale}: ${seeded.grids} grids, ${seeded.users} users in ${Date.now() - t0} ms`)
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: db.url, JWT_SECRET: secret, LOG_LEVEL: 'silent', BACKGROUND_JOBS: 'false', DISPATCH_POLL_MS: '600000' })
  const pubsub = createAppPubSub()
  const app = buildApp({
    config, prisma, pubsub, log: createLogger('silent'), isReady: async () => true,
    verifier: await createVerifier({ secret, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
  })
  const { url } = await app.start(0, '127.0.0.1')
  const token = async (username: string) => {
    const u = await prisma.user.findUniqueOrThrow({ where: { username } })
    return signToken(secret, await claimsForUser(prisma, u.id), { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE })
  }
  const admin = await token('admin')
  const officer = await token('community.officer.1')
  const grid = await prisma.grid.findFirstOrThrow({ orderBy: { code: 'asc' } })

  async function load(name: string, query: string, bearer: string) {
    const r = await autocannon({
      url, connections, duration: seconds, method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query }),
    })
    if (r.non2xx) throw new Error(`${name}: ${r.non2xx} non-2xx answers`)
    return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 }
  }

  const rows = [
    await load('baseline `{ __typename }`', '{ __typename }', admin),
    await load('`grids(first: 20)` + community + public card (admin)', '{ grids(first: 20) { edges { node { code community { name } publicCard { workers { name phone } } } } } }', admin),
    await load('`grids(first: 20)` row-filtered (community officer)', '{ grids(first: 20) { edges { node { code name } } } }', officer),
    await load('`gridAt(lng, lat)` point-in-polygon', `{ gridAt(lng: ${(grid.minLng + grid.maxLng) / 2}, lat: ${(grid.minLat + grid.maxLat) / 2}) { code } }`, admin),
    await load('`cases(first: 20)` with category and grid (admin)', '{ cases(first: 20) { edges { node { title status category { name } grid { code } } } } }', admin),
  ]
  const base = rows[0]!.rps

  // Dispatch → live delivery latency: one department subscriber, sequential auto-dispatches.
  const category = await prisma.caseCategory.findUniqueOrThrow({ where: { code: 'SECURITY' } })
  const dept = await prisma.department.findFirstOrThrow({ where: { code: 'CGPCS' } })
  const worker = await token('grid.worker.CG-DM-01.leader')
  const deptToken = await token('dept.CGPCS')
  const ws = wsClient(url.replace('http', 'ws'), deptToken)
  const feed = collect(ws, 'subscription { dispatchOrderCreated { cursor order { id } } }')
  const { lng, lat } = { lng: (grid.minLng + grid.maxLng) / 2, lat: (grid.minLat + grid.maxLat) / 2 }
  const gql = async (bearer: string, query: string, variables: object) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query, variables }) })
    return (await res.json()) as { data: Record<string, { case: { id: string; version: number } }> }
  }
  await new Promise((r) => setTimeout(r, 200)) // let the subscription attach before the first measurement
  const latencies: number[] = []
  for (let i = 0; i < Number(values.dispatches); i++) {
    const rep = await gql(worker, 'mutation($i: ReportCaseInput!) { reportCase(input: $i) { ... on ReportCasePayload { case { id version } } } }', { i: { title: `压测案件${i}`, description: '压测', categoryId: Buffer.from(`CaseCategory:${category.id}`).toString('base64'), source: 'PATROL', lng, lat } })
    const c = rep.data.reportCase!.case
    const acc = await gql(officer, 'mutation($i: AcceptCaseInput!) { acceptCase(input: $i) { ... on AcceptCasePayload { case { id version } } } }', { i: { id: c.id, version: c.version } })
    const a = acc.data.acceptCase!.case
    const start = performance.now()
    const arrived = feed.next(i + 1)
    await gql(officer, 'mutation($i: DispatchCaseInput!) { dispatchCase(input: $i) { __typename } }', { i: { id: a.id, version: a.version, mode: 'AUTO' } })
    await arrived
    latencies.push(performance.now() - start)
  }
  feed.dispose()
  await ws.dispose()
  void dept
  latencies.sort((a, b) => a - b)
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1)

  console.log(`\nBench: scale ${scale} (${seeded.grids} grids), ${connections} connections × ${seconds} s per row, ${os.cpus().length} cores, Node ${process.version}\n`)
  console.log('| request | req/s | ratio to baseline | p50 ms | p99 ms |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  for (const r of rows) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${(r.rps / base).toFixed(2)} | ${r.p50} | ${r.p99} |`)
  console.log(`\nDispatch → department subscriber (dispatchCase round trip until the order arrives over graphql-ws), ${latencies.length} sequential dispatches: p50 ${pct(50)} ms, p99 ${pct(99)} ms\n`)
  await app.stop()
  await prisma.$disconnect()
} finally {
  await cleanup()
}
process.exit(0)
