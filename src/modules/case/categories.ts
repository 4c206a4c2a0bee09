// Case categories, cached per process. Every report reads its category (is it active, what is the
// case's SLA) and every dispatch its order SLAs; the table is a few dozen rows that admins change a
// few times a year. So it is read whole on first use and again after `ttlMs`, and a change through
// the API (reference.service.ts) clears it at once here and, through the bus, on every other
// instance: an SLA change applies to the next report or dispatch anywhere, and within `ttlMs` even
// if the bus was down when it was made.
import type { PrismaClient } from '../../db.js'
import type { CaseCategory } from '../../generated/prisma/client.js'
import type { AppPubSub } from '../../pubsub.js'

export interface CategoryCache {
  /** The category, or null for no such id. */
  get(id: string): Promise<CaseCategory | null>
  /** Call after changing a category: every instance reads the table again. */
  changed(): void
  stop(): void
}

export function createCategoryCache(opts: { prisma: PrismaClient; pubsub: AppPubSub; ttlMs: number }): CategoryCache {
  let table: Promise<Map<string, CaseCategory>> | null = null
  let until = 0
  const changes = opts.pubsub.subscribe('reference:changed')
  void (async () => {
    for await (const _ of changes) table = null
  })()

  function read(): Promise<Map<string, CaseCategory>> {
    const loading = opts.prisma.caseCategory.findMany().then((rows) => new Map(rows.map((r) => [r.id, r])))
    loading.catch(() => {
      if (table === loading) table = null
    })
    return loading
  }

  return {
    async get(id) {
      if (opts.ttlMs <= 0) return opts.prisma.caseCategory.findUnique({ where: { id } })
      if (!table || Date.now() > until) {
        until = Date.now() + opts.ttlMs
        table = read()
      }
      return (await table).get(id) ?? null
    },
    changed() {
      table = null
      opts.pubsub.publish('reference:changed', { table: 'CaseCategory' })
    },
    stop() {
      void changes.return?.()
    },
  }
}
