// Demo data: one city → district → street(s) → 3 communities → 4 grids each, with compounds,
// buildings, grid workers, departments, resident units, duty lists and one account per role.
// Deterministic (seeded PRNG): the same scale yields the same names, codes and usernames.
//
// Usernames (street 1; streets 2..N insert `.<n>` / codes get the street number, e.g. CG2-DM-01):
//   admin · street.officer · community.officer.1..3 · grid.worker.CG-DM-01.leader|fulltime|parttime|building
//   dept.CGZF (one per department) · party.member.1..4 · unit.contact.1..7 · resident.1..4
import { seedCaseCatalog } from './catalog.js'
import { seededRandom } from './random.js'
import { seedDemoCases } from './cases.js'
import { seedParty } from './party.js'
import { seedVolunteer } from './volunteer.js'
import { seedAgreements } from './agreements.js'
import type { Prisma, PrismaClient } from '../generated/prisma/client.js'
import type { DutyList, GridRole, Role, UnitKind } from '../generated/prisma/enums.js'
import { boundingBox } from '../modules/grid/geometry.js'
import { newId } from '../shared/ids.js'
import type { GeoJSONPolygon } from '../shared/scalars.js'
import { hasDemoData } from './presence.js'
import {
  ASSIGNMENT_DUTIES,
  COMMUNITIES,
  DISTRICT_DEPARTMENTS,
  GRID_DUTIES,
  STREET_DEPARTMENTS,
  UNITS,
} from './names.js'

// ---------------------------------------------------------------- pure geometry

export interface Rect {
  minLng: number
  minLat: number
  maxLng: number
  maxLat: number
}

/** The rectangle as a closed, counter-clockwise GeoJSON Polygon (SW → SE → NE → NW → SW). */
export function rectPolygon(r: Rect): GeoJSONPolygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [r.minLng, r.minLat],
        [r.maxLng, r.minLat],
        [r.maxLng, r.maxLat],
        [r.minLng, r.maxLat],
        [r.minLng, r.minLat],
      ],
    ],
  }
}

/** Splits `rect` into rows × cols cells that tile it exactly: neighbouring cells share identical edge
 *  coordinates and the outer edges are the rectangle's own. Row-major from the south-west corner. */
export function communityGrids(rect: Rect, rows: number, cols: number): GeoJSONPolygon[] {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1)
    throw new RangeError('rows and cols must be positive integers')
  if (!(rect.maxLng > rect.minLng && rect.maxLat > rect.minLat)) throw new RangeError('empty rectangle')
  const edge = (min: number, max: number, i: number, n: number) =>
    i === 0 ? min : i === n ? max : round6(min + ((max - min) * i) / n)
  const lngs = Array.from({ length: cols + 1 }, (_, i) => edge(rect.minLng, rect.maxLng, i, cols))
  const lats = Array.from({ length: rows + 1 }, (_, i) => edge(rect.minLat, rect.maxLat, i, rows))
  const cells: GeoJSONPolygon[] = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      cells.push(rectPolygon({ minLng: lngs[c]!, maxLng: lngs[c + 1]!, minLat: lats[r]!, maxLat: lats[r + 1]! }))
    }
  }
  return cells
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6

/** Layout in micro-degrees (integers, so shared edges are bit-identical): streets of 3 communities
 *  side by side, STREETS_PER_ROW streets west → east, further rows to the north. */
const ORIGIN_LNG = 118_780_000
const ORIGIN_LAT = 32_040_000
const COMMUNITY_SPAN = 20_000 // 0.02° ≈ 1.9 km × 2.2 km
export const STREETS_PER_ROW = 10
export const GRID_ROWS = 2
export const GRID_COLS = 2

/** The rectangle of community `communityIndex` (0..2) of street `streetIndex` (0-based). */
export function communityRect(streetIndex: number, communityIndex: number): Rect {
  const col = (streetIndex % STREETS_PER_ROW) * COMMUNITIES.length + communityIndex
  const row = Math.floor(streetIndex / STREETS_PER_ROW)
  const minLng = ORIGIN_LNG + col * COMMUNITY_SPAN
  const minLat = ORIGIN_LAT + row * COMMUNITY_SPAN
  return {
    minLng: minLng / 1e6,
    minLat: minLat / 1e6,
    maxLng: (minLng + COMMUNITY_SPAN) / 1e6,
    maxLat: (minLat + COMMUNITY_SPAN) / 1e6,
  }
}

// ---------------------------------------------------------------- deterministic helpers

