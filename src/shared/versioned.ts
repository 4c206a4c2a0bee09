// Optimistic concurrency: every update names the version it read; a stale write fails with a
// typed error and changes nothing.
import { NotFoundError, StaleVersionError } from './errors.js'

interface VersionedDelegate<Data, Row> {
  updateManyAndReturn(args: { where: { id: string; version: number }; data: Data }): Promise<Row[]>
  findUnique(args: { where: { id: string }; select: { version: true } }): Promise<{ version: number } | null>
}

/** Updates the row if it still has `version`, and returns it as written (all its columns, one statement). */
export async function updateVersioned<Data extends object, Row>(
  delegate: VersionedDelegate<Data & { version: { increment: number } }, Row>,
  entity: string,
  id: string,
  version: number,
  data: Data,
): Promise<Row> {
  const [row] = await delegate.updateManyAndReturn({
    where: { id, version },
    data: { ...data, version: { increment: 1 } },
  })
  if (row) return row
  const current = await delegate.findUnique({ where: { id }, select: { version: true } })
  if (!current) throw new NotFoundError(entity, id)
  throw new StaleVersionError(entity, version, current.version)
}

/** The fields an update gives: absent ones (undefined) stay as they are, null clears. */
export const givenFields = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
