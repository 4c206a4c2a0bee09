// Optimistic concurrency: every update names the version it read; a stale write fails with a
// typed error and changes nothing.
import { NotFoundError, StaleVersionError } from './errors.js'

interface VersionedDelegate<Data> {
  updateMany(args: { where: { id: string; version: number }; data: Data }): Promise<{ count: number }>
  findUnique(args: { where: { id: string }; select: { version: true } }): Promise<{ version: number } | null>
}

export async function updateVersioned<Data extends object>(
  delegate: VersionedDelegate<Data & { version: { increment: number } }>,
  entity: string,
  id: string,
  version: number,
  data: Data,
): Promise<void> {
  const { count } = await delegate.updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 } } })
  if (count === 1) return
  const current = await delegate.findUnique({ where: { id }, select: { version: true } })
  if (!current) throw new NotFoundError(entity, id)
  throw new StaleVersionError(entity, version, current.version)
}

/** The fields an update gives: absent ones (undefined) stay as they are, null clears. */
export const givenFields = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
