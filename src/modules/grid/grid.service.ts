// Territory rules: regions, grids, buildings, assignments and duties. Authorization on the
// concrete row happens here, before any read or write.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { mapPrismaError, type Tx } from '../../db.js'
import type { Grid, Prisma, RegionLevel } from '../../generated/prisma/client.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { polygonSchema, type GeoJSONPolygon } from '../../shared/scalars.js'
import { parseInput, phoneNumber } from '../../shared/validate.js'
import { givenFields, updateVersioned } from '../../shared/versioned.js'
import { assertValidPolygon, boundingBox, containsPoint, polygonsOverlap } from './geometry.js'

const CHILD_LEVEL: Record<RegionLevel, RegionLevel | null> = {
  CITY: 'DISTRICT',
  DISTRICT: 'STREET',
  STREET: 'COMMUNITY',
  COMMUNITY: null,
}

const name = z.string().trim().min(1, 'must not be empty').max(100)
/** Codes of regions and grids: stable keys for imports and links. */
export const territoryCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only (1–40)')
const version = z.number().int().min(0)
export const gridBoundary = polygonSchema.superRefine((p, ctx) => {
  try {
    assertValidPolygon(p)
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message })
  }
})

// ---------------------------------------------------------------- regions

export async function createRegion(ctx: Context, input: { parentId: string; name: string; code: string }) {
  const data = parseInput(z.object({ parentId: z.string(), name, code: territoryCode }), input)
  const parent = await ctx.prisma.region.findUnique({ where: { id: data.parentId } })
  if (!parent) throw new NotFoundError('Region', data.parentId)
  if (!(await ctx.access.canManageRegionPath(parent.path)))
    throw new ForbiddenError('You can only add regions inside your own region')
  const level = CHILD_LEVEL[parent.level]
  if (!level) throw new ValidationFailedError([{ path: 'parentId', message: 'a community has no child regions' }])
  const id = newId()
  return ctx.prisma.region
    .create({
      data: { id, name: data.name, code: data.code, level, parentId: parent.id, path: `${parent.path}${id}/` },
    })
    .catch((e) => mapPrismaError(e, 'Region'))
}

export async function updateRegion(
  ctx: Context,
  input: { id: string; version: number; name?: string | null; code?: string | null },
) {
  const data = parseInput(
    z.object({ id: z.string(), version, name: name.nullish(), code: territoryCode.nullish() }),
    input,
  )
  const region = await ctx.prisma.region.findUnique({ where: { id: data.id } })
  if (!region) throw new NotFoundError('Region', data.id)
  if (!(await ctx.access.canManageRegionPath(region.path)))
    throw new ForbiddenError('You can only change regions inside your own region')
  return updateVersioned(ctx.prisma.region, 'Region', region.id, data.version, {
    ...(data.name ? { name: data.name } : {}),
    ...(data.code ? { code: data.code } : {}),
  }).catch((e) => mapPrismaError(e, 'Region'))
}

// ---------------------------------------------------------------- grids

/** Loads a grid the viewer may see (else NotFound), with its community's path. */
async function visibleGrid(ctx: Context, gridId: string) {
  const grid = await ctx.reader.grid.findUnique({
    where: { id: gridId },
    include: { community: { select: { path: true } } },
  })
  if (!grid) throw new NotFoundError('Grid', gridId)
  return grid
}

/** Loads a grid and checks the viewer may manage it. */
async function manageableGrid(ctx: Context, gridId: string) {
  const grid = await visibleGrid(ctx, gridId)
  if (!(await ctx.access.canManageRegionPath(grid.community.path)))
    throw new ForbiddenError("Only officers of the grid's region can change it")
  return grid
}

export async function createGrid(
  ctx: Context,
  input: {
    communityId: string
    code: string
    name: string
    boundary: GeoJSONPolygon
    supervisionHotline?: string | null
  },
) {
  const data = parseInput(
    z.object({
      communityId: z.string(),
      code: territoryCode,
      name,
      boundary: gridBoundary,
      supervisionHotline: phoneNumber.nullish(),
    }),
    input,
  )
  const community = await ctx.prisma.region.findUnique({ where: { id: data.communityId } })
  if (!community) throw new NotFoundError('Region', data.communityId)
  if (community.level !== 'COMMUNITY')
    throw new ValidationFailedError([{ path: 'communityId', message: 'a grid belongs to a community' }])
  if (!(await ctx.access.canManageRegionPath(community.path)))
    throw new ForbiddenError('You can only add grids inside your own region')
  return ctx.prisma
    .$transaction(async (tx) => {
      await lockGridBoundaries(tx)
      await refuseOverlap(tx, data.boundary)
      return tx.grid.create({
        data: { ...data, boundary: data.boundary as Prisma.InputJsonValue, ...boundingBox(data.boundary) },
      })
    })
    .catch((e) => mapPrismaError(e, 'Grid'))
}

