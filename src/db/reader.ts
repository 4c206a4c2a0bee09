// The database as one viewer may read it: a Prisma client extension that applies the read
// policies (src/auth/policy.ts) to every read, at every depth of the query.
//
// - A root read gets the model's rule ANDed into its `where` (findUnique keeps its unique key).
// - Every nested list relation and every relation count in `select`/`include` gets its model's
//   rule as a `where`: filtered in SQL, in the same statement as its parent level.
// - A nested to-one relation cannot carry a `where` in Prisma, so the rows it brings are checked
//   after the read, per level: one `id IN (…) AND rule` statement per model with a restricting
//   rule, never one per row; rows that fail become null.
// - Writes are refused: services write through the trusted client.
// - plugin-prisma may ask for an empty `select` (a payload whose row the client did not select);
//   Prisma refuses that, so it becomes `{ id: true }` here, once for every resolver.
import DataLoader from 'dataloader'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import { getDatamodel } from '../generated/pothos-types.js'
import { andUniqueWhere, andWhere, ruleFor } from '../auth/policy.js'
import type { Viewer } from '../auth/viewer.js'

interface Relation { model: string; isList: boolean }

const relations: Map<string, Map<string, Relation>> = (() => {
  const out = new Map<string, Map<string, Relation>>()
  for (const [name, model] of Object.entries(getDatamodel().datamodel.models)) {
    const rels = new Map<string, Relation>()
    for (const f of model.fields) if (f.kind === 'object') rels.set(f.name, { model: f.type, isList: f.isList })
    out.set(name, rels)
  }
  return out
})()

const READS = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'count', 'aggregate', 'groupBy'])
const UNIQUE_READS = new Set(['findUnique', 'findUniqueOrThrow'])

type Args = Record<string, unknown>
type Rules = (model: string) => object | true

/** A to-one relation value to check after the read: `holder[key]` is a row of `model`. */
interface Deferred { model: string; holder: Record<string, unknown>; key: string }

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

/** Applies the rules to a nested `select`/`include` tree; returns the rewritten tree. */
function scopeSelection(model: string, selection: Args, rules: Rules): Args {
  const rels = relations.get(model)!
  const out: Args = {}
  for (const [key, value] of Object.entries(selection)) {
    if (key === '_count' && value && typeof value === 'object') {
      out[key] = scopeCount(model, value as Args, rules)
      continue
    }
    const rel = rels.get(key)
    if (!rel || !value) { out[key] = value; continue }
    const nested: Args = value === true ? {} : { ...(value as Args) }
    if (rel.isList) nested.where = andWhere(nested.where as object | undefined, rules(rel.model))
    else ensureId(nested)
    for (const k of ['select', 'include'] as const) if (nested[k]) nested[k] = scopeSelection(rel.model, nested[k] as Args, rules)
    if (nested.select && Object.keys(nested.select as Args).length === 0) nested.select = { id: true }
    out[key] = Object.keys(nested).length ? nested : true
  }
  return out
}

function scopeCount(model: string, count: Args, rules: Rules): Args {
  const select = count.select as Args | undefined
  if (!select) return count
  const rels = relations.get(model)!
  const out: Args = {}
  for (const [key, value] of Object.entries(select)) {
    const rel = rels.get(key)
    if (!rel || !value) { out[key] = value; continue }
    const nested: Args = value === true ? {} : { ...(value as Args) }
    nested.where = andWhere(nested.where as object | undefined, rules(rel.model))
    out[key] = nested.where ? nested : true
  }
  return { ...count, select: out }
}

/** A to-one row must carry its id so that it can be checked. */
function ensureId(nested: Args) {
  if (nested.select && !(nested.select as Args).id) nested.select = { ...(nested.select as Args), id: true }
}

/** Collects the to-one relation rows of a result whose model's rule restricts the viewer. */
function collectToOne(model: string, selection: Args | undefined, row: unknown, rules: Rules, out: Deferred[]) {
  if (!selection || !row || typeof row !== 'object') return
  const rels = relations.get(model)!
  for (const [key, value] of Object.entries(selection)) {
    const rel = rels.get(key)
    if (!rel || !value) continue
    const child = (row as Record<string, unknown>)[key]
    const nested = value === true ? undefined : ((value as Args).select ?? (value as Args).include) as Args | undefined
    if (rel.isList) {
      if (Array.isArray(child)) for (const item of child) collectToOne(rel.model, nested, item, rules, out)
    } else if (child && typeof child === 'object') {
      if (rules(rel.model) !== true) out.push({ model: rel.model, holder: row as Record<string, unknown>, key })
      collectToOne(rel.model, nested, child, rules, out)
    }
  }
}

