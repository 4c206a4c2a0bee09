// Bulk import of grids (GeoJSON), buildings and party members (CSV) for admins (DESIGN §8).
// All or nothing: every row of every file is checked first — formats, references to existing rows
// and to rows of the same import, grid boundaries overlapping other grids — and any problem is
// reported with its file and line while nothing is written. Then one transaction upserts by natural
// key (grid code; grid + building name; ID number), so running the same files again changes nothing
// and a corrected file updates in place.
import { parse as parseCsv } from 'csv-parse/sync'
import { z } from 'zod'
import type { PrismaClient, Tx } from '../db.js'
import type { Gender, Prisma } from '../generated/prisma/client.js'
import { boundingBox, boxesOverlap } from '../modules/grid/geometry.js'
import {
  boundariesOverlap,
  gridBoundary,
  lockGridBoundaries,
  overlapMessage,
  overlappingGrids,
  territoryCode,
} from '../modules/grid/grid.service.js'
import { parseIdNumber } from '../modules/party/id-number.js'
import { ValidationFailedError } from '../shared/errors.js'
import { phoneNumber } from '../shared/validate.js'

export interface ImportIssue {
  file: string
  line: number
  field: string
  message: string
}

export interface Located<T> {
  file: string
  line: number
  row: T
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max)
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => s || null)
    .nullish()
const optionalInt = (min: number, max: number) =>
  z
    .union([z.number(), z.string().trim()])
    .transform((v, ctx) => {
      if (v === '' || v === null) return null
      const n = Number(v)
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `a whole number from ${min} to ${max}` })
        return z.NEVER
      }
      return n
    })
    .nullish()

const gridRow = z.object({
  code: territoryCode,
  name: text(100),
  community: territoryCode,
  supervisionHotline: phoneNumber
    .or(z.literal(''))
    .transform((s) => s || null)
    .nullish(),
  boundary: gridBoundary,
})
export type GridRow = z.output<typeof gridRow>

const buildingRow = z.object({
  grid_code: territoryCode,
  name: text(100),
  address: optionalText(200),
  floors: optionalInt(1, 200),
  households: optionalInt(0, 10_000),
  compound: optionalText(100),
})
export type BuildingRow = z.output<typeof buildingRow>

const GENDERS: Record<string, Gender> = {
  MALE: 'MALE',
  FEMALE: 'FEMALE',
  M: 'MALE',
  F: 'FEMALE',
  男: 'MALE',
  女: 'FEMALE',
}

const memberRow = z.object({
  name: text(50),
  id_number: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const id = v.toUpperCase()
      if (!parseIdNumber(id)) {
        ctx.addIssue({ code: 'custom', message: 'not a valid resident ID number (18 characters, check digit)' })
        return z.NEVER
      }
      return id
    }),
  gender: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (!v) return null
      const g = GENDERS[v.toUpperCase()] ?? GENDERS[v]
      if (!g) {
        ctx.addIssue({ code: 'custom', message: 'MALE/FEMALE (or 男/女)' })
        return z.NEVER
      }
      return g
    })
    .nullish(),
  phone: phoneNumber
    .or(z.literal(''))
    .transform((s) => s || null)
    .nullish(),
  joined_on: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (!v) return null
      const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : null
      if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v || d.getTime() > Date.now()) {
        ctx.addIssue({ code: 'custom', message: 'a past date as YYYY-MM-DD' })
        return z.NEVER
      }
      return d
    })
    .nullish(),
  grid_code: territoryCode,
  building: optionalText(100),
  party_org: optionalText(100),
  workplace: optionalText(200),
  skills: z
    .string()
    .trim()
    .transform((v) =>
      v
        .split(/[;；、]/)
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .nullish(),
})
export type MemberRow = z.output<typeof memberRow>

function issuesOf(file: string, line: number, error: z.ZodError): ImportIssue[] {
  return error.issues.map((i) => ({ file, line, field: i.path.join('.') || '(row)', message: i.message }))
}

/** Grids from a GeoJSON FeatureCollection of Polygons; `line` is the feature's 1-based position. */
export function parseGridsGeoJson(file: string, source: string): { rows: Located<GridRow>[]; issues: ImportIssue[] } {
  let doc: unknown
  try {
    doc = JSON.parse(source)
  } catch (e) {
    return { rows: [], issues: [{ file, line: 0, field: '(file)', message: `not JSON: ${(e as Error).message}` }] }
  }
  const collection = z
    .object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).min(1, 'no features') })
    .safeParse(doc)
  if (!collection.success) return { rows: [], issues: issuesOf(file, 0, collection.error) }
  const rows: Located<GridRow>[] = []
  const issues: ImportIssue[] = []
  collection.data.features.forEach((feature, i) => {
    const f = (feature ?? {}) as { properties?: Record<string, unknown>; geometry?: unknown }
    const p = f.properties ?? {}
    const parsed = gridRow.safeParse({
      code: p.code,
      name: p.name,
      community: p.community,
      supervisionHotline: p.supervisionHotline ?? p.supervision_hotline,
      boundary: f.geometry,
    })
    if (parsed.success) rows.push({ file, line: i + 1, row: parsed.data })
    else issues.push(...issuesOf(file, i + 1, parsed.error))
  })
  return { rows, issues }
}