export async function updateGrid(
  ctx: Context,
  input: {
    id: string
    version: number
    code?: string | null
    name?: string | null
    boundary?: GeoJSONPolygon | null
    supervisionHotline?: string | null
  },
) {
  const data = parseInput(
    z.object({
      id: z.string(),
      version,
      code: territoryCode.nullish(),
      name: name.nullish(),
      boundary: gridBoundary.nullish(),
      supervisionHotline: phoneNumber.nullish(),
    }),
    input,
  )
  const grid = await manageableGrid(ctx, data.id)
  const changes = {
    ...(data.code ? { code: data.code } : {}),
    ...(data.name ? { name: data.name } : {}),
    ...(data.boundary ? { boundary: data.boundary as Prisma.InputJsonValue, ...boundingBox(data.boundary) } : {}),
    ...(data.supervisionHotline !== undefined ? { supervisionHotline: data.supervisionHotline } : {}),
  }
  const boundary = data.boundary
  const updated = await (boundary
    ? ctx.prisma.$transaction(async (tx) => {
        await lockGridBoundaries(tx)
        await refuseOverlap(tx, boundary, { ids: [grid.id] })
        return updateVersioned(tx.grid, 'Grid', grid.id, data.version, changes)
      })
    : updateVersioned(ctx.prisma.grid, 'Grid', grid.id, data.version, changes)
  ).catch((e) => mapPrismaError(e, 'Grid'))
  ctx.pubsub.publish('grid:updated', grid.id, { id: grid.id })
  return updated
}

// ---------------------------------------------------------------- boundaries: no overlap

/**
 * Serialises every write of a grid boundary (API and import): the overlap check reads the other
 * grids, so two overlapping grids written at once would each pass it. PostgreSQL without PostGIS
 * has no exclusion constraint for polygon area, and boundary writes are rare admin work.
 */