/** The shared seeded PRNG plus the landline numbers of the public cards. */
function prng(seed: number) {
  const r = seededRandom(seed)
  const digits = (n: number) => Array.from({ length: n }, () => r.int(0, 9)).join('')
  return { ...r, landline: () => `025-${r.pick(['5', '8'])}${digits(7)}` }
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** A unified social credit code (18 chars) with a valid GB 32100-2015 check character. */
export function creditCode(prefix: string, area: string, body: string): string {
  const first17 = `${prefix}${area}${body}`
  if (first17.length !== 17 || [...first17].some((c) => !CREDIT_CHARS.includes(c)))
    throw new RangeError(`bad credit code body ${first17}`)
  const sum = [...first17].reduce((s, c, i) => s + CREDIT_CHARS.indexOf(c) * CREDIT_WEIGHTS[i]!, 0)
  return first17 + CREDIT_CHARS[(31 - (sum % 31)) % 31]
}

// ---------------------------------------------------------------- data plan

export interface DemoSummary {
  streets: number
  regions: number
  compounds: number
  grids: number
  buildings: number
  users: number
  gridAssignments: number
  gridDuties: number
  departments: number
  residentUnits: number
}

interface Batch {
  regions: Prisma.RegionCreateManyInput[]
  compounds: Prisma.CompoundCreateManyInput[]
  grids: Prisma.GridCreateManyInput[]
  buildings: Prisma.BuildingCreateManyInput[]
  departments: Prisma.DepartmentCreateManyInput[]
  units: Prisma.ResidentUnitCreateManyInput[]
  users: Prisma.UserCreateManyInput[]
  assignments: Prisma.GridAssignmentCreateManyInput[]
  duties: Prisma.GridDutyCreateManyInput[]
}

const emptyBatch = (): Batch => ({
  regions: [],
  compounds: [],
  grids: [],
  buildings: [],
  departments: [],
  units: [],
  users: [],
  assignments: [],
  duties: [],
})

const CITY = { name: '临江市', code: 'LJ' }
const DISTRICT = { name: '江城区', code: 'LJ-JC', short: 'JC' }
const STREET = { short: '城关', abbr: 'CG' }
const AREA_CODE = '320102' // administrative division code used in credit codes
const HOTLINE = '025-12345'
const DUTY_LISTS: DutyList[] = ['FUNCTION', 'SERVICE', 'DATA', 'RESPONSIBILITY', 'PROCESS']
const UNIT_KINDS = Object.keys(UNITS) as UnitKind[]
const PARTY_MEMBERS_PER_STREET = 4
const RESIDENTS_PER_STREET = 4
const BUILDINGS_PER_GRID = 3

interface Top {
  cityId: string
  cityPath: string
  districtId: string
  districtPath: string
}

function planTop(): { top: Top; batch: Batch } {
  const rnd = prng(0x5eed)
  const batch = emptyBatch()
  const cityId = newId()
  const districtId = newId()
  const top = { cityId, cityPath: `/${cityId}/`, districtId, districtPath: `/${cityId}/${districtId}/` }
  batch.regions.push(
    { id: cityId, code: CITY.code, name: CITY.name, level: 'CITY', parentId: null, path: top.cityPath },
    {
      id: districtId,
      code: DISTRICT.code,
      name: DISTRICT.name,
      level: 'DISTRICT',
      parentId: cityId,
      path: top.districtPath,
    },
  )
  batch.users.push({
    id: newId(),
    username: 'admin',
    displayName: '系统管理员',
    phone: rnd.mobile(),
    roles: ['ADMIN'],
    regionIds: [],
  })
  for (const d of DISTRICT_DEPARTMENTS) {
    const id = newId()
    const code = `${DISTRICT.short}${d.abbr}`
    batch.departments.push({ id, code, name: d.name, regionId: districtId, phone: rnd.landline() })
    batch.users.push({
      id: newId(),
      username: `dept.${code}`,
      displayName: rnd.personName(),
      phone: rnd.mobile(),
      roles: ['DEPARTMENT_STAFF'],
      regionIds: [districtId],
      departmentId: id,
    })
  }
  return { top, batch }
}

/** Everything of street `s` (0-based). Street 1 keeps the plain names; later streets carry their number. */
function planStreet(top: Top, s: number, into: Batch): void {
  const rnd = prng(0x5eed + 1 + s)
  const sfx = s === 0 ? '' : String(s + 1)
  const tag = s === 0 ? '' : `.${s + 1}`
  const short = `${STREET.short}${sfx}`
  const streetName = `${short}街道`
  const streetCode = `${DISTRICT.code}-${STREET.abbr}${sfx}`
  const streetId = newId()
  const streetPath = `${top.districtPath}${streetId}/`
  into.regions.push({
    id: streetId,
    code: streetCode,
    name: streetName,
    level: 'STREET',
    parentId: top.districtId,
    path: streetPath,
  })
  const user = (username: string, roles: Role[], extra: Partial<Prisma.UserCreateManyInput> = {}) => {
    const u: Prisma.UserCreateManyInput = {
      id: newId(),
      username,
      displayName: rnd.personName(),
      phone: rnd.mobile(),
      roles,
      regionIds: [],
      ...extra,
    }
    into.users.push(u)
    return u
  }
  user(`street.officer${tag}`, ['STREET_OFFICER'], { regionIds: [streetId] })

  const communities = COMMUNITIES.map((c, ci) => {
    const id = newId()
    into.regions.push({
      id,
      code: `${streetCode}-0${ci + 1}`,
      name: c.name,
      level: 'COMMUNITY',
      parentId: streetId,
      path: `${streetPath}${id}/`,
    })
    user(`community.officer${tag}.${ci + 1}`, ['COMMUNITY_OFFICER'], { regionIds: [id] })
    const compounds = c.compounds.map((name, ki) => {
      const cp = {
        id: newId(),
        name,
        address: `${CITY.name}${DISTRICT.name}${c.road}${(ci + 1) * 100 + ki * 20 + 8}号`,
        communityId: id,
      }
      into.compounds.push(cp)
      return cp
    })
    const cells = communityGrids(communityRect(s, ci), GRID_ROWS, GRID_COLS)
    cells.forEach((boundary, gi) => {
      const gridId = newId()
      const code = `${STREET.abbr}${sfx}-${c.abbr}-0${gi + 1}`
      const gridName = `${c.short}第${gi + 1}网格`
      into.grids.push({
        id: gridId,
        code,
        name: gridName,
        communityId: id,
        boundary,
        ...boundingBox(boundary),
        supervisionHotline: HOTLINE,
      })
      // The south half of the community is the first compound, the north half the second.
      const compound = compounds[Math.floor(gi / GRID_COLS) % compounds.length]!
      const buildingIds: string[] = []
      for (let b = 0; b < BUILDINGS_PER_GRID; b++) {
        const bid = newId()
        const no = (gi % GRID_COLS) * BUILDINGS_PER_GRID + b + 1
        const floors = rnd.int(0, 3) === 0 ? rnd.int(18, 33) : rnd.int(5, 11)
        const units = floors > 11 ? 2 : rnd.int(2, 4)
        buildingIds.push(bid)
        into.buildings.push({
          id: bid,
          name: `${no}号楼`,
          address: `${compound.name}${no}号楼`,
          floors,
          households: floors * units * 2,
          gridId,
          compoundId: compound.id,
        })
      }
      const roles: [GridRole, string][] = [
        ['LEADER', 'leader'],
        ['FULL_TIME', 'fulltime'],
        ['PART_TIME', 'parttime'],
        ['BUILDING_LEADER', 'building'],
      ]
      for (const [role, suffix] of roles) {
        const u = user(`grid.worker.${code}.${suffix}`, ['GRID_WORKER'])
        into.assignments.push({
          id: newId(),
          gridId,
          userId: u.id!,
          role,
          buildingId: role === 'BUILDING_LEADER' ? buildingIds[0]! : null,
          duties: ASSIGNMENT_DUTIES[role],
        })
      }
      for (const list of DUTY_LISTS) {
        GRID_DUTIES[list].forEach((d, sortOrder) => {
          into.duties.push({
            id: newId(),
            gridId,
            list,
            title: d.title,
            content: d.content.replaceAll('{g}', gridName),
            sortOrder,
          })
        })
      }
    })
    return { id, ...c, compounds }
  })

  for (const d of STREET_DEPARTMENTS) {
    const id = newId()
    const code = `${STREET.abbr}${sfx}${d.abbr}`
    into.departments.push({
      id,
      code,
      name: d.name.replaceAll('{s}', short),
      regionId: streetId,
      phone: rnd.landline(),
    })
    user(`dept.${code}`, ['DEPARTMENT_STAFF'], { regionIds: [streetId], departmentId: id })
  }

  UNIT_KINDS.forEach((kind, k) => {
    const spec = UNITS[kind]
    spec.names.forEach((template, j) => {
      const community = communities[(k * 2 + j) % communities.length]!
      const compound = community.compounds[j % community.compounds.length]!
      const id = newId()
      const name = template.replaceAll('{s}', short).replaceAll('{c}', community.short).replaceAll('{k}', compound.name)
      const body = String(100_000_000 + s * 100 + k * 2 + j)
      const unit: Prisma.ResidentUnitCreateManyInput = {
        id,
        name,
        kind,
        creditCode: creditCode(spec.prefix, AREA_CODE, body),
        address:
          kind === 'PROPERTY_MANAGEMENT' || kind === 'OWNERS_COMMITTEE'
            ? compound.address
            : `${CITY.name}${DISTRICT.name}${community.road}${rnd.int(1, 199)}号`,
        communityId: community.id,
        contactName: rnd.personName(),
        contactPhone: rnd.mobile(),
      }
      into.units.push(unit)
      if (j === 0) {
        // One contact account for the first unit of each kind; the unit's contact is that person.
        const u = user(`unit.contact${tag}.${k + 1}`, ['UNIT_CONTACT'], { unitId: id })
        unit.contactName = u.displayName
        unit.contactPhone = u.phone ?? null
      }
    })
  })

  for (let i = 1; i <= PARTY_MEMBERS_PER_STREET; i++) user(`party.member${tag}.${i}`, ['PARTY_MEMBER'])
  for (let i = 1; i <= RESIDENTS_PER_STREET; i++) user(`resident${tag}.${i}`, ['RESIDENT'])
}

// ---------------------------------------------------------------- loading

export { hasDemoData, hasDemoWorkflows } from './presence.js'

/**
 * Loads the demo data into an empty database: `scale` streets (default 1) under one district, each
 * with 3 communities and 12 grids. One transaction per street (the first also holds the city, the
 * district and its departments); `onProgress(done, total)` is called as streets commit.
 * Throws if any region already exists — callers check hasDemoData first.
 */
export async function seedDemo(
  prisma: PrismaClient,
  opts: { scale?: number; onProgress?: (done: number, total: number) => void; workflows?: boolean } = {},
): Promise<DemoSummary> {
  const scale = opts.scale ?? 1
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got ${scale}`)
  if (await hasDemoData(prisma))
    throw new Error('The database already holds regions; demo data is only loaded into an empty database')

  const summary: DemoSummary = {
    streets: 0,
    regions: 0,
    compounds: 0,
    grids: 0,
    buildings: 0,
    users: 0,
    gridAssignments: 0,
    gridDuties: 0,
    departments: 0,
    residentUnits: 0,
  }
  const { top, batch: first } = planTop()
  for (let s = 0; s < scale; s++) {
    const batch = s === 0 ? first : emptyBatch()
    planStreet(top, s, batch)
    const ops = [
      prisma.region.createMany({ data: batch.regions }),
      prisma.compound.createMany({ data: batch.compounds }),
      prisma.grid.createMany({ data: batch.grids }),
      prisma.building.createMany({ data: batch.buildings }),
      prisma.department.createMany({ data: batch.departments }),
      prisma.residentUnit.createMany({ data: batch.units }),
      prisma.user.createMany({ data: batch.users }),
      prisma.gridAssignment.createMany({ data: batch.assignments }),
      prisma.gridDuty.createMany({ data: batch.duties }),
    ]
    try {
      await prisma.$transaction(ops)
    } catch (e) {
      if (s === 0) throw e
      throw new Error(`demo data: street ${s + 1} of ${scale} failed after ${s} committed: ${(e as Error).message}`, {
        cause: e,
      })
    }
    summary.streets++
    summary.regions += batch.regions.length
    summary.compounds += batch.compounds.length
    summary.grids += batch.grids.length
    summary.buildings += batch.buildings.length
    summary.users += batch.users.length
    summary.gridAssignments += batch.assignments.length
    summary.gridDuties += batch.duties.length
    summary.departments += batch.departments.length
    summary.residentUnits += batch.units.length
    opts.onProgress?.(s + 1, scale)
  }
  await seedCaseCatalog(prisma)
  if (opts.workflows ?? true) await seedDemoWorkflows(prisma)
  return summary
}

/**
 * The demo's moving parts, all driven through the services as the seeded users: cases in every
 * state with orders and timelines; then party organisations and members with dual reports, service
 * records and feedback (their case help names the cases); then volunteer teams, activities, the
 * time bank and micro-wishes (they credit service to the party members); then joint construction
 * (it signs with the party organisations). Volunteering and joint construction share no rows, but
 * running them side by side gained nothing measurable: the phase is bound by this process's CPU
 * (Prisma), not by round trips. The embedded server runs this after it starts listening (it takes
 * some seconds); `hasDemoWorkflows` tells whether it ran. Each phase skips the streets (cases, party,
 * joint construction) or communities (volunteering) it has seeded, so a start stopped part-way goes on
 * where it stopped the next time; a street or community it stopped inside stays as it was left.
 */
export async function seedDemoWorkflows(prisma: PrismaClient): Promise<void> {
  await seedDemoCases(prisma)
  await seedParty(prisma)
  await seedVolunteer(prisma)
  await seedAgreements(prisma)
}
