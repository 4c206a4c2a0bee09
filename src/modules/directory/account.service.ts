// Administration of accounts, departments and resident units (DESIGN §5): admins everywhere; a
// street officer within their street, granting any role but ADMIN and STREET_OFFICER and only
// scopes inside their subtree. Every change names the version it read, and every change to what
// an account may do is reported to the account directory, so it takes effect at once (sockets too).
import { z } from 'zod'
import type { Context } from '../../context.js'
import { mapPrismaError } from '../../db.js'
import { Role, UnitKind } from '../../generated/prisma/enums.js'
import { hasRole, isAdmin, type RoleName } from '../../auth/viewer.js'
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { nullAsAbsent, parseInput, phoneNumber } from '../../shared/validate.js'
import { givenFields, updateVersioned } from '../../shared/versioned.js'

const version = z.number().int().min(0)
const id = z.string().uuid()
const name = z.string().trim().min(1).max(50)
const username = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'use 3–40 lower-case letters, digits, dots, dashes or underscores')

/** Roles a street officer may grant; ADMIN and STREET_OFFICER are the admins' to give. */
const OFFICER_GRANTABLE: readonly RoleName[] = [
  'COMMUNITY_OFFICER',
  'GRID_WORKER',
  'DEPARTMENT_STAFF',
  'PARTY_MEMBER',
  'UNIT_CONTACT',
  'RESIDENT',
]

const grantFields = z.object({
  roles: z
    .array(z.enum(Role))
    .min(1)
    .max(8)
    .transform((r) => [...new Set(r)]),
  // absent or null: no region
  regionIds: nullAsAbsent(
    z
      .array(id)
      .max(20)
      .default([])
      .transform((r) => [...new Set(r)]),
  ),
  departmentId: id.nullish(),
  unitId: id.nullish(),
})
type GrantInput = z.output<typeof grantFields>

/** Refuses grants the viewer may not give, or that do not fit together. */
async function checkGrants(ctx: Context, g: GrantInput): Promise<void> {
  const issues: { path: string; message: string }[] = []
  if (g.roles.includes('DEPARTMENT_STAFF') !== !!g.departmentId)
    issues.push({ path: 'departmentId', message: 'department staff, and only they, need a department' })
  if (g.roles.includes('UNIT_CONTACT') !== !!g.unitId)
    issues.push({ path: 'unitId', message: 'unit contacts, and only they, need a unit' })
  if (g.roles.some((r) => r === 'STREET_OFFICER' || r === 'COMMUNITY_OFFICER') && !g.regionIds.length)
    issues.push({ path: 'regionIds', message: 'officers need the region(s) they serve' })
  const [regions, department, unit] = await Promise.all([
    ctx.prisma.region.findMany({ where: { id: { in: g.regionIds } }, select: { id: true } }),
    g.departmentId
      ? ctx.prisma.department.findUnique({ where: { id: g.departmentId }, select: { regionId: true } })
      : null,
    g.unitId ? ctx.prisma.residentUnit.findUnique({ where: { id: g.unitId }, select: { communityId: true } }) : null,
  ])
  if (regions.length !== g.regionIds.length) issues.push({ path: 'regionIds', message: 'a region does not exist' })
  if (g.departmentId && !department) issues.push({ path: 'departmentId', message: 'the department does not exist' })
  if (g.unitId && !unit) issues.push({ path: 'unitId', message: 'the unit does not exist' })
  if (issues.length) throw new ValidationFailedError(issues)
  if (isAdmin(ctx.viewer)) return
  const outside = g.roles.filter((r) => !OFFICER_GRANTABLE.includes(r))
  if (outside.length) throw new ForbiddenError(`Only an admin can grant ${outside.join(', ')}`)
  const scopes = [...g.regionIds, department?.regionId, unit?.communityId].filter((x): x is string => !!x)
  for (const regionId of scopes) {
    if (!(await ctx.access.officerOf(regionId, 'STREET_OFFICER')))
      throw new ForbiddenError('A street officer grants scopes within their own street only')
  }
}

