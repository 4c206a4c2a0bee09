// Rows a field names by id rather than by a relation: the department of an assessment row, the grid
// of a heat-map cell, a system step's actor, the row of a statistics line of one dimension, the
// departments a routing rule lists by id. Read
// through the viewer's reader with the field's selection: one findMany per model, selection and tick,
// however many rows ask. A plain findUnique per row is batched into one statement too, but each call
// still passes through Prisma's client and the read policy's extension on its own: for 2,400 rows
// that was 0.3 ms a row, most of a report's time.
import DataLoader from 'dataloader'
import type { Context } from '../context.js'
import type { Case, CaseCategory, Department, Grid, Region, User, VolunteerTeam } from '../generated/prisma/client.js'
import { NotFoundError } from './errors.js'
import type { PlannedQuery } from './mutations.js'

/** Reader models a field names by id, and their rows. */
interface Rows {
  user: User
  grid: Grid
  region: Region
  department: Department
  caseCategory: CaseCategory
  case: Case
  volunteerTeam: VolunteerTeam
}
type ByIdModel = keyof Rows

/** The model's entity name for NotFoundError: `caseCategory` → `CaseCategory`. */
const entityOf = (model: ByIdModel) => `${model[0]!.toUpperCase()}${model.slice(1)}`

type FindMany = (args: object) => Promise<{ id: string }[]>

const loaders = new WeakMap<Context, Map<string, DataLoader<never, unknown>>>()

/**
 * The request's loader of `model` rows under the field's selection (its `id` always selected), for
 * one kind of read (`kind`): one findMany through the reader per tick, however many fields ask.
 */
function loaderFor<K, V, M extends ByIdModel>(
  ctx: Context,
  kind: string,
  model: M,
  query: PlannedQuery,
  batch: (findMany: (args: object) => Promise<Rows[M][]>, keys: readonly K[]) => Promise<V[]>,
): DataLoader<K, V> {
  let byKey = loaders.get(ctx)
  if (!byKey) loaders.set(ctx, (byKey = new Map()))
  const selection = query.select ? { ...query, select: { ...query.select, id: true } } : query
  const key = `${kind}:${model}:${JSON.stringify(selection)}`
  let loader = byKey.get(key) as DataLoader<K, V> | undefined
  if (!loader) {
    const findMany = (args: object) =>
      (ctx.reader[model] as unknown as { findMany: FindMany }).findMany({ ...selection, ...args }) as Promise<Rows[M][]>
    loader = new DataLoader<K, V>((keys) => batch(findMany, keys), { cache: false })
    byKey.set(key, loader as unknown as DataLoader<never, unknown>)
  }
  return loader
}

/** The row of `model` with this id under the field's selection, or null where the viewer may not read it. */
const readableRow = <M extends ByIdModel>(ctx: Context, model: M, query: PlannedQuery, id: string) =>
  loaderFor<string, Rows[M] | null, M>(ctx, 'one', model, query, async (findMany, ids) => {
    const rows = new Map((await findMany({ where: { id: { in: [...ids] } } })).map((r) => [r.id, r]))
    return ids.map((i) => rows.get(i) ?? null)
  }).load(id)

/** The row of `model` with this id under the field's `query` (plugin-prisma's selection); not readable: NotFoundError, as findUniqueOrThrow. */
export async function rowById<M extends ByIdModel>(
  ctx: Context,
  model: M,
  query: PlannedQuery,
  id: string,
): Promise<Rows[M]> {
  const row = await readableRow(ctx, model, query, id)
  if (!row) throw new NotFoundError(entityOf(model), id)
  return row
}

/**
 * The rows of `model` with these ids that the viewer may read, for a list field that holds ids (a
 * routing rule's assisting departments), ascending by the column `by`: the lists of every parent
 * asking in a tick are read in one statement, ordered in SQL (the database's collation), and split
 * back per parent.
 */
export function rowsByIds<M extends ByIdModel>(
  ctx: Context,
  model: M,
  query: PlannedQuery,
  ids: readonly string[],
  by: keyof Rows[M] & string,
): Promise<Rows[M][]> {
  const planned = { ...query } // taken even for an empty list: plugin-prisma warns of an unused query
  if (ids.length === 0) return Promise.resolve([])
  return loaderFor<readonly string[], Rows[M][], M>(ctx, `list:${by}`, model, planned, async (findMany, lists) => {
    const rows = await findMany({ where: { id: { in: [...new Set(lists.flat())] } }, orderBy: { [by]: 'asc' } })
    return lists.map((list) => {
      const wanted = new Set(list)
      return rows.filter((r) => wanted.has(r.id))
    })
  }).load(ids)
}

/**
 * The row of `model` with this id, for a nullable field: null when the parent names none (a system
 * step has no actor) or when the viewer may not read it. The planned query is taken either way:
 * plugin-prisma warns of a resolver that leaves it unused.
 */
export async function optionalRowById<M extends ByIdModel>(
  ctx: Context,
  model: M,
  query: PlannedQuery,
  id: string | null | undefined | false,
): Promise<Rows[M] | null> {
  const planned = { ...query }
  return id ? readableRow(ctx, model, planned, id) : null
}
