/** Errors-plugin options for a mutation whose payload carries one object under `name`. */
export const payload = (name: string, description: string) => ({ dataField: { name, description } })

/** The query plugin-prisma plans for a payload's row (a prismaField's first argument). */
interface PlannedQuery {
  select?: Record<string, unknown>
  include?: Record<string, unknown>
}

/**
 * A mutation's payload row, without a read when the write already returned everything the client
 * selected. The service read the row through the read policy before writing and its guarded write
 * (version and state) returned that very row, or created it for the viewer: so when the selection
 * holds only the row's own columns, the returned row is the answer. A selection of relations is
 * read through the read policy (`findUnique`, e.g. `ctx.reader.case.findUnique`), in one statement;
 * should the policy no longer show the row, its relations are left to plugin-prisma's per-relation
 * reads (each through the policy) on the returned row.
 */
export async function payloadRow<T extends { id: string }>(
  query: PlannedQuery,
  row: T,
  findUnique: (args: PlannedQuery & { where: { id: string } }) => Promise<T | null>,
): Promise<T> {
  const columnsOnly =
    !query.include && Object.entries(query.select ?? {}).every(([key, value]) => value === true && key in row)
  return columnsOnly ? row : ((await findUnique({ ...query, where: { id: row.id } })) ?? row)
}
