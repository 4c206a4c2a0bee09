// Bulk import of grids (GeoJSON), buildings and party members (CSV): src/import/territory-import.ts.
//   npm run db:import -- [--grids grids.geojson] [--buildings buildings.csv] [--members members.csv] [--dry-run]
// All or nothing: problems are listed with file and line and nothing is written (exit 1).
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { createPrisma } from '../src/db.js'
import { runScript, withAdminDatabase } from '../src/db/admin-database.js'
import { FatalError } from '../src/shared/fatal-error.js'
import {
  type ImportBatch,
  type ImportIssue,
  importTerritory,
  parseBuildingsCsv,
  parseGridsGeoJson,
  parsePartyMembersCsv,
} from '../src/import/territory-import.js'

const USAGE = `Usage: npm run db:import -- [--grids FILE.geojson] [--buildings FILE.csv] [--members FILE.csv] [--dry-run]

  --grids      GeoJSON FeatureCollection of Polygons; properties: code, name, community (region code),
               supervisionHotline (optional). Upserted by code.
  --buildings  CSV with header: grid_code,name[,address,floors,households,compound]. Upserted by grid + name;
               compounds are created in the grid's community when new.
  --members    CSV with header: name,id_number,grid_code[,gender,phone,joined_on,building,party_org,workplace,skills]
               (skills separated by ";"; party_org names an organisation of the member's community).
               Upserted by ID number.
  --dry-run    check and count, write nothing.

All files are checked before anything is written; any problem is listed with its file and line and
nothing changes. Uses DATABASE_URL when set (it must be migrated); otherwise the embedded database.`

await runScript(async () => {
  let values: { grids?: string; buildings?: string; members?: string; 'dry-run'?: boolean; help?: boolean }
  try {
    ;({ values } = parseArgs({
      options: {
        grids: { type: 'string' },
        buildings: { type: 'string' },
        members: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }))
  } catch (e) {
    throw new FatalError(`${(e as Error).message}\n\n${USAGE}`)
  }
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (!values.grids && !values.buildings && !values.members) throw new FatalError(`Nothing to import.\n\n${USAGE}`)

  const issues: ImportIssue[] = []
  const batch: ImportBatch = {}
  const read = async (file: string) =>
    readFile(file, 'utf8').catch((e: Error) => {
      throw new FatalError(`Cannot read ${file}: ${e.message}`)
    })
  if (values.grids) {
    const r = parseGridsGeoJson(values.grids, await read(values.grids))
    batch.grids = r.rows
    issues.push(...r.issues)
  }
  if (values.buildings) {
    const r = parseBuildingsCsv(values.buildings, await read(values.buildings))
    batch.buildings = r.rows
    issues.push(...r.issues)
  }
  if (values.members) {
    const r = parsePartyMembersCsv(values.members, await read(values.members))
    batch.members = r.rows
    issues.push(...r.issues)
  }
  if (issues.length) throw new FatalError(describe(issues))

  await withAdminDatabase(async (url) => {
    const prisma = createPrisma(url)
    try {
      const report = await importTerritory(prisma, batch, { dryRun: values['dry-run'] })
      if (report.issues.length) throw new FatalError(describe(report.issues))
      console.log(report.applied ? 'Imported (one transaction):' : 'Dry run, nothing written; it would change:')
      console.table({
        grids: report.grids,
        buildings: report.buildings,
        compounds: report.compounds,
        partyMembers: report.members,
      })
    } finally {
      await prisma.$disconnect()
    }
  })
})

function describe(issues: ImportIssue[]): string {
  const lines = issues.slice(0, 200).map((i) => `  ${i.file}:${i.line}  ${i.field}: ${i.message}`)
  const more = issues.length > 200 ? `\n  … and ${issues.length - 200} more` : ''
  return `Nothing imported: ${issues.length} problem(s).\n${lines.join('\n')}${more}`
}
