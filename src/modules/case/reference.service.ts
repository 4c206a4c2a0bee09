// Reference data of the case loop: categories with their SLAs (admins: they hold for the whole
// district) and routing rules (admins, and street officers for rules of their street). Changing an
// SLA changes the deadlines of orders dispatched after it; orders already out keep theirs.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { mapPrismaError } from '../../db.js'
import { isAdmin } from '../../auth/viewer.js'
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { nullAsAbsent, parseInput } from '../../shared/validate.js'
import { givenFields, updateVersioned } from '../../shared/versioned.js'

const version = z.number().int().min(0)
const id = z.string().uuid()
const hours = z
  .number()
  .positive()
  .max(24 * 365)

const categoryFields = z.object({
  name: z.string().trim().min(1).max(50),
  description: z.string().trim().max(500).nullish(),
  signSlaHours: hours,
  completeSlaHours: hours,
  caseSlaHours: hours,
  active: z.boolean(),
})

function checkSlas(c: { signSlaHours?: number; completeSlaHours?: number; caseSlaHours?: number }) {
  if (c.signSlaHours !== undefined && c.completeSlaHours !== undefined && c.signSlaHours > c.completeSlaHours) {
    throw new ValidationFailedError([{ path: 'signSlaHours', message: 'signing cannot take longer than completing' }])
  }
  if (c.completeSlaHours !== undefined && c.caseSlaHours !== undefined && c.completeSlaHours > c.caseSlaHours) {
    throw new ValidationFailedError([
      { path: 'completeSlaHours', message: 'an order cannot take longer than its case' },
    ])
  }
}

export async function createCaseCategory(ctx: Context, input: Record<string, unknown>) {
  const data = parseInput(
    categoryFields.extend({
      code: z
        .string()
        .trim()
        .regex(/^[A-Z0-9_]{2,30}$/, 'use 2–30 capital letters, digits or underscores'),
      active: z.boolean().default(true),
    }),
    input,
  )
  checkSlas(data)
  const created = await ctx.prisma.caseCategory
    .create({ data: { ...data, description: data.description ?? null } })
    .catch((e: unknown) => mapPrismaError(e, 'CaseCategory'))
  ctx.categories.changed()
  return created
}

export async function updateCaseCategory(
  ctx: Context,
  input: Record<string, unknown> & { id: string; version: number },
) {
  const data = parseInput(categoryFields.partial().extend({ id, version }), input)
  const current = await ctx.prisma.caseCategory.findUnique({ where: { id: data.id } })
  if (!current) throw new NotFoundError('CaseCategory', data.id)
  const { id: categoryId, version: v, ...changes } = data
  checkSlas({ ...current, ...givenFields(changes) } as never)
  const updated = await updateVersioned(ctx.prisma.caseCategory, 'CaseCategory', categoryId, v, givenFields(changes))
  ctx.categories.changed()
  return updated
}

// ---------------------------------------------------------------- routing rules

const ruleFields = z.object({
  leadDepartmentId: id,
  assistDepartmentIds: z
    .array(id)
    .max(10)
    .transform((d) => [...new Set(d)]),
  completeSlaHours: hours.nullish(),
  active: z.boolean(),
})

/** Admins; street officers for rules whose region lies in their street. */
async function checkRuleRegion(ctx: Context, regionId: string) {
  if (!isAdmin(ctx.viewer) && !(await ctx.access.officerOf(regionId, 'STREET_OFFICER')))
    throw new ForbiddenError('A street officer sets the routing rules of their own street only')
}

async function checkDepartments(ctx: Context, lead: string | undefined, assist: string[] | undefined) {
  const ids = [...(lead ? [lead] : []), ...(assist ?? [])]
  if (lead && assist?.includes(lead))
    throw new ValidationFailedError([
      { path: 'assistDepartmentIds', message: 'the lead department cannot also assist' },
    ])
  const found = await ctx.prisma.department.count({ where: { id: { in: ids } } })
  if (found !== new Set(ids).size)
    throw new ValidationFailedError([{ path: 'leadDepartmentId', message: 'a department does not exist' }])
}

export async function createRoutingRule(ctx: Context, input: Record<string, unknown>) {
  const data = parseInput(
    ruleFields.extend({
      categoryId: id,
      regionId: id,
      assistDepartmentIds: nullAsAbsent(ruleFields.shape.assistDepartmentIds.default([])),
      active: z.boolean().default(true),
    }),
    input,
  )
  const [category, region] = await Promise.all([
    ctx.prisma.caseCategory.findUnique({ where: { id: data.categoryId }, select: { id: true } }),
    ctx.prisma.region.findUnique({ where: { id: data.regionId }, select: { id: true } }),
  ])
  if (!category) throw new ValidationFailedError([{ path: 'categoryId', message: 'the category does not exist' }])
  if (!region) throw new ValidationFailedError([{ path: 'regionId', message: 'the region does not exist' }])
  await checkRuleRegion(ctx, data.regionId)
  await checkDepartments(ctx, data.leadDepartmentId, data.assistDepartmentIds)
  return ctx.prisma.routingRule
    .create({ data: { ...data, completeSlaHours: data.completeSlaHours ?? null } })
    .catch((e: unknown) => mapPrismaError(e, 'RoutingRule'))
}

export async function updateRoutingRule(
  ctx: Context,
  input: Record<string, unknown> & { id: string; version: number },
) {
  const data = parseInput(
    ruleFields.partial().extend({
      id,
      version,
      // departments given as null are left as they are
      leadDepartmentId: nullAsAbsent(ruleFields.shape.leadDepartmentId.optional()),
      assistDepartmentIds: nullAsAbsent(ruleFields.shape.assistDepartmentIds.optional()),
    }),
    input,
  )
  const rule = await ctx.prisma.routingRule.findUnique({ where: { id: data.id } })
  if (!rule) throw new NotFoundError('RoutingRule', data.id)
  await checkRuleRegion(ctx, rule.regionId)
  await checkDepartments(
    ctx,
    data.leadDepartmentId ?? rule.leadDepartmentId,
    data.assistDepartmentIds ?? rule.assistDepartmentIds,
  )
  const { id: ruleId, version: v, ...changes } = data
  return updateVersioned(ctx.prisma.routingRule, 'RoutingRule', ruleId, v, givenFields(changes))
}
