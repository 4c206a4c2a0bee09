// The database as one viewer may read it: a Prisma client extension that applies the read
// policies (src/auth/policy.ts) to every read, at every depth of the query.
//
// - A root read gets the model's rule ANDed into its `where` (findUnique keeps its unique key).
// - Every nested list relation and every relation count in `select`/`include` gets its model's
//   rule as a `where`: filtered in SQL, in the same statement as its parent level.
// - A nested to-one relation cannot carry a `where` in Prisma, so its rule is checked on the row:
//   the columns and relations the rule reads are added to the statement (rule-check.ts) and rows
//   that fail become null. A rule that cannot be folded so (or whose selection conflicts with the
//   query's) is checked after the read, per level: one `id IN (…) AND rule` statement per model.
// - Writes are refused: services write through the trusted client.
// - plugin-prisma may ask for an empty `select` (a payload whose row the client did not select);
//   Prisma refuses that, so it becomes `{ id: true }` here, once for every resolver.
import DataLoader from 'dataloader'
import { Prisma, type PrismaClient } from '../generated/prisma/client.js'
import { getDatamodel } from '../generated/pothos-types.js'
import { andUniqueWhere, andWhere, ruleFor } from '../auth/policy.js'
import type { Viewer } from '../auth/viewer.js'
import { ruleCheck, type Relation, type RuleCheck } from './rule-check.js'

const relations: Map<string, Map<string, Relation>> = (() => {
  const out = new Map<string, Map<string, Relation>>()
  for (const [name, model] of Object.entries(getDatamodel().datamodel.models)) {
    const rels = new Map<string, Relation>()
    for (const f of model.fields) if (f.kind === 'object') rels.set(f.name, { model: f.type, isList: f.isList })
    out.set(name, rels)
  }
  return out
})()
/** The relations of a model, by field name. */
export const relationsOf = (model: string) => relations.get(model)!

const READS = new Set([
  'findMany',
  'findFirst',
  'findFirstOrThrow',
  'findUnique',
  'findUniqueOrThrow',
  'count',
  'aggregate',
  'groupBy',
])
const UNIQUE_READS = new Set(['findUnique', 'findUniqueOrThrow'])

type Args = Record<string, unknown>
type Rules = (model: string) => object | true
type Checks = (model: string) => RuleCheck | null

/** Keys a rule check added to a selection: `true` for a whole key, a nested map inside a relation the query selected too. */
interface Added {
  [key: string]: true | Added
}

/**
 * What to do with the rows of a selection after the read, per to-one relation: test them with the
 * rule check folded into the statement (then drop what the check alone selected), or, where the
 * rule could not be folded, check them with a statement; and the same for the levels below.
 */
interface Plan {
  [key: string]: {
    model: string
    isList: boolean
    check?: RuleCheck
    added?: Added
    deferred?: boolean
    children: Plan
  }
}

/** A to-one relation value to check after the read: `holder[key]` is a row of `model`. */
interface Deferred {
  model: string
  holder: Record<string, unknown>
  key: string
}

/** A client's delegate for a model named as in the schema (`DispatchOrder` → `client.dispatchOrder`). */
export const delegateOf = <D>(client: object, model: string) =>
  (client as Record<string, D>)[model.charAt(0).toLowerCase() + model.slice(1)]!

/**
 * Applies the rules to a nested `select`/`include` tree: list relations and counts get the rule as
 * a `where`; to-one relations get the columns their rule check reads. Returns the rewritten tree
 * and the plan for its rows.
 */
function scopeSelection(model: string, selection: Args, rules: Rules, checks: Checks): { selection: Args; plan: Plan } {
  const rels = relationsOf(model)
  const out: Args = {}
  const plan: Plan = {}
  for (const [key, value] of Object.entries(selection)) {
    if (key === '_count' && value && typeof value === 'object') {
      out[key] = scopeCount(model, value as Args, rules)
      continue
    }
    const rel = rels.get(key)
    if (!rel || !value) {
      out[key] = value
      continue
    }
    const nested: Args = value === true ? {} : { ...(value as Args) }
    if (rel.isList) nested.where = andWhere(nested.where as object | undefined, rules(rel.model))
    let children: Plan = {}
    for (const k of ['select', 'include'] as const) {
      if (nested[k])
        ({ selection: nested[k], plan: children } = scopeSelection(rel.model, nested[k] as Args, rules, checks) as {
          selection: Args
          plan: Plan
        })
    }
    if (nested.select && Object.keys(nested.select as Args).length === 0) nested.select = { id: true }
    const step: Plan[string] = { model: rel.model, isList: rel.isList, children }
    if (!rel.isList && rules(rel.model) !== true) {
      const check = checks(rel.model)
      const added = check && foldCheck(rel.model, nested, check)
      if (check && added) Object.assign(step, { check, added })
      else {
        ensureId(nested)
        step.deferred = true
      }
    }
    if (step.check || step.deferred || Object.keys(children).length) plan[key] = step
    out[key] = Object.keys(nested).length ? nested : true
  }
  return { selection: out, plan }
}

