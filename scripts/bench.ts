// npm run bench [-- --scale 5 --seconds 5 --connections 20 --dispatches 50 --rounds 2 --peers-only]
// Measures the API against a baseline taken in the same run on the same server ({ __typename }),
// so the ratios stay meaningful on a noisy machine. Starts its own embedded PostgreSQL in a temp
// dir with `--scale` streets of demo data; prints a markdown table for the README.
// Then the side-by-side section (scripts/bench/peers.ts): our built server, PostGraphile 5 and
// stock graphql-yoga, each in a Node 24 child process on a database of its own; `--peers-only`
// runs only that section.
// `--startup-only [--startup-runs 7]`: start-up times of the built server (scripts/bench/startup.ts).
// After the in-process rows, the statistics section (scripts/bench/statistics.ts): a year of history
// at scale 50, each statistic timed and its statements explained ([-- --statistics-only
// --statistics-scale 50 --statistics-months 12 --statistics-runs 7]).
// Last, the fan-out section (scripts/bench/fanout.ts): dispatch orders pushed live to many
// graphql-ws subscribers against a bare `ws` server ([-- --fanout-only --fanout-subscribers 1000,10000
// --fanout-orders 30 --fanout-rate 5 --no-fanout-redis --fanout-timeout 120 --fanout-client-procs 2]).
// Then the write-loop section (scripts/bench/write-loop.ts): the intake desk's report → accept →
// dispatch loop by concurrent street officers, without and with subscribers, against the same rows
// written with bare SQL ([-- --write-only --write-seconds 20 --write-clients 10 --write-subscribers 1000]).
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { createPrisma } from '../src/db.js'
import { startEmbeddedPostgres } from '../src/db/embedded.js'
import { deployMigrations } from '../src/db/migrate.js'
import { seedDemo } from '../src/seed/demo.js'
import { wsClient, collect } from '../tests/helpers/graphql.js'
import { installSignalHandlers, interrupted, onCleanup, runCleanups } from './bench/lifecycle.js'
import { peerSection } from './bench/peers.js'
import { fanoutSection } from './bench/fanout.js'
import { startupSection } from './bench/startup.js'
import { statisticsSection } from './bench/statistics.js'
import { writeLoopSection } from './bench/write-loop.js'
import { startBenchApp } from './bench/in-process-app.js'
import { REDIS_SERVER } from '../tests/helpers/redis.js'

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '20' },
    dispatches: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    'peer-connections': { type: 'string', default: '10' },
    'peers-only': { type: 'boolean', default: false },
    'startup-only': { type: 'boolean', default: false },
    'startup-runs': { type: 'string', default: '7' },
    'fanout-only': { type: 'boolean', default: false },
    'fanout-subscribers': { type: 'string', default: '1000,10000' },
    'fanout-orders': { type: 'string', default: '30' },
    'fanout-rate': { type: 'string', default: '5' },
    // Default: on when redis-server is on PATH; --no-fanout-redis turns it off.
    'fanout-redis': { type: 'boolean', default: !spawnSync(REDIS_SERVER, ['--version']).error },
    // The subscriber counts of the two-instance run; default: the largest of --fanout-subscribers.
    'fanout-redis-subscribers': { type: 'string' },
    'fanout-timeout': { type: 'string', default: '120' },
    'fanout-client-procs': { type: 'string' },
    'statistics-only': { type: 'boolean', default: false },
    'statistics-scale': { type: 'string', default: '50' },
    'statistics-months': { type: 'string', default: '12' },
    'statistics-runs': { type: 'string', default: '7' },
    'write-only': { type: 'boolean', default: false },
    'write-seconds': { type: 'string', default: '20' },
    'write-clients': { type: 'string', default: '10' },
    'write-subscribers': { type: 'string', default: '1000' },
  },
  allowNegative: true,
})
const scale = Number(values.scale)
const seconds = Number(values.seconds)
const connections = Number(values.connections)