/** Rows of a CSV file with a header line; `line` is the line number in the file (header = 1). */
function parseCsvRows<S extends z.ZodType>(
  file: string,
  source: string,
  schema: S,
  required: string[],
): { rows: Located<z.output<S>>[]; issues: ImportIssue[] } {
  let records: { record: Record<string, string>; info: { lines: number } }[]
  try {
    records = parseCsv(source.replace(/^\uFEFF/, ''), {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
    })
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 0
    return { rows: [], issues: [{ file, line, field: '(file)', message: `not valid CSV: ${(e as Error).message}` }] }
  }
  const header = records[0] ? Object.keys(records[0].record) : []
  const missing = required.filter((c) => records.length > 0 && !header.includes(c))
  if (records.length === 0) return { rows: [], issues: [{ file, line: 1, field: '(file)', message: 'no data rows' }] }
  if (missing.length)
    return {
      rows: [],
      issues: [{ file, line: 1, field: '(header)', message: `missing column(s): ${missing.join(', ')}` }],
    }
  const rows: Located<z.output<S>>[] = []
  const issues: ImportIssue[] = []
  for (const { record, info } of records) {
    const parsed = schema.safeParse(record)
    if (parsed.success) rows.push({ file, line: info.lines, row: parsed.data })
    else issues.push(...issuesOf(file, info.lines, parsed.error))
  }
  return { rows, issues }
}

export const parseBuildingsCsv = (file: string, source: string) =>
  parseCsvRows(file, source, buildingRow, ['grid_code', 'name'])
export const parsePartyMembersCsv = (file: string, source: string) =>
  parseCsvRows(file, source, memberRow, ['name', 'id_number', 'grid_code'])

export interface ImportBatch {
  grids?: Located<GridRow>[]
  buildings?: Located<BuildingRow>[]
  members?: Located<MemberRow>[]
}

export interface ImportCounts {
  created: number
  updated: number
  unchanged: number
}
export interface ImportReport {
  issues: ImportIssue[]
  grids: ImportCounts
  buildings: ImportCounts
  compounds: ImportCounts
  members: ImportCounts
  applied: boolean
}

/** Rows whose key repeats within one import; every later occurrence is an issue. */
function duplicates<T>(rows: Located<T>[], key: (r: T) => string, what: string): ImportIssue[] {
  const first = new Map<string, Located<T>>()
  const issues: ImportIssue[] = []
  for (const r of rows) {
    const k = key(r.row)
    const seen = first.get(k)
    if (seen)
      issues.push({ file: r.file, line: r.line, field: what, message: `repeats line ${seen.line} of ${seen.file}` })
    else first.set(k, r)
  }
  return issues
}

const counts = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0 })

function tally(c: ImportCounts, before: Record<string, unknown> | null, after: Record<string, unknown>) {
  if (!before) c.created++
  else if (changed(before, after)) c.updated++
  else c.unchanged++
}

/**
 * Checks a batch against the database and, when nothing is wrong and `dryRun` is not set, applies it
 * in one transaction. With issues nothing is written.
 */
