// A field that reads one row by an id its parent may not have: a system step's actor, the row of a
// statistics line of another dimension, a record's case of another kind.

/** The query plugin-prisma plans for the field's row (a prismaField's first argument). */
interface PlannedQuery {
  select?: Record<string, unknown>
  include?: Record<string, unknown>
}

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