/**
 * Adds a rule check's selection to a to-one relation's arguments; null, and the arguments left as
 * they were, when they conflict (the merge works on a copy: a half-merged selection would read
 * rows the check never tests).
 */
function foldCheck(model: string, nested: Args, check: RuleCheck): Added | null {
  const key = nested.select ? 'select' : 'include'
  const target = structuredClone((nested[key] ?? {}) as Args)
  const added = mergeInto(model, target, key === 'include', structuredClone(check.select))
  if (added) nested[key] = target
  return added
}

/** Merges a `select` into a selection (`select`, or `include` where every column is read anyway). */
function mergeInto(model: string, target: Args, isInclude: boolean, more: Args): Added | null {
  const rels = relationsOf(model)
  const added: Added = {}
  for (const [k, v] of Object.entries(more)) {
    const rel = rels.get(k)
    const had = target[k]
    if (!rel) {
      if (!isInclude && !had) {
        target[k] = true
        added[k] = true
      }
    } else if (had === undefined || had === false) {
      target[k] = v
      added[k] = true
    } else if (rel.isList) {
      return null // the query reads this list with its own arguments
    } else {
      const t: Args = had === true ? {} : (had as Args)
      target[k] = t
      const sub = t.select
        ? mergeInto(rel.model, t.select as Args, false, (v as { select: Args }).select)
        : mergeInto(rel.model, (t.include ??= {}) as Args, true, (v as { select: Args }).select)
      if (!sub) return null
      if (Object.keys(sub).length) added[k] = sub
    }
  }
  return added
}