export async function lockGridBoundaries(tx: Tx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${'grid-boundaries'}))`
}

/**
 * The grids (by code) whose boundary overlaps `boundary` with a positive area, leaving out the grids
 * `except` names (the grid being changed; the grids an import replaces). Every grid counts: grids
 * have no archived state, and a grid nobody uses still owns its ground.
 */
export async function overlappingGrids(
  db: Pick<Tx, 'grid'>,
  boundary: GeoJSONPolygon,
  except: { ids?: string[]; codes?: string[] } = {},
) {
  const box = boundingBox(boundary)
  const candidates = await db.grid.findMany({
    where: {
      minLng: { lt: box.maxLng },
      maxLng: { gt: box.minLng },
      minLat: { lt: box.maxLat },
      maxLat: { gt: box.minLat },
      ...(except.ids?.length ? { id: { notIn: except.ids } } : {}),
      ...(except.codes?.length ? { code: { notIn: except.codes } } : {}),
    },
    select: { id: true, code: true, name: true, boundary: true },
    orderBy: { code: 'asc' },
  })
  return candidates.filter((g) => boundariesOverlap(boundary, g.boundary as unknown as GeoJSONPolygon))
}

/** polygonsOverlap, with a polygon turf cannot clip (e.g. a self-crossing ring) refused as input. */
export function boundariesOverlap(a: GeoJSONPolygon, b: GeoJSONPolygon): boolean {
  try {
    return polygonsOverlap(a, b)
  } catch (e) {
    throw new ValidationFailedError([
      { path: 'boundary', message: `cannot be compared with the neighbouring grids: ${(e as Error).message}` },
    ])
  }
}

/** A grid and the land it shares with another: the message an officer reads and an import prints. */
export const overlapMessage = (g: { code: string; name: string }) =>
  `overlaps grid ${g.code} (${g.name}); grids may share edges but not area`

async function refuseOverlap(tx: Tx, boundary: GeoJSONPolygon, except: { ids?: string[] } = {}) {
  const [other] = await overlappingGrids(tx, boundary, except)
  if (other) throw new ConflictError(`The boundary ${overlapMessage(other)}`)
}

// ---------------------------------------------------------------- grids at a point

interface GridHit<G> {
  grid: G
  interior: boolean
}

/**
 * Every grid containing the point, by code, each marked whether the point is strictly inside it
 * (else on its boundary): bounding-box prefilter in SQL, exact test with turf. `query` is
 * plugin-prisma's selection for the answer, read with the candidates in the same statement.
 */
async function gridsAt(
  ctx: Context,
  lng: number,
  lat: number,
  opts: { ignoreVisibility?: boolean; query?: { select?: object; include?: object } } = {},
): Promise<GridHit<Grid>[]> {
  if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90)) {
    throw new ValidationFailedError([{ path: 'lng/lat', message: 'outside WGS84 range' }])
  }
  const q: Pick<Prisma.GridFindManyArgs, 'select' | 'include'> = opts.query?.select
    ? { select: { ...opts.query.select, id: true, code: true, boundary: true } }
    : opts.query?.include
      ? { include: opts.query.include }
      : {}
  // the read policy narrows the candidates in the same statement (the reporting flow looks past it)
  const candidates = (await (opts.ignoreVisibility ? ctx.prisma : ctx.reader).grid.findMany({
    ...q,
    where: { minLng: { lte: lng }, maxLng: { gte: lng }, minLat: { lte: lat }, maxLat: { gte: lat } },
    orderBy: { code: 'asc' },
  })) as Grid[]
  return candidates.flatMap((g) => {
    const boundary = g.boundary as unknown as GeoJSONPolygon
    return containsPoint(boundary, lng, lat)
      ? [{ grid: g, interior: containsPoint(boundary, lng, lat, { interior: true }) }]
      : []
  })
}

/**
 * Which grid a point belongs to. Strictly inside one grid: that grid. Only on boundaries (a shared
 * edge or corner, where either neighbour is right): the first by code, so the answer never depends
 * on insertion order. Strictly inside two or more: their boundaries overlap — data from before
 * overlaps were refused. Picking one (the older, or the first by code) would file cases into the
 * wrong grid without anyone noticing, so the overlap is reported (`ambiguous`) until an officer
 * corrects the boundaries; a reporter can still choose with gridId.
 */
function owner<G>(hits: GridHit<G>[]): { grid: G | null; ambiguous?: G[] } {
  const inside = hits.filter((h) => h.interior)
  if (inside.length > 1) return { grid: null, ambiguous: inside.map((h) => h.grid) }
  return { grid: (inside[0] ?? hits[0])?.grid ?? null }
}

const codesOf = (grids: { code: string }[]) => grids.map((g) => g.code).join(', ')

/** The grid containing the point, or null; a Conflict where overlapping grids both claim it (see `owner`). */
export async function gridAt(
  ctx: Context,
  lng: number,
  lat: number,
  opts: { ignoreVisibility?: boolean; query?: { select?: object; include?: object } } = {},
) {
  const { grid, ambiguous } = owner(await gridsAt(ctx, lng, lat, opts))
  if (ambiguous)
    throw new ConflictError(
      `The point lies inside more than one grid (${codesOf(ambiguous)}): their boundaries overlap and must be corrected`,
    )
  return grid
}

/**
 * The grid a case at the point is filed into (DESIGN §3: "a grid, found from the point when not
 * given"). A given grid must agree with the point: when the point lies in other grids and not in
 * the given one, the case would be handled by the wrong grid's workers and community, so it is
 * refused. A point in no grid (a gap in the map, a boundary not drawn yet) leaves the given grid
 * standing. Every grid is considered, whatever the reporter may read: a resident reports anywhere.
 */
export async function gridForReport(ctx: Context, lng: number, lat: number, gridId?: string | null): Promise<Grid> {
  const hits = await gridsAt(ctx, lng, lat, { ignoreVisibility: true })
  if (!gridId) {
    const { grid, ambiguous } = owner(hits)
    if (ambiguous)
      throw new ValidationFailedError([
        { path: 'gridId', message: `the location lies inside more than one grid (${codesOf(ambiguous)}); give gridId` },
      ])
    if (!grid)
      throw new ValidationFailedError([{ path: 'lng/lat', message: 'the location is outside every grid; give gridId' }])
    return grid
  }
  const grid = await ctx.prisma.grid.findUnique({ where: { id: gridId } })
  if (!grid) throw new NotFoundError('Grid', gridId)
  if (hits.length && !hits.some((h) => h.grid.id === grid.id)) {
    throw new ValidationFailedError([
      {
        path: 'gridId',
        message: `the location (lng/lat) lies in grid ${codesOf(hits.map((h) => h.grid))}, not in ${grid.code}; correct the location or the grid, or leave gridId out`,
      },
    ])
  }
  return grid
}

// ---------------------------------------------------------------- buildings

const buildingFields = z.object({
  name,
  address: z.string().trim().max(200).nullish(),
  floors: z.number().int().min(1).max(200).nullish(),
  households: z.number().int().min(0).max(10_000).nullish(),
  compoundId: z.string().nullish(),
})

/** Grid workers record buildings of their own grids (信息采集); officers of the region too. */
async function canEditBuildings(ctx: Context, gridId: string) {
  const grid = await visibleGrid(ctx, gridId)
  const own = ctx.viewer?.roles.has('GRID_WORKER') && ctx.viewer.gridIds.includes(grid.id)
  if (!own && !(await ctx.access.canManageRegionPath(grid.community.path)))
    throw new ForbiddenError("Only the grid's workers and officers can change its buildings")
  return grid
}

async function checkCompound(ctx: Context, compoundId: string | null | undefined, communityId: string) {
  if (!compoundId) return
  const compound = await ctx.prisma.compound.findUnique({ where: { id: compoundId } })
  if (!compound || compound.communityId !== communityId) {
    throw new ValidationFailedError([{ path: 'compoundId', message: "the compound is not in the grid's community" }])
  }
}

export async function createBuilding(ctx: Context, input: z.input<typeof buildingFields> & { gridId: string }) {
  const data = parseInput(buildingFields.extend({ gridId: z.string() }), input)
  const grid = await canEditBuildings(ctx, data.gridId)
  await checkCompound(ctx, data.compoundId, grid.communityId)
  return ctx.prisma.building.create({ data: { ...data, gridId: grid.id } })
}

export async function updateBuilding(ctx: Context, input: { id: string; version: number; [field: string]: unknown }) {
  const data = parseInput(buildingFields.partial().extend({ id: z.string(), version }), input)
  const building = await ctx.reader.building.findUnique({ where: { id: data.id } })
  if (!building) throw new NotFoundError('Building', data.id)
  const grid = await canEditBuildings(ctx, building.gridId)
  await checkCompound(ctx, data.compoundId, grid.communityId)
  const { id, version: v, ...changes } = data
  return updateVersioned(ctx.prisma.building, 'Building', id, v, givenFields(changes))
}

// ---------------------------------------------------------------- assignments

export async function assignGridWorker(
  ctx: Context,
  input: {
    gridId: string
    userId: string
    role: 'LEADER' | 'FULL_TIME' | 'PART_TIME' | 'BUILDING_LEADER'
    buildingId?: string | null
    duties?: string | null
  },
) {
  const data = parseInput(
    z.object({
      gridId: z.string(),
      userId: z.string(),
      role: z.enum(['LEADER', 'FULL_TIME', 'PART_TIME', 'BUILDING_LEADER']),
      buildingId: z.string().nullish(),
      duties: z.string().trim().max(500).nullish(),
    }),
    input,
  )
  const grid = await manageableGrid(ctx, data.gridId)
  const user = await ctx.prisma.user.findUnique({ where: { id: data.userId } })
  if (!user) throw new NotFoundError('User', data.userId)
  if (data.role === 'BUILDING_LEADER' && !data.buildingId)
    throw new ValidationFailedError([{ path: 'buildingId', message: 'a building leader needs a building' }])
  if (data.buildingId) {
    const building = await ctx.prisma.building.findUnique({ where: { id: data.buildingId } })
    if (!building || building.gridId !== grid.id)
      throw new ValidationFailedError([{ path: 'buildingId', message: 'the building is not in this grid' }])
  }
  const assignment = await ctx.prisma.$transaction(async (tx) => {
    // One active assignment per user, grid and role; a LEADER is unique per grid.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`grid-assign:${grid.id}`}))`
    const existing = await tx.gridAssignment.findFirst({
      where: {
        gridId: grid.id,
        endedAt: null,
        OR: [{ userId: user.id, role: data.role }, ...(data.role === 'LEADER' ? [{ role: 'LEADER' as const }] : [])],
      },
    })
    if (existing) {
      throw new ValidationFailedError([
        {
          path: 'role',
          message:
            existing.userId === user.id
              ? 'the user already has this role in the grid'
              : 'the grid already has a leader; end that assignment first',
        },
      ])
    }
    return tx.gridAssignment.create({
      data: {
        gridId: grid.id,
        userId: user.id,
        role: data.role,
        buildingId: data.buildingId ?? null,
        duties: data.duties ?? null,
      },
    })
  })
  ctx.accounts.changed(user.id) // the worker's grids are part of their grants
  return assignment
}