export async function importTerritory(
  prisma: PrismaClient,
  batch: ImportBatch,
  opts: { dryRun?: boolean } = {},
): Promise<ImportReport> {
  const grids = batch.grids ?? []
  const buildings = batch.buildings ?? []
  const members = batch.members ?? []
  const report: ImportReport = {
    issues: [],
    grids: counts(),
    buildings: counts(),
    compounds: counts(),
    members: counts(),
    applied: false,
  }
  const issues = report.issues
  issues.push(
    ...duplicates(grids, (r) => r.code, 'code'),
    ...duplicates(buildings, (r) => `${r.grid_code}\u0000${r.name}`, 'name'),
    ...duplicates(members, (r) => r.id_number, 'id_number'),
  )

  // references, resolved once per key
  const communityCodes = [...new Set(grids.map((g) => g.row.community))]
  const communities = new Map(
    (await prisma.region.findMany({ where: { code: { in: communityCodes } } })).map((r) => [r.code, r]),
  )
  const gridCodes = [
    ...new Set([
      ...grids.map((g) => g.row.code),
      ...buildings.map((b) => b.row.grid_code),
      ...members.map((m) => m.row.grid_code),
    ]),
  ]
  const existingGrids = new Map(
    (await prisma.grid.findMany({ where: { code: { in: gridCodes } } })).map((g) => [g.code, g]),
  )
  const importedGrids = new Map(grids.map((g) => [g.row.code, g.row]))

  for (const { file, line, row } of grids) {
    const community = communities.get(row.community)
    if (community?.level !== 'COMMUNITY')
      issues.push({ file, line, field: 'community', message: `no community with code ${row.community}` })
    const existing = existingGrids.get(row.code)
    if (existing && community && existing.communityId !== community.id) {
      issues.push({
        file,
        line,
        field: 'community',
        message: `grid ${row.code} exists in another community; moving grids between communities is not an import`,
      })
    }
  }
  /** The community id of a grid code, from the database or from this import. */
  const gridCommunity = (code: string): string | null => {
    const imported = importedGrids.get(code)
    if (imported) return communities.get(imported.community)?.id ?? null
    return existingGrids.get(code)?.communityId ?? null
  }
  for (const { file, line, row } of buildings) {
    if (!gridCommunity(row.grid_code))
      issues.push({
        file,
        line,
        field: 'grid_code',
        message: `no grid with code ${row.grid_code} (in the database or this import)`,
      })
  }

  const existingBuildings = await prisma.building.findMany({
    where: { grid: { code: { in: gridCodes } } },
    include: { grid: { select: { code: true } } },
  })
  const buildingKey = (gridCode: string, name: string) => `${gridCode}\u0000${name}`
  const knownBuildings = new Set([
    ...existingBuildings.map((b) => buildingKey(b.grid.code, b.name)),
    ...buildings.map((b) => buildingKey(b.row.grid_code, b.row.name)),
  ])

  const communityIds = [...new Set(members.map((m) => gridCommunity(m.row.grid_code)).filter((c): c is string => !!c))]
  const orgs = await prisma.partyOrg.findMany({
    where: { active: true, regionId: { in: communityIds } },
    select: { id: true, name: true, regionId: true },
  })
  const orgIds = new Map<string, string[]>()
  for (const o of orgs)
    orgIds.set(`${o.regionId}\u0000${o.name}`, [...(orgIds.get(`${o.regionId}\u0000${o.name}`) ?? []), o.id])
  const resolvedOrg = new Map<Located<MemberRow>, string | null>()
  for (const m of members) {
    const { file, line, row } = m
    const communityId = gridCommunity(row.grid_code)
    if (!communityId) {
      issues.push({
        file,
        line,
        field: 'grid_code',
        message: `no grid with code ${row.grid_code} (in the database or this import)`,
      })
      continue
    }
    if (row.building && !knownBuildings.has(buildingKey(row.grid_code, row.building))) {
      issues.push({ file, line, field: 'building', message: `no building "${row.building}" in grid ${row.grid_code}` })
    }
    const facts = parseIdNumber(row.id_number)!
    if (row.gender && row.gender !== facts.gender)
      issues.push({ file, line, field: 'gender', message: 'does not match the ID number' })
    if (row.party_org) {
      const ids = orgIds.get(`${communityId}\u0000${row.party_org}`) ?? []
      if (ids.length !== 1)
        issues.push({
          file,
          line,
          field: 'party_org',
          message: ids.length
            ? `"${row.party_org}" names ${ids.length} organisations in the community`
            : `no active party organisation "${row.party_org}" in the member's community`,
        })
      else resolvedOrg.set(m, ids[0]!)
    }
  }

  issues.push(...(await overlapIssues(prisma, grids)))

  issues.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
  if (issues.length) return report
  try {
    await apply(prisma, { grids, buildings, members, communities, resolvedOrg }, report, opts.dryRun ?? false)
  } catch (e) {
    if (e instanceof LateOverlaps) {
      issues.push(...e.issues)
      return report
    }
    if (e !== DRY_RUN) throw e
  }
  report.applied = !opts.dryRun
  return report
}

const DRY_RUN = Symbol('dry run')

/** Overlaps that a concurrent grid write created after the first check: the import is refused all the same. */
class LateOverlaps extends Error {
  constructor(readonly issues: ImportIssue[]) {
    super('grid boundaries changed during the import')
  }
}

/**
 * Grids of the batch whose boundary overlaps another grid's: one in the database (but those the
 * batch redraws, which are compared as the batch draws them) or an earlier row of the batch.
 */
