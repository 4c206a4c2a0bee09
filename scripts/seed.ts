// Loads the demo data (src/seed/demo.ts) into an empty database.
//   npm run db:seed [-- --scale N]
// With DATABASE_URL: that database, which must be fully migrated (`npm run db:migrate`).
// Without: the embedded database in DATA_DIR (default ./data), started, migrated and stopped again.
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { createPrisma } from '../src/db.js'
import { Refusal, runScript, withAdminDatabase } from '../src/db/admin-database.js'
import { demoUsersByRole } from '../src/auth/claims.js'
import { hasDemoData, seedDemo } from '../src/seed/demo.js'

const USAGE = `Usage: npm run db:seed [-- --scale N]

Loads demo data (regions, grids, buildings, departments, units, duty lists, one account per role)
into an empty database. --scale N creates N streets (default 1) for benchmarks.
Uses DATABASE_URL when set (it must be migrated); otherwise the embedded database in DATA_DIR (./data).`

function parseScale(): number {
  let values: { scale?: string; help?: boolean }
  try {
    ({ values } = parseArgs({ options: { scale: { type: 'string', short: 's' }, help: { type: 'boolean', short: 'h' } }, strict: true }))
  } catch (e) {
    throw new Refusal(`${(e as Error).message}\n\n${USAGE}`)
  }
  if (values.help) { console.log(USAGE); process.exit(0) }
  const scale = Number(values.scale ?? '1')
  if (!Number.isInteger(scale) || scale < 1) throw new Refusal(`--scale must be a positive integer, got "${values.scale}"`)
  return scale
}

async function seed(url: string, scale: number): Promise<void> {
  const prisma = createPrisma(url)
  try {
    if (await hasDemoData(prisma)) throw new Refusal('The database already holds data (regions exist); demo data is only loaded into an empty database.')
    const bar = scale > 1
      ? new cliProgress.SingleBar({ format: 'Seeding streets [{bar}] {value}/{total} {percentage}% | {duration_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic)
      : null
    bar?.start(scale, 0)
    const t0 = performance.now()
    let summary
    try {
      summary = await seedDemo(prisma, { scale, onProgress: (done) => bar?.update(done) })
    } finally {
      bar?.stop()
    }
    const ms = Math.round(performance.now() - t0)
    console.log(`Demo data loaded in ${ms} ms:`)
    console.table(summary)
    console.log('Demo accounts, one per role (tokens: printed by `npm start`, or `npm run token -- --role <ROLE>`):')
    console.table(Object.fromEntries((await demoUsersByRole(prisma)).map((u) => [u.role, u.username])))
  } finally {
    await prisma.$disconnect()
  }
}

await runScript(async () => {
  const scale = parseScale()
  await withAdminDatabase((url) => seed(url, scale))
})
