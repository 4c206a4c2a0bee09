// Party organisations (党组织) and party members (党员): the four-level chain bound to the
// territory, units' own organisations, and member profiles. Authorization on the concrete row
// happens here, before any read or write.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { mapPrismaError, type Tx } from '../../db.js'
import type { PartyMember, PartyOrg, PartyOrgLevel, Prisma } from '../../generated/prisma/client.js'
import { hasRole, isAdmin } from '../../auth/viewer.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { parseInput, phoneNumber } from '../../shared/validate.js'
import { updateVersioned } from '../../shared/versioned.js'
import { parseIdNumber } from './id-number.js'
import { canManageMember } from './party.access.js'

const name = z.string().trim().min(1, 'must not be empty').max(100)
const version = z.number().int().min(0)
const LEVELS = ['STREET_WORKING_COMMITTEE', 'COMMUNITY_COMMITTEE', 'GRID_BRANCH', 'BUILDING_GROUP', 'UNIT_ORG'] as const

// ---------------------------------------------------------------- organisations

/** The level above each level of the chain; unit organisations may hang anywhere, or nowhere. */
const PARENT_LEVEL: Record<PartyOrgLevel, PartyOrgLevel | null> = {
  STREET_WORKING_COMMITTEE: null,
  COMMUNITY_COMMITTEE: 'STREET_WORKING_COMMITTEE',
  GRID_BRANCH: 'COMMUNITY_COMMITTEE',
  BUILDING_GROUP: 'GRID_BRANCH',
  UNIT_ORG: null,
}

const orgSchema = z.object({
  level: z.enum(LEVELS),
  name,
  parentId: z.string().nullish(),
  regionId: z.string().nullish(),
  gridId: z.string().nullish(),
  buildingId: z.string().nullish(),
  unitId: z.string().nullish(),
  secretaryName: z.string().trim().max(50).nullish(),
  contactPhone: phoneNumber.nullish(),
})

type Columns = { regionId: string; gridId: string | null; buildingId: string | null; unitId: string | null }

/** What an organisation of a level is bound to: its columns, and where its parent of the chain is (`parent`). */
interface Binding {
  columns: Columns
  parent: Prisma.PartyOrgWhereInput | null
}

/** The column naming the territory one active organisation of a level may hold. */
const TERRITORY: Record<PartyOrgLevel, keyof Columns> = {
  STREET_WORKING_COMMITTEE: 'regionId',
  COMMUNITY_COMMITTEE: 'regionId',
  GRID_BRANCH: 'gridId',
  BUILDING_GROUP: 'buildingId',
  UNIT_ORG: 'unitId',
}

/**
 * One active organisation per level and territory (street, community, grid, building, unit): checked
 * under the territory's lock for the rest of the transaction; `except` is the organisation itself.
 */