async function overlapIssues(db: PrismaClient | Tx, grids: Located<GridRow>[]): Promise<ImportIssue[]> {
  const codes = [...new Set(grids.map((g) => g.row.code))]
  const boxes = grids.map((g) => boundingBox(g.row.boundary))
  const issues: ImportIssue[] = []
  for (const [i, { file, line, row }] of grids.entries()) {
    try {
      const [stored] = await overlappingGrids(db, row.boundary, { codes })
      if (stored) issues.push({ file, line, field: 'boundary', message: overlapMessage(stored) })
      const earlier = grids
        .slice(0, i)
        .find(
          (g, j) =>
            g.row.code !== row.code &&
            boxesOverlap(boxes[j]!, boxes[i]!) &&
            boundariesOverlap(g.row.boundary, row.boundary),
        )
      if (earlier)
        issues.push({
          file,
          line,
          field: 'boundary',
          message: `${overlapMessage(earlier.row)} (line ${earlier.line} of ${earlier.file})`,
        })
    } catch (e) {
      if (!(e instanceof ValidationFailedError)) throw e
      issues.push(...e.issues.map((x) => ({ file, line, field: x.path, message: x.message })))
    }
  }
  return issues
}

interface Resolved {
  grids: Located<GridRow>[]
  buildings: Located<BuildingRow>[]
  members: Located<MemberRow>[]
  communities: Map<string, { id: string }>
  resolvedOrg: Map<Located<MemberRow>, string | null>
}

/** Writes a checked batch in one transaction; a dry run counts the same way and rolls back. */
async function apply(prisma: PrismaClient, r: Resolved, report: ImportReport, dryRun: boolean) {
  await prisma.$transaction(
    async (tx) => {
      if (r.grids.length) {
        await lockGridBoundaries(tx)
        const late = await overlapIssues(tx, r.grids)
        if (late.length) throw new LateOverlaps(late)
      }
      const gridIds = new Map<string, { id: string; communityId: string }>()
      for (const { row } of r.grids) {
        const communityId = r.communities.get(row.community)!.id
        const data = {
          name: row.name,
          communityId,
          supervisionHotline: row.supervisionHotline ?? null,
          boundary: row.boundary as Prisma.InputJsonValue,
          ...boundingBox(row.boundary),
        }
        const before = await tx.grid.findUnique({ where: { code: row.code } })
        tally(report.grids, before, data)
        const grid = before
          ? await tx.grid.update({
              where: { id: before.id },
              data: changed(before, data) ? { ...data, version: { increment: 1 } } : {},
            })
          : await tx.grid.create({ data: { code: row.code, ...data } })
        gridIds.set(row.code, grid)
      }
      const gridOf = async (code: string) => gridIds.get(code) ?? (await tx.grid.findUniqueOrThrow({ where: { code } }))

      for (const { row } of r.buildings) {
        const grid = await gridOf(row.grid_code)
        const compoundId = row.compound ? await compound(tx, grid.communityId, row.compound, report.compounds) : null
        const data = {
          address: row.address ?? null,
          floors: row.floors ?? null,
          households: row.households ?? null,
          compoundId,
        }
        const before = await tx.building.findFirst({
          where: { gridId: grid.id, name: row.name },
          orderBy: { createdAt: 'asc' },
        })
        tally(report.buildings, before, data)
        if (before) {
          if (changed(before, data))
            await tx.building.update({ where: { id: before.id }, data: { ...data, version: { increment: 1 } } })
        } else await tx.building.create({ data: { gridId: grid.id, name: row.name, ...data } })
      }

      for (const m of r.members) {
        const { row } = m
        const grid = await gridOf(row.grid_code)
        const building = row.building
          ? await tx.building.findFirst({
              where: { gridId: grid.id, name: row.building },
              orderBy: { createdAt: 'asc' },
            })
          : null
        const facts = parseIdNumber(row.id_number)!
        const data = {
          name: row.name,
          gender: facts.gender,
          birthYear: facts.birthYear,
          joinedOn: row.joined_on ?? null,
          phone: row.phone ?? null,
          homeGridId: grid.id,
          homeBuildingId: building?.id ?? null,
          homeCommunityId: grid.communityId,
          workplace: row.workplace ?? null,
          skills: row.skills ?? [],
          ...(r.resolvedOrg.has(m) ? { orgId: r.resolvedOrg.get(m)! } : {}),
        }
        const before = await tx.partyMember.findUnique({ where: { idNumber: row.id_number } })
        tally(report.members, before, data)
        if (before) {
          if (changed(before, data))
            await tx.partyMember.update({ where: { id: before.id }, data: { ...data, version: { increment: 1 } } })
        } else await tx.partyMember.create({ data: { idNumber: row.id_number, ...data } })
      }
      if (dryRun) throw DRY_RUN
    },
    { timeout: 120_000 },
  )
}

function changed(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return Object.entries(after).some(([k, v]) => JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null))
}

async function compound(tx: Tx, communityId: string, name: string, c: ImportCounts): Promise<string> {
  const existing = await tx.compound.findFirst({ where: { communityId, name }, orderBy: { createdAt: 'asc' } })
  if (existing) return existing.id
  c.created++
  return (await tx.compound.create({ data: { communityId, name } })).id
}
