// The statistics section of `npm run bench` (`--statistics-only`, `--statistics-scale 50`,
// `--statistics-months 12`, `--statistics-runs 7`): case statistics, the command centre and the
// assessment reports over a year of seeded history (src/seed/history.ts) at scale 50, each timed
// end to end over HTTP (median and worst of the runs, after one warm-up) beside `{ __typename }`
// measured the same way in the same run, then every aggregate statement they sent under
// EXPLAIN (ANALYZE, BUFFERS): its execution time in PostgreSQL and the tables it scanned whole.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPrisma, Prisma } from '../../src/db.js'
import { startEmbeddedPostgres } from '../../src/db/embedded.js'
import { deployMigrations } from '../../src/db/migrate.js'
import { sweepOverdue } from '../../src/modules/case/sla.service.js'
import { createAppPubSub } from '../../src/pubsub.js'
import { seedDemo } from '../../src/seed/demo.js'
import { seedHistory } from '../../src/seed/history.js'
import { startBenchApp } from './in-process-app.js'
import { onCleanup } from './lifecycle.js'

const TARGET_MS = 300

interface Plan {
  'Node Type': string
  'Relation Name'?: string
  Plans?: Plan[]
}

/** Tables a plan reads with a sequential scan. */
function seqScans(p: Plan, out = new Set<string>()): Set<string> {
  if (p['Node Type'] === 'Seq Scan' && p['Relation Name']) out.add(p['Relation Name'])
  for (const c of p.Plans ?? []) seqScans(c, out)
  return out
}

