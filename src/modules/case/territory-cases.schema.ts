// The cases of a grid and of a region (网格案件 / 区划案件), added to the territory's types from the
// case module's side. Both take the filters and the ordering of the root `cases` list and count
// under the same read policy. Nested in a list of grids or regions they cost one statement per
// level, not one per row: a grid's cases are its relation, folded into the grids' statement; the
// cases of a level of regions are read together (see perRegionTree).
import DataLoader from 'dataloader'
import { builder } from '../../builder.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { ValidationFailedError } from '../../shared/errors.js'
import { COUNTED } from '../../shared/connections.js'
import { caseListArgs, caseOrder, caseWhere, type CaseListArgs } from './case.schema.js'

builder.prismaObjectField('Grid', 'cases', (t) =>
  t.relatedConnection(
    'cases',
    {
      cursor: 'id',
      totalCount: true,
      args: caseListArgs,
      description:
        'Cases in this grid that you may see, newest first by default, with the filters of `cases` (本网格案件).',
      query: ({ filter, orderBy }, ctx) => ({ where: caseWhere(filter, ctx), orderBy: caseOrder(orderBy) }),
    },
    COUNTED,
  ),
)

type Row = Record<string, unknown> & { id: string }

/** Levels below a region down to its communities: a city has three, a community none. */
const LEVELS_BELOW = 3

/**
 * Something about the cases of a level of regions, in one statement. Cases belong to communities; a
 * region's cases are those of the communities in its subtree. The statement reads every region of
 * the batch with `leaf` (a selection of its cases) at its own level and at each level below it; `fold`
 * turns one region's tree into the answer. Batches are per request and `key`.
 */
function perRegionTree<T>(ctx: Context, key: string, leaf: object, fold: (tree: Row) => T, none: T) {
  return ctx.access.memo(
    `region-tree:${key}`,
    async () =>
      new DataLoader<string, T>(
        async (regionIds) => {
          let select: Record<string, unknown> = { id: true, ...leaf }
          for (let i = 0; i < LEVELS_BELOW; i++) select = { id: true, ...leaf, children: { select } }
          const regions = (await ctx.reader.region.findMany({
            where: { id: { in: [...regionIds] } },
            select: select as Prisma.RegionSelect,
          })) as Row[]
          const byId = new Map(regions.map((r) => [r.id, fold(r)]))
          return regionIds.map((id) => byId.get(id) ?? none)
        },
        { cache: false },
      ),
  )
}

/** A region tree's rows and counts, its own level and every level below. */
const childrenOf = (r: Row) => (r.children as Row[] | undefined) ?? []
const gather = (r: Row): Row[] => [...(r.cases as Row[]), ...childrenOf(r).flatMap(gather)]
const total = (r: Row): number =>
  (r._count as { cases: number }).cases + childrenOf(r).reduce((n, c) => n + total(c), 0)

/** Compares two case rows in the list's order (the key, nulls last, then the id). */
function comparer(field: string, direction: 'asc' | 'desc') {
  const sign = direction === 'asc' ? 1 : -1
  const value = (r: Row) => {
    const v = r[field]
    return v instanceof Date ? v.getTime() : (v as number | null)
  }
  return (a: Row, b: Row) => {
    const va = value(a),
      vb = value(b)
    if (va !== vb) return va === null ? 1 : vb === null ? -1 : (va < vb ? -1 : 1) * sign
    return (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * sign
  }
}

/** The rows after a cursor row in the list's order, as a `where` (a deadline may be null: nulls come last). */
function afterWhere(field: string, direction: 'asc' | 'desc', cursor: Row): Prisma.CaseWhereInput {
  const op = direction === 'asc' ? 'gt' : 'lt'
  const v = cursor[field] as Date | null
  if (v === null) return { [field]: null, id: { [op]: cursor.id } }
  return {
    OR: [
      { [field]: { [op]: v } },
      { [field]: v, id: { [op]: cursor.id } },
      ...(field === 'deadline' ? [{ deadline: null }] : []),
    ],
  }
}

builder.prismaObjectField('Region', 'cases', (t) =>
  t.prismaConnection(
    {
      type: 'Case',
      cursor: 'id',
      args: caseListArgs,
      description:
        "Cases in this region's subtree that you may see (a street: those of all its communities), newest first by default, with the filters of `cases`; pages forward with `first` and `after` (辖区案件).",
      // the count of each community's cases, summed
      totalCount: async (region, args, ctx) =>
        (
          await perRegionTree(
            ctx,
            `count:${JSON.stringify(args.filter ?? null)}`,
            { _count: { select: { cases: { where: caseWhere(args.filter, ctx) } } } },
            total,
            0,
          )
        ).load(region.id),
      resolve: async (query, region, args: CaseListArgs, ctx) => {
        const {
          take,
          cursor,
          skip: _skip,
          ...selection
        } = query as { take: number; skip?: number; cursor?: { id: string } } & Record<string, unknown>
        if (take < 0)
          throw new ValidationFailedError([
            { path: 'last', message: 'the cases of a region page forward: use first and after' },
          ])
        const field = args.orderBy?.field ?? 'createdAt'
        const direction = args.orderBy?.direction ?? 'desc'
        const and: Prisma.CaseWhereInput[] = [caseWhere(args.filter, ctx)]
        if (cursor) {
          const row = (await ctx.reader.case.findUnique({
            where: { id: cursor.id },
            select: { id: true, [field]: true },
          })) as Row | null
          if (!row) return []
          and.push(afterWhere(field, direction, row))
        }
        const orderBy = caseOrder(args.orderBy)
        const sel = {
          ...selection,
          ...(selection.select ? { select: { ...(selection.select as object), id: true, [field]: true } } : {}),
        }
        // each community's first `take` cases (a lateral join per level): the region's first `take` are among them
        const leaf = { cases: { ...sel, where: { AND: and }, orderBy, take } }
        const rows = await (
          await perRegionTree(
            ctx,
            `rows:${JSON.stringify([args, cursor ?? null, take, sel])}`,
            leaf,
            gather,
            [] as Row[],
          )
        ).load(region.id)
        return rows.sort(comparer(field, direction)).slice(0, take) as never[]
      },
    },
    COUNTED,
  ),
)
