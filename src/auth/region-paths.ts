// Region paths by id, kept for the life of the process. A region's path ("/city/district/street/
// community/") lists its ancestors and never changes once the region exists (regions are created,
// never moved), so an entry cannot go stale: who manages a row's region is a string test on a path
// read once per process, not a lookup per request. Misses of one tick are read in one statement.
import DataLoader from 'dataloader'
import type { PrismaClient } from '../db.js'

/** More regions than a district has: past this the cache starts again rather than grow without bound. */
const MAX_ENTRIES = 50_000

const byClient = new WeakMap<PrismaClient, DataLoader<string, string | null>>()

/** The loader of one client's region paths: `load(id)` is the path, or null for no such region. */
export function regionPaths(prisma: PrismaClient): DataLoader<string, string | null> {
  let loader = byClient.get(prisma)
  if (!loader) {
    const cache = new Map<string, Promise<string | null>>()
    loader = new DataLoader<string, string | null>(
      async (ids) => {
        const rows = await prisma.region.findMany({ where: { id: { in: [...ids] } }, select: { id: true, path: true } })
        const paths = new Map(rows.map((r) => [r.id, r.path]))
        return ids.map((id) => paths.get(id) ?? null)
      },
      {
        cacheMap: {
          get: (id) => cache.get(id),
          set: (id, p) => {
            if (cache.size >= MAX_ENTRIES) cache.clear()
            cache.set(id, p)
          },
          delete: (id) => cache.delete(id),
          clear: () => cache.clear(),
        },
      },
    )
    byClient.set(prisma, loader)
  }
  return loader
}