export async function statisticsSection(opts: { scale: number; months: number; runs: number }): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-stats-'))
  const db = await startEmbeddedPostgres({ dataDir: dir, database: 'bench' })
  const cleanup = async () => {
    unregister()
    await db.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const unregister = onCleanup(cleanup)
  try {
    await deployMigrations(db.url)
    const prisma = createPrisma(db.url, { poolSize: 10 })
    let t0 = Date.now()
    await seedDemo(prisma, { scale: opts.scale })
    const demoMs = Date.now() - t0
    t0 = Date.now()
    await seedHistory(prisma, { months: opts.months })
    const supervised = await sweepOverdue({ prisma, pubsub: createAppPubSub() })
    const historyMs = Date.now() - t0
    await prisma.$executeRawUnsafe('VACUUM ANALYZE')
    const counts = {
      cases: await prisma.case.count(),
      orders: await prisma.dispatchOrder.count(),
      events: await prisma.caseEvent.count(),
      grids: await prisma.grid.count(),
    }
    console.error(
      `statistics: scale ${opts.scale} in ${demoMs} ms, ${opts.months} months of history in ${historyMs} ms (${JSON.stringify(counts)}, ${supervised} supervisions)`,
    )

    // every raw statement the app sends, to EXPLAIN afterwards
    let captured: Prisma.Sql[] | null = null
    const raw = prisma.$queryRaw.bind(prisma) as (...a: unknown[]) => Promise<unknown>
    ;(prisma as unknown as { $queryRaw: unknown }).$queryRaw = (
      strings: TemplateStringsArray | Prisma.Sql,
      ...values: unknown[]
    ) => {
      captured?.push(
        Array.isArray(strings) ? Prisma.sql(strings as TemplateStringsArray, ...values) : (strings as Prisma.Sql),
      )
      return raw(strings, ...values)
    }

    const { app, url, token } = await startBenchApp(prisma, db.url, { MAX_COST: '1000000' })
    const admin = await token('admin')
    const street = await token('street.officer')
    const district = await prisma.region.findFirstOrThrow({ where: { level: 'DISTRICT' } })
    const districtId = Buffer.from(`Region:${district.id}`).toString('base64')
    const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4))
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7)

    const TALLY = 'count previousCount'
    const STATS = `total { ${TALLY} } byStatus { status ${TALLY} } byCategory { category { code } ${TALLY} } bySource { source ${TALLY} }
      byGrid { grid { code } ${TALLY} } byCommunity { community { name } ${TALLY} } byDepartment { department { code } ${TALLY} } byMonth { month count }`
    const LIVE =
      'openCases overdueCases openOrders unsignedOrders overdueOrders openSupervisions reportedToday closedToday'
    const centre = `commandCentre(regionId: $r) { totals { ${LIVE} } overdueHeat { grid { code } ${LIVE} }
      departmentLoad { department { code } openOrders overdueOrders oldestOpenAt } caseStatistics { ${STATS} } }`
    const queries: [string, string, string, Record<string, unknown>][] = [
      ['baseline `{ __typename }`', admin, '{ __typename }', {}],
      [
        `\`caseStatistics\`, district, year ${year} (vs ${year - 1})`,
        admin,
        `query($r: ID, $p: AssessmentPeriodInput!) { caseStatistics(regionId: $r, period: $p) { ${STATS} } }`,
        { r: districtId, p: { year } },
      ],
      [
        `\`caseStatistics\`, street 1, month ${month}`,
        street,
        `query($p: AssessmentPeriodInput!) { caseStatistics(period: $p) { ${STATS} } }`,
        { p: { month } },
      ],
      ['`commandCentre`, district (live + this month)', admin, `query($r: ID) { ${centre} }`, { r: districtId }],
      ['`commandCentre`, street 1', street, `query($r: ID) { ${centre} }`, {}],
      [
        `\`departmentPerformance\`, district, year ${year}`,
        admin,
        `query($r: ID, $p: AssessmentPeriodInput!) { departmentPerformance(regionId: $r, period: $p) { rows { department { code } ordersReceived signedOnTimePercent completedOnTimePercent averageSatisfaction medianHoursToSign score rank } } }`,
        { r: districtId, p: { year } },
      ],
      [
        `\`gridPerformance\`, district, year ${year}`,
        admin,
        `query($r: ID, $p: AssessmentPeriodInput!) { gridPerformance(regionId: $r, period: $p) { rows { grid { code } casesReported casesResolved onTimePercent averageSatisfaction verificationPassPercent activeWorkers volunteerHours partyMembersReported } } }`,
        { r: districtId, p: { year } },
      ],
      [
        `\`gridWorkerPerformance\`, district, year ${year}`,
        admin,
        `query($r: ID, $p: AssessmentPeriodInput!) { gridWorkerPerformance(regionId: $r, period: $p) { rows { worker { displayName } grid { code } casesReported casesResolved onTimePercent } } }`,
        { r: districtId, p: { year } },
      ],
    ]
    const post = async (bearer: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query, variables }),
      })
      const body = (await res.json()) as { errors?: unknown[] }
      if (body.errors) throw new Error(`statistics bench: ${JSON.stringify(body.errors).slice(0, 500)}`)
    }
    const rows: string[] = []
    const explains: string[] = []
    let base = 0
    for (const [name, bearer, query, variables] of queries) {
      captured = []
      await post(bearer, query, variables) // warm-up, and the statements to explain
      const statements = captured
      captured = null
      const ms: number[] = []
      for (let i = 0; i < opts.runs; i++) {
        const s = performance.now()
        await post(bearer, query, variables)
        ms.push(performance.now() - s)
      }
      ms.sort((a, b) => a - b)
      const median = ms[Math.floor(ms.length / 2)]!
      if (!base) base = median
      rows.push(
        `| ${name} | ${median.toFixed(1)} | ${ms.at(-1)!.toFixed(1)} | ${(median / base).toFixed(1)} | ${statements.length} |`,
      )
      for (const sql of statements.filter((s) => /GROUP BY/.test(s.text))) {
        const [
          {
            'QUERY PLAN': [plan],
          },
        ] = (await prisma.$queryRawUnsafe<{ 'QUERY PLAN': [{ 'Execution Time': number; Plan: Plan }] }[]>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.text}`,
          ...sql.values,
        )) as [{ 'QUERY PLAN': [{ 'Execution Time': number; Plan: Plan }] }]
        const scans = [...seqScans(plan.Plan)].sort()
        explains.push(
          `| ${name} | ${sql.text.replace(/\s+/g, ' ').trim().slice(0, 60).replace(/\|/g, '\\|')}… | ${plan['Execution Time'].toFixed(1)} | ${scans.join(', ') || '—'} |`,
        )
      }
    }
    await app.stop()
    await prisma.$disconnect()
    return [
      `\nStatistics over a year: scale ${opts.scale} (${counts.grids} grids), ${opts.months} months of history (${counts.cases} cases, ${counts.orders} orders, ${counts.events} timeline events, ${supervised} supervisions), ${os.cpus().length} cores, Node ${process.version}; target < ${TARGET_MS} ms each\n`,
      '| request (over HTTP, sequential) | median ms | worst ms | ratio to baseline | raw statements |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...rows,
      '\nTheir aggregate statements under `EXPLAIN (ANALYZE, BUFFERS)` (once, warm):\n',
      '| request | statement | execution ms | tables read whole (Seq Scan) |',
      '| --- | --- | ---: | --- |',
      ...explains,
    ]
  } finally {
    await cleanup()
  }
}