/** The account, if the viewer administers it: admins any; a street officer those serving within their street. */
async function managedAccount(ctx: Context, userId: string) {
  const user = await ctx.prisma.user.findUnique({
    where: { id: userId },
    include: {
      department: { select: { regionId: true } },
      unit: { select: { communityId: true } },
      assignments: { where: { endedAt: null }, select: { grid: { select: { communityId: true } } } },
    },
  })
  if (!user) throw new NotFoundError('User', userId)
  if (isAdmin(ctx.viewer)) return user
  if (!hasRole(ctx.viewer, 'STREET_OFFICER'))
    throw new ForbiddenError('Only admins and street officers administer accounts')
  const scopes = [
    ...user.regionIds,
    user.department?.regionId,
    user.unit?.communityId,
    ...user.assignments.map((a) => a.grid.communityId),
  ].filter((x): x is string => !!x)
  const inStreet =
    scopes.length > 0 &&
    (await Promise.all(scopes.map((r) => ctx.access.officerOf(r, 'STREET_OFFICER')))).every(Boolean)
  if (!inStreet || user.roles.some((r) => !OFFICER_GRANTABLE.includes(r))) throw new NotFoundError('User', userId)
  return user
}

export async function createUser(ctx: Context, input: Record<string, unknown>) {
  const data = parseInput(grantFields.extend({ username, displayName: name, phone: phoneNumber.nullish() }), input)
  await checkGrants(ctx, data)
  return ctx.prisma.user
    .create({
      data: {
        username: data.username,
        displayName: data.displayName,
        phone: data.phone ?? null,
        roles: data.roles,
        regionIds: data.regionIds,
        departmentId: data.departmentId ?? null,
        unitId: data.unitId ?? null,
      },
    })
    .catch((e: unknown) => mapPrismaError(e, 'User'))
}

export async function updateUser(
  ctx: Context,
  input: { id: string; version: number; displayName?: string | null; phone?: string | null },
) {
  const data = parseInput(z.object({ id, version, displayName: name.nullish(), phone: phoneNumber.nullish() }), input)
  await managedAccount(ctx, data.id)
  return updateVersioned(ctx.prisma.user, 'User', data.id, data.version, {
    ...(data.displayName ? { displayName: data.displayName } : {}),
    ...(input.phone !== undefined ? { phone: data.phone ?? null } : {}),
  })
}

/** Replaces an account's roles and scopes (not additive: what is given is what it has after). */
export async function setUserGrants(ctx: Context, input: Record<string, unknown>) {
  const data = parseInput(grantFields.extend({ id, version }), input)
  await managedAccount(ctx, data.id)
  await checkGrants(ctx, data)
  if (data.id === ctx.viewer?.userId && isAdmin(ctx.viewer) && !data.roles.includes('ADMIN')) {
    throw new ValidationFailedError([
      { path: 'roles', message: 'you cannot take the ADMIN role from yourself; ask another admin' },
    ])
  }
  const user = await updateVersioned(ctx.prisma.user, 'User', data.id, data.version, {
    roles: data.roles,
    regionIds: data.regionIds,
    departmentId: data.departmentId ?? null,
    unitId: data.unitId ?? null,
  })
  ctx.accounts.changed(data.id)
  return user
}

/** Deactivates (active: false) or reactivates an account; a deactivated account is refused at once, sockets too. */
export async function setUserActive(ctx: Context, input: { id: string; version: number }, active: boolean) {
  const data = parseInput(z.object({ id, version }), input)
  const user = await managedAccount(ctx, data.id)
  if (!active && data.id === ctx.viewer?.userId)
    throw new ValidationFailedError([{ path: 'id', message: 'you cannot deactivate your own account' }])
  if (user.active === active)
    throw new ValidationFailedError([
      { path: 'id', message: `the account is already ${active ? 'active' : 'deactivated'}` },
    ])
  const updated = await updateVersioned(ctx.prisma.user, 'User', data.id, data.version, { active })
  ctx.accounts.changed(data.id)
  return updated
}

// ---------------------------------------------------------------- departments

const departmentFields = z.object({ name: z.string().trim().min(1).max(100), phone: phoneNumber.nullish() })

