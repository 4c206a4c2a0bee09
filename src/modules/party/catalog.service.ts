// The service catalogue members and units pledge from (服务项目清单): admins keep it for the district.
// Items are never deleted; an inactive item is no longer offered, pledges already made keep it.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { mapPrismaError } from '../../db.js'
import { DualReportKind } from '../../generated/prisma/enums.js'
import { parseInput } from '../../shared/validate.js'
import { givenFields, updateVersioned } from '../../shared/versioned.js'

const fields = z.object({
  name: z.string().trim().min(1).max(100),
  category: z.string().trim().min(1).max(50),
  description: z.string().trim().max(1000).nullish(),
  forKind: z.enum(DualReportKind).nullish(),
  sortOrder: z.number().int().min(0).max(10_000),
  active: z.boolean(),
})

export async function createServiceItem(ctx: Context, input: Record<string, unknown>) {
  const data = parseInput(
    fields.extend({
      code: z
        .string()
        .trim()
        .regex(/^[A-Z0-9_-]{2,30}$/, 'use 2–30 capital letters, digits, dashes or underscores'),
      sortOrder: fields.shape.sortOrder.default(0),
      active: z.boolean().default(true),
    }),
    input,
  )
  return ctx.prisma.serviceItem
    .create({ data: { ...data, description: data.description ?? null, forKind: data.forKind ?? null } })
    .catch((e: unknown) => mapPrismaError(e, 'ServiceItem'))
}

export async function updateServiceItem(
  ctx: Context,
  input: Record<string, unknown> & { id: string; version: number },
) {
  const data = parseInput(fields.partial().extend({ id: z.string(), version: z.number().int().min(0) }), input)
  const { id, version, ...changes } = data
  return updateVersioned(ctx.prisma.serviceItem, 'ServiceItem', id, version, givenFields(changes))
}
