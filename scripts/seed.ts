// Loads the demo data (src/seed/demo.ts) into an empty database, then a history of cases (src/seed/history.ts).
//   npm run db:seed [-- --scale N] [--months N]
// With DATABASE_URL: that database, which must be fully migrated (`npm run db:migrate`).
// Without: the embedded database in DATA_DIR (default ./data), started, migrated and stopped again.
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { createPrisma } from '../src/db.js'
import { runScript, withAdminDatabase } from '../src/db/admin-database.js'
import { FatalError } from '../src/shared/fatal-error.js'
import { demoUsersByRole } from '../src/auth/claims.js'
import { hasDemoData, seedDemo } from '../src/seed/demo.js'
import { seedHistory } from '../src/seed/history.js'
import { sweepOverdue } from '../src/modules/case/sla.service.js'
import { createAppPubSub } from '../src/pubsub.js'

const USAGE = `Usage: npm run db:seed [-- --scale N] [--months N]

Loads demo data (regions, grids, buildings, departments, units, duty lists, one account per role)
into an empty database. --scale N creates N streets (default 1) for benchmarks.
--months N adds N months (default 12; 0: none) of cases and orders in every street, about 100 per
street and month, in every state over time: the demo cases' histories replayed into the past.
Uses DATABASE_URL when set (it must be migrated); otherwise the embedded database in DATA_DIR (./data).`

function parseOptions(): { scale: number; months: number } {
  let values: { scale?: string; months?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      options: {
        scale: { type: 'string', short: 's' },
        months: { type: 'string', short: 'm' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }))
  } catch (e) {
    throw new FatalError(`${(e as Error).message}\n\n${USAGE}`)
  }
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const scale = Number(values.scale ?? '1')
  if (!Number.isInteger(scale) || scale < 1)
    throw new FatalError(`--scale must be a positive integer, got "${values.scale}"`)
  const months = Number(values.months ?? '12')
  if (!Number.isInteger(months) || months < 0)
    throw new FatalError(`--months must be a non-negative integer, got "${values.months}"`)
  return { scale, months }
}

async function seed(url: string, scale: number, months: number): Promise<void> {
  const prisma = createPrisma(url)
  try {
    if (await hasDemoData(prisma))
      throw new FatalError(
        'The database already holds data (regions exist); demo data is only loaded into an empty database.',
      )
    const bar =
      scale > 1
        ? new cliProgress.SingleBar(
            {
              format: 'Seeding streets [{bar}] {value}/{total} {percentage}% | {duration_formatted}',
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          )
        : null
    bar?.start(scale, 0)
    const t0 = performance.now()
    let summary: Awaited<ReturnType<typeof seedDemo>>
    try {
      summary = await seedDemo(prisma, { scale, onProgress: (done) => bar?.update(done) })
    } finally {
      bar?.stop()
    }
    const ms = Math.round(performance.now() - t0)
    console.log(`Demo data loaded in ${ms} ms:`)
    console.table(summary)
    if (months > 0) {
      const h0 = performance.now()
      const history = await seedHistory(prisma, { months })
      console.log(`${months} months of case history loaded in ${Math.round(performance.now() - h0)} ms:`)
      console.table(history)
      // what is overdue now is supervised now, as the server's SLA sweep would on its first run
      const supervised = await sweepOverdue({ prisma, pubsub: createAppPubSub() })
      console.log(`SLA sweep: ${supervised} supervisions raised on what is overdue now.`)
    }
    console.log('Demo accounts, one per role (tokens: printed by `npm start`, or `npm run token -- --role <ROLE>`):')
    console.table(Object.fromEntries((await demoUsersByRole(prisma)).map((u) => [u.role, u.username])))
  } finally {
    await prisma.$disconnect()
  }
}

await runScript(async () => {
  const { scale, months } = parseOptions()
  await withAdminDatabase((url) => seed(url, scale, months))
})