/** Admins anywhere; a street officer for departments of their street. */
async function checkDepartmentRegion(ctx: Context, regionId: string) {
  const region = await ctx.prisma.region.findUnique({ where: { id: regionId }, select: { level: true } })
  if (!region) throw new ValidationFailedError([{ path: 'regionId', message: 'the region does not exist' }])
  if (region.level !== 'DISTRICT' && region.level !== 'STREET')
    throw new ValidationFailedError([{ path: 'regionId', message: 'a department belongs to a district or a street' }])
  if (!isAdmin(ctx.viewer) && !(await ctx.access.officerOf(regionId, 'STREET_OFFICER')))
    throw new ForbiddenError('A street officer manages the departments of their own street only')
}

export async function createDepartment(ctx: Context, input: Record<string, unknown>) {
  const data = parseInput(
    departmentFields.extend({
      code: z
        .string()
        .trim()
        .regex(/^[A-Z0-9_-]{2,30}$/, 'use 2–30 capital letters, digits, dashes or underscores'),
      regionId: id,
    }),
    input,
  )
  await checkDepartmentRegion(ctx, data.regionId)
  return ctx.prisma.department
    .create({ data: { code: data.code, name: data.name, regionId: data.regionId, phone: data.phone ?? null } })
    .catch((e: unknown) => mapPrismaError(e, 'Department'))
}

export async function updateDepartment(ctx: Context, input: Record<string, unknown> & { id: string; version: number }) {
  const data = parseInput(departmentFields.partial().extend({ id, version }), input)
  const department = await ctx.prisma.department.findUnique({ where: { id: data.id }, select: { regionId: true } })
  if (!department) throw new NotFoundError('Department', data.id)
  await checkDepartmentRegion(ctx, department.regionId)
  return updateVersioned(ctx.prisma.department, 'Department', data.id, data.version, {
    ...(data.name ? { name: data.name } : {}),
    ...(input.phone !== undefined ? { phone: data.phone ?? null } : {}),
  })
}

// ---------------------------------------------------------------- resident units

const unitFields = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(UnitKind),
  creditCode: z
    .string()
    .trim()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'a unified social credit code has 18 characters')
    .nullish(),
  address: z.string().trim().max(200).nullish(),
  contactName: z.string().trim().max(50).nullish(),
  contactPhone: phoneNumber.nullish(),
})

/** Admins, and officers of the unit's community. */
async function checkUnitCommunity(ctx: Context, communityId: string) {
  const community = await ctx.prisma.region.findUnique({ where: { id: communityId }, select: { level: true } })
  if (community?.level !== 'COMMUNITY')
    throw new ValidationFailedError([{ path: 'communityId', message: 'a unit sits in a community' }])
  if (!(await ctx.access.managesRegion(communityId)))
    throw new ForbiddenError('Only officers of the community (or an admin) register its units')
}

export async function createResidentUnit(ctx: Context, input: Record<string, unknown>) {
  const data = parseInput(unitFields.extend({ communityId: id }), input)
  await checkUnitCommunity(ctx, data.communityId)
  return ctx.prisma.residentUnit
    .create({
      data: {
        ...data,
        creditCode: data.creditCode ?? null,
        address: data.address ?? null,
        contactName: data.contactName ?? null,
        contactPhone: data.contactPhone ?? null,
      },
    })
    .catch((e: unknown) => mapPrismaError(e, 'ResidentUnit'))
}

export async function updateResidentUnit(
  ctx: Context,
  input: Record<string, unknown> & { id: string; version: number },
) {
  const data = parseInput(unitFields.partial().extend({ id, version }), input)
  const unit = await ctx.prisma.residentUnit.findUnique({ where: { id: data.id }, select: { communityId: true } })
  if (!unit) throw new NotFoundError('ResidentUnit', data.id)
  await checkUnitCommunity(ctx, unit.communityId)
  const { id: unitId, version: v, ...changes } = data
  return updateVersioned(ctx.prisma.residentUnit, 'ResidentUnit', unitId, v, givenFields(changes)).catch((e: unknown) =>
    mapPrismaError(e, 'ResidentUnit'),
  )
}