export async function endGridAssignment(ctx: Context, input: { id: string; version: number }) {
  const data = parseInput(z.object({ id: z.string(), version }), input)
  const assignment = await ctx.prisma.gridAssignment.findUnique({ where: { id: data.id } })
  if (!assignment) throw new NotFoundError('GridAssignment', data.id)
  await manageableGrid(ctx, assignment.gridId)
  if (assignment.endedAt) throw new ValidationFailedError([{ path: 'id', message: 'the assignment has already ended' }])
  const ended = await updateVersioned(ctx.prisma.gridAssignment, 'GridAssignment', assignment.id, data.version, {
    endedAt: new Date(),
  })
  ctx.accounts.changed(assignment.userId)
  return ended
}

// ---------------------------------------------------------------- duties

const dutyFields = z.object({
  title: z.string().trim().min(1).max(100),
  content: z.string().trim().min(1).max(2000),
  sortOrder: z.number().int().min(0).max(10_000).nullish(),
})

export async function createGridDuty(
  ctx: Context,
  input: z.input<typeof dutyFields> & {
    gridId: string
    list: 'FUNCTION' | 'SERVICE' | 'DATA' | 'RESPONSIBILITY' | 'PROCESS'
  },
) {
  const data = parseInput(
    dutyFields.extend({
      gridId: z.string(),
      list: z.enum(['FUNCTION', 'SERVICE', 'DATA', 'RESPONSIBILITY', 'PROCESS']),
    }),
    input,
  )
  const grid = await manageableGrid(ctx, data.gridId)
  const duty = await ctx.prisma.gridDuty.create({ data: { ...data, sortOrder: data.sortOrder ?? 0, gridId: grid.id } })
  ctx.pubsub.publish('grid:updated', grid.id, { id: grid.id })
  return duty
}