function scopeCount(model: string, count: Args, rules: Rules): Args {
  const select = count.select as Args | undefined
  if (!select) return count
  const rels = relationsOf(model)
  const out: Args = {}
  for (const [key, value] of Object.entries(select)) {
    const rel = rels.get(key)
    if (!rel || !value) {
      out[key] = value
      continue
    }
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

/** Removes what a rule check alone selected. */
function strip(row: Record<string, unknown>, added: Added) {
  for (const [k, a] of Object.entries(added)) {
    if (a === true) delete row[k]
    else if (row[k] && typeof row[k] === 'object') strip(row[k] as Record<string, unknown>, a)
  }
}

/** Applies a plan to a row: to-one rows that fail their check become null; the rest are collected for a statement. */
function applyPlan(plan: Plan, row: unknown, out: Deferred[]) {
  if (!row || typeof row !== 'object') return
  const holder = row as Record<string, unknown>
  for (const [key, step] of Object.entries(plan)) {
    const child = holder[key]
    if (step.isList) {
      if (Array.isArray(child)) for (const item of child) applyPlan(step.children, item, out)
      continue
    }
    if (!child || typeof child !== 'object') continue
    if (step.check) {
      if (!step.check.test(child as Record<string, unknown>)) {
        holder[key] = null
        continue
      }
      strip(child as Record<string, unknown>, step.added!)
    } else if (step.deferred) {
      out.push({ model: step.model, holder, key })
    }
    applyPlan(step.children, child, out)
  }
}

/** One statement per model: the to-one rows the viewer may not read become null. */
async function checkToOne(base: PrismaClient, deferred: Deferred[], rules: Rules) {
  const byModel = new Map<string, Deferred[]>()
  for (const d of deferred) byModel.set(d.model, [...(byModel.get(d.model) ?? []), d])
  await Promise.all(
    [...byModel].map(async ([model, items]) => {
      const ids = [...new Set(items.map((d) => (d.holder[d.key] as { id: string }).id))]
      const delegate = delegateOf<{ findMany(a: Args): Promise<{ id: string }[]> }>(base, model)
      const readable = new Set(
        (await delegate.findMany({ where: { AND: [{ id: { in: ids } }, rules(model)] }, select: { id: true } })).map(
          (r) => r.id,
        ),
      )
      for (const d of items) if (!readable.has((d.holder[d.key] as { id: string }).id)) d.holder[d.key] = null
    }),
  )
}

/**
 * The read client for a viewer. Building one costs about half a millisecond, so the clients of the
 * last few hundred viewers are kept: a reader depends on nothing but the client and the viewer's
 * identity and scopes, which make its key.
 */
export function readerFor(base: PrismaClient, viewer: Viewer | null): Reader {
  let byViewer = readers.get(base)
  if (!byViewer) readers.set(base, (byViewer = new Map()))
  const key = viewer
    ? JSON.stringify([
        viewer.userId,
        [...viewer.roles].sort(),
        viewer.regionIds,
        viewer.gridIds,
        viewer.departmentId,
        viewer.unitId,
      ])
    : ''
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
  const checkMemo = new Map<string, RuleCheck | null>()
  const checks: Checks = (model) => {
    let c = checkMemo.get(model)
    if (c === undefined) {
      const rule = rules(model)
      checkMemo.set(model, (c = rule === true ? null : ruleCheck(model, rule, relationsOf)))
    }
    return c
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
      loader = new DataLoader<string, unknown>(
        async (ids) => {
          // straight to the base client with the policy applied here: not through the extension twice
          const delegate = delegateOf<{ findMany(a: Args): Promise<{ id: string }[]> }>(base, model)
          const found = (await read(model, 'findMany', { ...selection, where: { id: { in: [...ids] } } }, (a) =>
            delegate.findMany(a),
          )) as { id: string }[]
          const rows = new Map(found.map((r) => [r.id, r]))
          return ids.map((id) => rows.get(id) ?? null)
        },
        { cache: false },
      )
      batches.set(key, loader)
    }
    return loader.load((where as { id: string }).id)
  }

  /** One read of `model` under the policy: the rule in the `where`, the selection scoped, to-one rows checked. */
  async function read(model: string, operation: string, args: Args, run: (a: Args) => Promise<unknown>) {
    const a: Args = { ...args }
    const rule = rules(model)
    a.where = UNIQUE_READS.has(operation)
      ? andUniqueWhere(a.where as Args, rule)
      : andWhere(a.where as object | undefined, rule)
    let plan: Plan = {}
    for (const k of ['select', 'include'] as const)
      if (a[k])
        ({ selection: a[k], plan } = scopeSelection(model, a[k] as Args, rules, checks) as {
          selection: Args
          plan: Plan
        })
    if (a.select && Object.keys(a.select as Args).length === 0) a.select = { id: true }
    const result = await run(a)
    if (Object.keys(plan).length && result && typeof result === 'object' && operation.startsWith('find')) {
      const deferred: Deferred[] = []
      for (const row of Array.isArray(result) ? result : [result]) applyPlan(plan, row, deferred)
      if (deferred.length) await checkToOne(base, deferred, rules)
    }
    return result
  }

  // A query extension changes no method's shape: the reader is typed as the plain client.
  const reader = base.$extends({
    name: 'read-policy',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!READS.has(operation))
            throw new Error(`the reader does not write (${model}.${operation}); use the service's client`)
          if (UNIQUE_READS.has(operation) && isIdOnly((args as Args).where)) {
            const row = await byId(model, args as Args)
            if (!row && operation === 'findUniqueOrThrow')
              throw new Prisma.PrismaClientKnownRequestError(`No ${model} found`, {
                code: 'P2025',
                clientVersion: Prisma.prismaVersion.client,
              })
            return row
          }
          return read(model, operation, args as Args, (a) => query(a as typeof args))
        },
      },
    },
  }) as unknown as Reader
  return reader
}

/** A unique `where` that is the row id and nothing else. */
const isIdOnly = (where: unknown): where is { id: string } =>
  !!where &&
  typeof where === 'object' &&
  Object.keys(where).length === 1 &&
  typeof (where as { id?: unknown }).id === 'string'

/** The database as one viewer may read it (same API as the client; writes throw). */
export type Reader = PrismaClient
