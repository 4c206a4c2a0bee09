// A field that reads one row by an id its parent may not have: a system step's actor, the row of a
// statistics line of another dimension, a record's case of another kind.
import type { PlannedQuery } from './mutations.js'

/**
 * The row `id` names, read by `find` (through the viewer's reader), or null when there is no id. The
 * planned query is taken either way: plugin-prisma warns of a resolver that leaves it unused.
 */
export function optionalRow<T>(
  query: PlannedQuery,
  id: string | null | undefined | false,
  find: (args: PlannedQuery & { where: { id: string } }) => Promise<T | null>,
): Promise<T | null> | null {
  const planned = { ...query }
  return id ? find({ ...planned, where: { id } }) : null
}