/** The rows measured in-process against `{ __typename }`, contended writes and dispatch latency. */
async function inProcessSection() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-'))
  const db = await startEmbeddedPostgres({ dataDir: dir, database: 'bench' })
  const cleanup = async () => {
    unregister()
    await db.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const unregister = onCleanup(cleanup)
  try {
    await deployMigrations(db.url)
    const prisma = createPrisma(db.url, { poolSize: 20 })
    const t0 = Date.now()
    const seeded = await seedDemo(prisma, { scale })
    console.error(
      `seeded scale ${scale}: ${seeded.grids} grids, ${seeded.users} users, workflows of street 1, in ${Date.now() - t0} ms`,
    )
    const { app, url, token } = await startBenchApp(prisma, db.url, { MUTATIONS_PER_MINUTE: '1000000' })
    const admin = await token('admin')
    const officer = await token('community.officer.1')
    const grid = await prisma.grid.findFirstOrThrow({ orderBy: { code: 'asc' } })
    const street = await token('street.officer')
    const resident = await token('resident.1')

    async function load(name: string, query: string, bearer: string) {
      const r = await autocannon({
        url,
        connections,
        duration: seconds,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query }),
      })
      if (r.non2xx) throw new Error(`${name}: ${r.non2xx} non-2xx answers`)
      return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 }
    }

    const rows = [
      await load('baseline `{ __typename }`', '{ __typename }', admin),
      await load(
        '`grids(first: 20)` + community + public card (admin)',
        '{ grids(first: 20) { edges { node { code community { name } publicCard { workers { name phone } } } } } }',
        admin,
      ),
      await load(
        '`grids(first: 20)` row-filtered (community officer)',
        '{ grids(first: 20) { edges { node { code name } } } }',
        officer,
      ),
      await load(
        '`gridAt(lng, lat)` point-in-polygon',
        `{ gridAt(lng: ${(grid.minLng + grid.maxLng) / 2}, lat: ${(grid.minLat + grid.maxLat) / 2}) { code } }`,
        admin,
      ),
      await load(
        '`cases(first: 20)` with category and grid (admin)',
        '{ cases(first: 20) { edges { node { title status category { name } grid { code } } } } }',
        admin,
      ),
      await load(
        '`jointAgreements(first: 20)` with parties and party org (street officer)',
        '{ jointAgreements(first: 20) { edges { node { title status endsAt partyOrg { name } parties { unit { name } } } } } }',
        street,
      ),
      await load(
        '`needs(first: 20)` with grid (resident)',
        '{ needs(first: 20) { edges { node { title urgency status grid { code } } } } }',
        resident,
      ),
      await load(
        '`volunteerActivities(first: 20, hasPlaces)` (resident)',
        '{ volunteerActivities(first: 20, filter: { hasPlaces: true }) { edges { node { title startsAt placesLeft community { name } } } } }',
        resident,
      ),
      await load(
        '`volunteerLeaderboard(first: 20)` (resident)',
        '{ volunteerLeaderboard(first: 20) { __typename } }',
        resident,
      ),
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
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query, variables }),
      })
      return (await res.json()) as { data: Record<string, { case: { id: string; version: number } }> }
    }
    await new Promise((r) => setTimeout(r, 200)) // let the subscription attach before the first measurement
    const latencies: number[] = []
    for (let i = 0; i < Number(values.dispatches); i++) {
      const rep = await gql(
        worker,
        'mutation($i: ReportCaseInput!) { reportCase(input: $i) { ... on ReportCasePayload { case { id version } } } }',
        {
          i: {
            title: `压测案件${i}`,
            description: '压测',
            categoryId: Buffer.from(`CaseCategory:${category.id}`).toString('base64'),
            source: 'PATROL',
            lng,
            lat,
          },
        },
      )
      const c = rep.data.reportCase!.case
      const acc = await gql(
        officer,
        'mutation($i: AcceptCaseInput!) { acceptCase(input: $i) { ... on AcceptCasePayload { case { id version } } } }',
        { i: { id: c.id, version: c.version } },
      )
      const a = acc.data.acceptCase!.case
      const start = performance.now()
      const arrived = feed.next(i + 1)
      await gql(officer, 'mutation($i: DispatchCaseInput!) { dispatchCase(input: $i) { __typename } }', {
        i: { id: a.id, version: a.version, mode: 'AUTO' },
      })
      await arrived
      latencies.push(performance.now() - start)
    }
    feed.dispose()
    await ws.dispose()
    void dept
    latencies.sort((a, b) => a - b)
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1)

    console.log(
      `\nBench: scale ${scale} (${seeded.grids} grids), ${connections} connections × ${seconds} s per row, ${os.cpus().length} cores, Node ${process.version}\n`,
    )
    console.log('| request | req/s | ratio to baseline | p50 ms | p99 ms |')
    console.log('| --- | ---: | ---: | ---: | ---: |')
    for (const r of rows)
      console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${(r.rps / base).toFixed(2)} | ${r.p50} | ${r.p99} |`)
    const storms = await contention()
    for (const line of storms) console.log(line)
    console.log(
      `\nDispatch → department subscriber (dispatchCase round trip until the order arrives over graphql-ws), ${latencies.length} sequential dispatches: p50 ${pct(50)} ms, p99 ${pct(99)} ms\n`,
    )
    await app.stop()
    await prisma.$disconnect()

    /**
     * Contended writes, each against a burst of the same size of `{ __typename }` in the same run:
     * N residents sign up at once for an activity with `places` places, and one resident fires N
     * redemptions at once against a balance that covers `places` of them.
     */
    async function contention(): Promise<string[]> {
      const n = 200
      const places = 50
      const community = await prisma.region.findFirstOrThrow({
        where: { level: 'COMMUNITY' },
        orderBy: { code: 'asc' },
      })
      const organizer = await prisma.user.findUniqueOrThrow({ where: { username: 'community.officer.1' } })
      const users = Array.from({ length: n }, (_, i) => ({
        username: `bench.resident.${i}`,
        displayName: `压测居民${i}`,
        roles: ['RESIDENT' as const],
        regionIds: [community.id],
      }))
      await prisma.user.createMany({ data: users })
      const tokens = await Promise.all(users.map((u) => token(u.username)))
      const now = Date.now()
      const activity = await prisma.volunteerActivity.create({
        data: {
          title: '压测活动',
          type: 'ENVIRONMENT',
          status: 'PUBLISHED',
          communityId: community.id,
          startsAt: new Date(now + 86_400_000),
          endsAt: new Date(now + 90_000_000),
          capacity: places,
          pointsPerHour: 10,
          organizerId: organizer.id,
          publishedAt: new Date(now),
        },
      })
      const item = await prisma.rewardItem.create({
        data: { name: '压测商品', pointsCost: 10, stock: 10_000, communityId: community.id },
      })
      const buyer = await prisma.user.findUniqueOrThrow({ where: { username: users[0]!.username } })
      await prisma.pointsAccount.create({
        data: {
          userId: buyer.id,
          balance: places * 10,
          entries: {
            create: {
              kind: 'ADJUSTMENT',
              points: places * 10,
              balanceAfter: places * 10,
              reason: 'bench',
              idempotencyKey: 'bench-seed',
            },
          },
        },
      })
      const post = (bearer: string, query: string, variables: object = {}) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
          body: JSON.stringify({ query, variables }),
        }).then((r) => r.json() as Promise<{ data: Record<string, { __typename: string }> }>)
      const burst = async (send: (i: number) => Promise<{ data: Record<string, { __typename: string }> }>) => {
        const t = performance.now()
        const answers = await Promise.all(Array.from({ length: n }, (_, i) => send(i)))
        const failed = answers.find((a) => !a.data)
        if (failed) throw new Error(`burst request failed: ${JSON.stringify(failed)}`)
        return { ms: performance.now() - t, names: answers.map((a) => Object.values(a.data)[0]!.__typename) }
      }
      const base = await burst((i) =>
        post(tokens[i]!, '{ __typename: __typename }').then(() => ({ data: { x: { __typename: 'ok' } } })),
      )
      const activityId = Buffer.from(`VolunteerActivity:${activity.id}`).toString('base64')
      const signups = await burst((i) =>
        post(
          tokens[i]!,
          'mutation($i: SignUpForActivityInput!) { signUpForActivity(input: $i) { __typename ... on SignUpForActivityPayload { signup { id status } } } }',
          { i: { activityId } },
        ),
      )
      const itemId = Buffer.from(`RewardItem:${item.id}`).toString('base64')
      const redemptions = await burst((i) =>
        post(
          tokens[0]!,
          'mutation($i: RedeemRewardInput!) { redeemReward(input: $i) { __typename ... on RedeemRewardPayload { redemption { id status } } } }',
          { i: { itemId, idempotencyKey: `bench-redeem-${i}` } },
        ),
      )
      const count = (names: string[], name: string) => names.filter((x) => x === name).length
      const ok = (names: string[]) => names.filter((x) => x.endsWith('Payload')).length
      const taken = (await prisma.volunteerActivity.findUniqueOrThrow({ where: { id: activity.id } })).taken
      const balance = (await prisma.pointsAccount.findUniqueOrThrow({ where: { userId: buyer.id } })).balance
      return [
        `\nContended writes, ${n} requests at once (baseline: ${n} concurrent \`{ __typename }\` in ${base.ms.toFixed(0)} ms):\n`,
        '| burst | wall ms | ratio to baseline burst | accepted | refused |',
        '| --- | ---: | ---: | ---: | ---: |',
        `| ${n} sign-ups for ${places} places | ${signups.ms.toFixed(0)} | ${(signups.ms / base.ms).toFixed(2)} | ${ok(signups.names)} (taken ${taken}) | ${count(signups.names, 'ActivityFull')} ActivityFull |`,
        `| ${n} redemptions against a balance for ${places} | ${redemptions.ms.toFixed(0)} | ${(redemptions.ms / base.ms).toFixed(2)} | ${ok(redemptions.names)} (balance ${balance}) | ${count(redemptions.names, 'InsufficientPoints')} InsufficientPoints |`,
      ]
    }
  } finally {
    await cleanup()
  }
}