export async function updateGridDuty(ctx: Context, input: { id: string; version: number; [field: string]: unknown }) {
  const data = parseInput(
    dutyFields.partial().extend({ id: z.string(), version, archived: z.boolean().nullish() }),
    input,
  )
  const duty = await ctx.prisma.gridDuty.findUnique({ where: { id: data.id } })
  if (!duty) throw new NotFoundError('GridDuty', data.id)
  await manageableGrid(ctx, duty.gridId)
  const { id, version: v, ...changes } = data
  const updated = await updateVersioned(
    ctx.prisma.gridDuty,
    'GridDuty',
    id,
    v,
    Object.fromEntries(Object.entries(changes).filter(([, x]) => x !== undefined && x !== null)),
  )
  ctx.pubsub.publish('grid:updated', duty.gridId, { id: duty.gridId })
  return updated
}

/** Subscription guard: the viewer must be able to read the grid it watches. */
export async function subscribeGridUpdates(ctx: Context, gridId: string) {
  const grid = await ctx.reader.grid.findUnique({ where: { id: gridId }, select: { id: true } })
  if (!grid) throw new NotFoundError('Grid', gridId)
  return ctx.pubsub.subscribe('grid:updated', grid.id)
}

// ---------------------------------------------------------------- compounds

const compoundFields = z.object({ name, address: z.string().trim().max(200).nullish() })

/** Admins, and officers of the compound's community. */
async function manageableCommunity(ctx: Context, communityId: string) {
  const community = await ctx.prisma.region.findUnique({ where: { id: communityId }, select: { level: true } })
  if (community?.level !== 'COMMUNITY')
    throw new ValidationFailedError([{ path: 'communityId', message: 'a compound lies in a community' }])
  if (!(await ctx.access.managesRegion(communityId)))
    throw new ForbiddenError('Only officers of the community (or an admin) manage its compounds')
}

export async function createCompound(
  ctx: Context,
  input: { communityId: string; name: string; address?: string | null },
) {
  const data = parseInput(compoundFields.extend({ communityId: z.string() }), input)
  await manageableCommunity(ctx, data.communityId)
  return ctx.prisma.compound.create({
    data: { communityId: data.communityId, name: data.name, address: data.address ?? null },
  })
}

export async function updateCompound(
  ctx: Context,
  input: { id: string; version: number; name?: string | null; address?: string | null },
) {
  const data = parseInput(compoundFields.partial().extend({ id: z.string(), version }), input)
  const compound = await ctx.prisma.compound.findUnique({ where: { id: data.id }, select: { communityId: true } })
  if (!compound) throw new NotFoundError('Compound', data.id)
  await manageableCommunity(ctx, compound.communityId)
  return updateVersioned(ctx.prisma.compound, 'Compound', data.id, data.version, {
    ...(data.name ? { name: data.name } : {}),
    ...(input.address !== undefined ? { address: data.address ?? null } : {}),
  })
}