async function assertSoleActive(tx: Tx, level: PartyOrgLevel, columns: Columns, except?: string) {
  const same = { [TERRITORY[level]]: columns[TERRITORY[level]] }
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`party-org:${level}:${JSON.stringify(same)}`}))`
  const existing = await tx.partyOrg.findFirst({
    where: { ...same, level, active: true, ...(except ? { id: { not: except } } : {}) },
  })
  if (existing) throw new ConflictError(`${existing.name} already serves there; dissolve it first`)
}

async function binding(ctx: Context, data: z.output<typeof orgSchema>): Promise<Binding> {
  const need = (field: 'regionId' | 'gridId' | 'buildingId' | 'unitId') => {
    const v = data[field]
    if (!v) throw new ValidationFailedError([{ path: field, message: `a ${data.level} organisation needs ${field}` }])
    return v
  }
  const none = { gridId: null, buildingId: null, unitId: null }
  switch (data.level) {
    case 'STREET_WORKING_COMMITTEE':
    case 'COMMUNITY_COMMITTEE': {
      const level = data.level === 'STREET_WORKING_COMMITTEE' ? 'STREET' : 'COMMUNITY'
      const region = await ctx.prisma.region.findUnique({ where: { id: need('regionId') } })
      if (!region || region.level !== level)
        throw new ValidationFailedError([{ path: 'regionId', message: `expected a ${level} region` }])
      return {
        columns: { regionId: region.id, ...none },
        parent: level === 'COMMUNITY' ? { regionId: region.parentId ?? '' } : null,
      }
    }
    case 'GRID_BRANCH': {
      const gridId = need('gridId')
      const grid = await ctx.reader.grid.findUnique({ where: { id: gridId } })
      if (!grid) throw new NotFoundError('Grid', gridId)
      return {
        columns: { regionId: grid.communityId, ...none, gridId: grid.id },
        parent: { regionId: grid.communityId },
      }
    }
    case 'BUILDING_GROUP': {
      const buildingId = need('buildingId')
      const building = await ctx.reader.building.findUnique({
        where: { id: buildingId },
        include: { grid: { select: { communityId: true } } },
      })
      if (!building) throw new NotFoundError('Building', buildingId)
      return {
        columns: { regionId: building.grid.communityId, ...none, gridId: building.gridId, buildingId: building.id },
        parent: { gridId: building.gridId },
      }
    }
    case 'UNIT_ORG': {
      const unit = await ctx.prisma.residentUnit.findUnique({ where: { id: need('unitId') } })
      if (!unit) throw new ValidationFailedError([{ path: 'unitId', message: 'unknown resident unit' }])
      return {
        columns: { regionId: unit.communityId, ...none, unitId: unit.id },
        parent: null,
      }
    }
  }
}

const OUTSIDE_REGION = 'You can only organise party organisations inside your own region'

/** Street officers build the whole chain of their street; community officers what lies inside a community. */
async function assertMayOrganise(ctx: Context, level: PartyOrgLevel, regionId: string) {
  if (isAdmin(ctx.viewer)) return
  const region = await ctx.prisma.region.findUniqueOrThrow({ where: { id: regionId }, select: { path: true } })
  const streetWork = level === 'STREET_WORKING_COMMITTEE' || level === 'COMMUNITY_COMMITTEE'
  if (streetWork && !hasRole(ctx.viewer, 'STREET_OFFICER'))
    throw new ForbiddenError('Street officers set up street and community party committees')
  if (!(await ctx.access.canManageRegionPath(region.path))) throw new ForbiddenError(OUTSIDE_REGION)
}

export async function createPartyOrg(ctx: Context, input: z.input<typeof orgSchema>): Promise<PartyOrg> {
  const data = parseInput(orgSchema, input)
  const bound = await binding(ctx, data)
  await assertMayOrganise(ctx, data.level, bound.columns.regionId)
  // The chain's parent is the organisation one level up on the same territory: named, or found.
  const parentLevel = PARENT_LEVEL[data.level]
  if (data.level === 'STREET_WORKING_COMMITTEE' && data.parentId)
    throw new ValidationFailedError([
      { path: 'parentId', message: 'a street working committee is the top of the chain' },
    ])
  const parentWhere: Prisma.PartyOrgWhereInput | null = parentLevel ? { ...bound.parent, level: parentLevel } : null
  const parent =
    data.parentId || parentWhere
      ? await ctx.prisma.partyOrg.findFirst({
          where: { active: true, ...(data.parentId ? { id: data.parentId } : {}), ...parentWhere },
          orderBy: { createdAt: 'asc' },
        })
      : null
  if ((data.parentId || parentLevel) && !parent) {
    throw new ValidationFailedError([
      {
        path: 'parentId',
        message: parentLevel
          ? `the parent must be the active ${parentLevel} of the same territory; create it first`
          : 'unknown or dissolved organisation',
      },
    ])
  }
  const id = newId()
  return ctx.prisma.$transaction(async (tx) => {
    await assertSoleActive(tx, data.level, bound.columns)
    return tx.partyOrg.create({
      data: {
        id,
        name: data.name,
        level: data.level,
        parentId: parent?.id ?? null,
        path: `${parent?.path ?? '/'}${id}/`,
        ...bound.columns,
        secretaryName: data.secretaryName ?? null,
        contactPhone: data.contactPhone ?? null,
      },
    })
  })
}

export async function updatePartyOrg(
  ctx: Context,
  input: {
    id: string
    version: number
    name?: string | null
    secretaryName?: string | null
    contactPhone?: string | null
    active?: boolean | null
  },
) {
  const data = parseInput(
    z.object({
      id: z.string(),
      version,
      name: name.nullish(),
      secretaryName: z.string().trim().max(50).nullish(),
      contactPhone: phoneNumber.nullish(),
      active: z.boolean().nullish(),
    }),
    input,
  )
  const org = await ctx.prisma.partyOrg.findUnique({ where: { id: data.id } })
  if (!org) throw new NotFoundError('PartyOrg', data.id)
  await assertMayOrganise(ctx, org.level, org.regionId)
  return ctx.prisma.$transaction(async (tx) => {
    // reactivating takes the territory as creating does
    if (data.active === true) await assertSoleActive(tx, org.level, org, org.id)
    return updateVersioned(tx.partyOrg, 'PartyOrg', org.id, data.version, {
      ...(data.name ? { name: data.name } : {}),
      ...(data.secretaryName !== undefined ? { secretaryName: data.secretaryName } : {}),
      ...(data.contactPhone !== undefined ? { contactPhone: data.contactPhone } : {}),
      ...(typeof data.active === 'boolean' ? { active: data.active } : {}),
    })
  })
}

// ---------------------------------------------------------------- members

const memberFields = z.object({
  name,
  gender: z.enum(['MALE', 'FEMALE']).nullish(),
  birthYear: z.number().int().min(1900).max(2100).nullish(),
  joinedOn: z.date().nullish(),
  phone: phoneNumber.nullish(),
  idNumber: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => parseIdNumber(v) !== null, 'not a valid resident ID number')
    .nullish(),
  orgId: z.string().nullish(),
  workUnitId: z.string().nullish(),
  workplace: z.string().trim().max(100).nullish(),
  homeBuildingId: z.string().nullish(),
  homeGridId: z.string().nullish(),
  skills: z.array(z.string().trim().min(1).max(20)).max(20).nullish(),
  userId: z.string().nullish(),
})

interface Home {
  homeBuildingId: string | null
  homeGridId: string | null
  homeCommunityId: string | null
}

/**
 * Home building → its grid → the grid's community. Pass the viewer's reader, so that a building or
 * grid they may not read is answered as one that does not exist; the trusted client only where the
 * step names another community's territory by design (a transfer when the member moves house).
 */
export async function resolveHome(
  db: Tx | Context['prisma'],
  buildingId?: string | null,
  gridId?: string | null,
): Promise<Home | null> {
  if (buildingId) {
    const b = await db.building.findUnique({
      where: { id: buildingId },
      include: { grid: { select: { communityId: true } } },
    })
    if (!b) throw new NotFoundError('Building', buildingId)
    return { homeBuildingId: b.id, homeGridId: b.gridId, homeCommunityId: b.grid.communityId }
  }
  if (gridId) {
    const g = await db.grid.findUnique({ where: { id: gridId } })
    if (!g) throw new NotFoundError('Grid', gridId)
    return { homeBuildingId: null, homeGridId: g.id, homeCommunityId: g.communityId }
  }
  return null
}

async function checkReferences(
  ctx: Context,
  data: { orgId?: string | null; workUnitId?: string | null; userId?: string | null },
) {
  if (data.orgId && !(await ctx.prisma.partyOrg.findFirst({ where: { id: data.orgId, active: true } }))) {
    throw new ValidationFailedError([{ path: 'orgId', message: 'unknown or dissolved party organisation' }])
  }
  if (data.workUnitId && !(await ctx.prisma.residentUnit.findUnique({ where: { id: data.workUnitId } }))) {
    throw new ValidationFailedError([{ path: 'workUnitId', message: 'unknown resident unit' }])
  }
  if (data.userId) {
    const user = await ctx.prisma.user.findUnique({ where: { id: data.userId }, select: { roles: true } })
    if (!user?.roles.includes('PARTY_MEMBER'))
      throw new ValidationFailedError([{ path: 'userId', message: 'not a party member account' }])
  }
}

/** Registers a member (党员信息登记): community officers of the home community, or admins. */
export async function createPartyMember(ctx: Context, input: z.input<typeof memberFields>): Promise<PartyMember> {
  const data = parseInput(memberFields, input)
  const facts = data.idNumber ? parseIdNumber(data.idNumber) : null
  const gender = data.gender ?? facts?.gender
  if (!gender) throw new ValidationFailedError([{ path: 'gender', message: 'give the gender or an ID number' }])
  const home = await resolveHome(ctx.reader, data.homeBuildingId, data.homeGridId)
  if (!home && !isAdmin(ctx.viewer))
    throw new ValidationFailedError([{ path: 'homeBuildingId', message: 'give the home building or grid' }])
  if (!isAdmin(ctx.viewer) && !(await ctx.access.officerOf(home!.homeCommunityId, 'COMMUNITY_OFFICER'))) {
    throw new ForbiddenError('Community officers register the members living in their community')
  }
  await checkReferences(ctx, data)
  return ctx.prisma.partyMember
    .create({
      data: {
        name: data.name,
        gender,
        birthYear: data.birthYear ?? facts?.birthYear ?? null,
        joinedOn: data.joinedOn ?? null,
        phone: data.phone ?? null,
        idNumber: data.idNumber ?? null,
        orgId: data.orgId ?? null,
        workUnitId: data.workUnitId ?? null,
        workplace: data.workplace ?? null,
        skills: data.skills ?? [],
        userId: data.userId ?? null,
        homeBuildingId: home?.homeBuildingId ?? null,
        homeGridId: home?.homeGridId ?? null,
        homeCommunityId: home?.homeCommunityId ?? null,
      },
    })
    .catch((e) => mapPrismaError(e, 'PartyMember'))
}

/** Columns that cannot be cleared: null leaves them as they are. */
const REQUIRED = new Set(['name', 'gender', 'skills', 'active'])

/** Fields a member may change on their own profile; the rest is kept by community officers. */
const SELF_SERVICE = new Set(['phone', 'skills'])

export async function updatePartyMember(
  ctx: Context,
  input: { id: string; version: number; [field: string]: unknown },
) {
  const data = parseInput(
    memberFields.partial().extend({ id: z.string(), version, name: name.nullish(), active: z.boolean().nullish() }),
    input,
  )
  const member = await ctx.reader.partyMember.findUnique({ where: { id: data.id } })
  if (!member) throw new NotFoundError('PartyMember', data.id)
  const { id, version: v, homeBuildingId, homeGridId, ...rest } = data
  const changes = Object.fromEntries(
    Object.entries(rest).filter(([k, x]) => x !== undefined && !(x === null && REQUIRED.has(k))),
  )
  const self = !!member.userId && member.userId === ctx.viewer?.userId
  const onlySelfService =
    homeBuildingId === undefined && homeGridId === undefined && Object.keys(changes).every((k) => SELF_SERVICE.has(k))
  if (!(await canManageMember(ctx, member)) && !(self && onlySelfService)) {
    throw new ForbiddenError(
      self
        ? 'You can change your phone and skills; ask your community for the rest'
        : "Only community officers of the member's community change the profile",
    )
  }
  await checkReferences(ctx, { orgId: data.orgId, workUnitId: data.workUnitId, userId: data.userId })
  const home = await resolveHome(ctx.reader, homeBuildingId, homeGridId)
  if (home && !isAdmin(ctx.viewer) && !(await ctx.access.officerOf(home.homeCommunityId, 'COMMUNITY_OFFICER'))) {
    throw new ForbiddenError('The new home is outside your region; the member transfers their report instead')
  }
  if (changes.idNumber) {
    const facts = parseIdNumber(changes.idNumber as string)!
    changes.birthYear ??= facts.birthYear
    changes.gender ??= facts.gender
  }
  await updateVersioned(ctx.prisma.partyMember, 'PartyMember', id, v, {
    ...changes,
    ...(home ?? {}),
  } as Prisma.PartyMemberUncheckedUpdateManyInput).catch((e) => mapPrismaError(e, 'PartyMember'))
  // read through the policy again: the change may take the member out of the viewer's sight
  const updated = await ctx.reader.partyMember.findUnique({ where: { id } })
  if (!updated) throw new NotFoundError('PartyMember', id)
  return updated
}