/** One statement per model: the to-one rows the viewer may not read become null. */
async function checkToOne(base: PrismaClient, deferred: Deferred[], rules: Rules) {
  const byModel = new Map<string, Deferred[]>()
  for (const d of deferred) byModel.set(d.model, [...(byModel.get(d.model) ?? []), d])
  await Promise.all([...byModel].map(async ([model, items]) => {
    const ids = [...new Set(items.map((d) => (d.holder[d.key] as { id: string }).id))]
    const delegate = (base as unknown as Record<string, { findMany(a: Args): Promise<{ id: string }[]> }>)[lowerFirst(model)]!
    const readable = new Set((await delegate.findMany({ where: { AND: [{ id: { in: ids } }, rules(model)] }, select: { id: true } })).map((r) => r.id))
    for (const d of items) if (!readable.has((d.holder[d.key] as { id: string }).id)) d.holder[d.key] = null
  }))
}

/**
 * The read client for a viewer. Building one costs about half a millisecond, so the clients of the
 * last few hundred viewers are kept: a reader depends on nothing but the client and the viewer's
 * identity and scopes, which make its key.
 */
export function readerFor(base: PrismaClient, viewer: Viewer | null): Reader {
  let byViewer = readers.get(base)
  if (!byViewer) readers.set(base, (byViewer = new Map()))
  const key = viewer ? JSON.stringify([viewer.userId, [...viewer.roles].sort(), viewer.regionIds, viewer.gridIds, viewer.departmentId, viewer.unitId]) : ''
  let reader = byViewer.get(key)
  if (reader) {
    byViewer.delete(key) // most recently used last
  } else {
    reader = createReader(base, viewer)
    if (byViewer.size >= MAX_CACHED_READERS) byViewer.delete(byViewer.keys().next().value!)
  }
  byViewer.set(key, reader)
  return reader
}

const MAX_CACHED_READERS = 500
const readers = new WeakMap<PrismaClient, Map<string, Reader>>()

/** The read client for one viewer. Rules are computed once per model and reader. */
export function createReader(base: PrismaClient, viewer: Viewer | null): Reader {
  const memo = new Map<string, object | true>()
  const rules: Rules = (model) => {
    let r = memo.get(model)
    if (r === undefined) memo.set(model, (r = ruleFor(model, viewer)))
    return r
  }
  // Prisma batches the findUnique calls of one tick into one statement only when their `where` is
  // the bare key; with a rule added it would send one per call (plugin-prisma's per-row fallbacks,
  // node(), a field that reads a row by the id its parent holds). So every unique read by id is
  // batched here, whatever the rule: one findMany per model, selection and tick.
  const batches = new Map<string, DataLoader<string, unknown>>()
  const byId = (model: string, args: Args): Promise<unknown> => {
    const { where, ...rest } = args
    const selection = rest.select ? { ...rest, select: { ...(rest.select as Args), id: true } } : rest
    const key = `${model}:${JSON.stringify(selection)}`
    let loader = batches.get(key)
    if (!loader) {
      if (batches.size >= 200) batches.clear() // selections are the clients' choice: keep a bounded few
      loader = new DataLoader<string, unknown>(async (ids) => {
        const delegate = (reader as unknown as Record<string, { findMany(a: Args): Promise<{ id: string }[]> }>)[lowerFirst(model)]!
        const rows = new Map((await delegate.findMany({ ...selection, where: { id: { in: [...ids] } } })).map((r) => [r.id, r]))
        return ids.map((id) => rows.get(id) ?? null)
      }, { cache: false })
      batches.set(key, loader)
    }
    return loader.load((where as { id: string }).id)
  }

  // A query extension changes no method's shape: the reader is typed as the plain client.
  const reader = base.$extends({
    name: 'read-policy',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!READS.has(operation)) throw new Error(`the reader does not write (${model}.${operation}); use the service's client`)
          const a: Args = { ...(args as Args) }
          const rule = rules(model)
          if (UNIQUE_READS.has(operation) && isIdOnly(a.where)) {
            const row = await byId(model, a)
            if (!row && operation === 'findUniqueOrThrow') throw new Prisma.PrismaClientKnownRequestError(`No ${model} found`, { code: 'P2025', clientVersion: Prisma.prismaVersion.client })
            return row
          }
          a.where = UNIQUE_READS.has(operation) ? andUniqueWhere(a.where as Args, rule) : andWhere(a.where as object | undefined, rule)
          for (const k of ['select', 'include'] as const) if (a[k]) a[k] = scopeSelection(model, a[k] as Args, rules)
          if (a.select && Object.keys(a.select as Args).length === 0) a.select = { id: true }
          const result = await query(a as typeof args)
          const selection = (a.select ?? a.include) as Args | undefined
          if (selection && result && typeof result === 'object' && operation.startsWith('find')) {
            const deferred: Deferred[] = []
            for (const row of Array.isArray(result) ? result : [result]) collectToOne(model, selection, row, rules, deferred)
            if (deferred.length) await checkToOne(base, deferred, rules)
          }
          return result
        },
      },
    },
  }) as unknown as Reader
  return reader
}

/** A unique `where` that is the row id and nothing else. */
const isIdOnly = (where: unknown): where is { id: string } =>
  !!where && typeof where === 'object' && Object.keys(where).length === 1 && typeof (where as { id?: unknown }).id === 'string'

/** The database as one viewer may read it (same API as the client; writes throw). */
export type Reader = PrismaClient