/** A positive number flag, or a clear error. */
function positive(flag: string, value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${flag} must be a positive number, got ${JSON.stringify(value)}`)
  return n
}
const counts = (flag: string, value: string) =>
  value.split(',').map((v) => Math.round(positive(flag, v.trim().replace(/_/g, ''))))

installSignalHandlers()
try {
  if (values['startup-only']) {
    execFileSync(process.execPath, [path.resolve('scripts/build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] })
    for (const line of await startupSection({ runs: positive('startup-runs', values['startup-runs']) }))
      console.log(line)
    await runCleanups()
    process.exit(0)
  }
  const statistics = async () => {
    const lines = await statisticsSection({
      scale: positive('statistics-scale', values['statistics-scale']),
      months: positive('statistics-months', values['statistics-months']),
      runs: positive('statistics-runs', values['statistics-runs']),
    })
    for (const line of lines) console.log(line)
  }
  if (values['statistics-only']) {
    await statistics()
    await runCleanups()
    process.exit(0)
  }
  const writeLoop = async () => {
    const lines = await writeLoopSection({
      seconds: positive('write-seconds', values['write-seconds']),
      clients: Math.round(positive('write-clients', values['write-clients'])),
      subscribers: Math.round(positive('write-subscribers', values['write-subscribers'])),
    })
    for (const line of lines) console.log(line)
  }
  if (values['write-only']) {
    await writeLoop()
    await runCleanups()
    process.exit(0)
  }
  if (!values['peers-only'] && !values['fanout-only']) {
    await inProcessSection()
    await statistics()
  }
  if (!values['fanout-only']) {
    const lines = await peerSection({
      seconds,
      rounds: Number(values.rounds),
      connections: Number(values['peer-connections']),
    })
    for (const line of lines) console.log(line)
  }
  if (!values['peers-only']) {
    const sizes = counts('fanout-subscribers', values['fanout-subscribers'])
    const lines = await fanoutSection({
      sizes,
      orders: positive('fanout-orders', values['fanout-orders']),
      rate: positive('fanout-rate', values['fanout-rate']),
      redis: values['fanout-redis'],
      redisSizes: values['fanout-redis-subscribers']
        ? counts('fanout-redis-subscribers', values['fanout-redis-subscribers'])
        : [Math.max(...sizes)],
      timeoutSeconds: positive('fanout-timeout', values['fanout-timeout']),
      clientProcesses: values['fanout-client-procs']
        ? positive('fanout-client-procs', values['fanout-client-procs'])
        : undefined,
    })
    for (const line of lines) console.log(line)
  }
  if (!values['peers-only'] && !values['fanout-only']) await writeLoop()
} catch (e) {
  // After Ctrl-C the children are gone and requests fail: the signal handler cleans up and exits.
  if (interrupted()) await new Promise(() => {})
  throw e
} finally {
  await runCleanups()
}
process.exit(0)
