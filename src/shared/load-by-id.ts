// Rows a field reads by id for each parent (e.g. the actor of every step of a timeline), read in one
// statement per request and selection instead of one per parent: a DataLoader per context and per
// plugin-prisma `query`, batching only, no cache (a later read in the same request or subscription
// sees later writes). The rows are read through the viewer's reader, so a row they may not read is null.
import DataLoader from 'dataloader'
import type { Context } from '../context.js'

/** plugin-prisma's `query` of a prismaField: the selection the client asked for. */
export interface Selection { select?: Record<string, unknown>; include?: Record<string, unknown> }

/** The one method of a Prisma delegate (of `ctx.reader`) the loader needs. */
interface FindMany { findMany(args: never): PromiseLike<unknown[]> }

const loaders = new WeakMap<Context, Map<string, DataLoader<string, unknown>>>()

/**
 * The `model` row with this id, as `query` selects it, or null; the ids asked for in the same tick
 * with the same selection are read together, `findMany({ ...query, where: { id: { in: ids } } })`.
 */
export function loadById<Row>(ctx: Context, model: string, delegate: FindMany, query: Selection, id: string): Promise<Row | null> {
  let byQuery = loaders.get(ctx)
  if (!byQuery) loaders.set(ctx, (byQuery = new Map()))
  const key = `${model}:${JSON.stringify(query)}`
  let loader = byQuery.get(key)
  if (!loader) {
    loader = new DataLoader<string, unknown>(async (ids) => {
      // the rows are matched back by id, so a narrowed selection keeps it
      const selection = query.select ? { select: { ...query.select, id: true } } : query.include ? { include: query.include } : {}
      const rows = (await delegate.findMany({ ...selection, where: { id: { in: [...ids] } } } as never)) as { id: string }[]
      const byId = new Map(rows.map((r) => [r.id, r]))
      return ids.map((i) => byId.get(i) ?? null)
    }, { cache: false })
    byQuery.set(key, loader)
  }
  return loader.load(id) as Promise<Row | null>
}
