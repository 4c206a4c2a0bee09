// A read rule (a Prisma `where`) turned into what checks it on a row read anyway: the columns and
// relations the rule looks at, as a Prisma `select` to add to the row's selection, and a test of
// the row that answers as PostgreSQL would. The reader (reader.ts) uses it for nested to-one
// relations, which Prisma cannot filter with a `where`: the check rides in the parent's statement
// instead of costing a statement of its own. A list relation the rule looks into (`some`/`none`)
// is selected with the rule's own filter and `take: 1`, so its test is whether a row came back.
//
// Only the operators our rules use are understood; anything else answers null and the reader
// checks that relation with a statement, as before.

type Args = Record<string, unknown>
type Row = Record<string, unknown> | null | undefined
type Test = (row: Row) => boolean

export interface Relation {
  model: string
  isList: boolean
}
export type Relations = (model: string) => ReadonlyMap<string, Relation>

export interface RuleCheck {
  /** What the test reads, as a Prisma `select` of the rule's model. */
  select: Args
  /** Whether a row (read with `select`) matches the rule. */
  test: Test
}

class Unsupported extends Error {}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v])

/** A comparable form of a scalar: dates by time, everything else as it is. */
const norm = (v: unknown): unknown => (v instanceof Date ? v.getTime() : v)

/** Adds `more` to a `select`; two different filters on one list relation cannot share it. */
function mergeSelect(into: Args, more: Args) {
  for (const [k, v] of Object.entries(more)) {
    const had = into[k]
    if (had === undefined) into[k] = v
    else if (v === true && had === true) continue
    else if (isNested(had) && isNested(v) && !('where' in had) && !('where' in v))
      mergeSelect((had as { select: Args }).select, (v as { select: Args }).select)
    else if (JSON.stringify(had) !== JSON.stringify(v)) throw new Unsupported(`two selections of ${k}`)
  }
}
const isNested = (v: unknown): v is { select: Args } => !!v && typeof v === 'object' && 'select' in v

/** The test of one scalar filter (Prisma's semantics: a comparison with NULL is false). */
function scalarTest(field: string, filter: unknown): Test {
  const value = (r: Row) => norm(r?.[field])
  if (filter === null) return (r) => r?.[field] === null
  if (typeof filter !== 'object' || filter instanceof Date) {
    const v = norm(filter)
    return (r) => value(r) === v
  }
  const tests: Test[] = []
  for (const [op, operand] of Object.entries(filter as Args)) {
    if (op === 'mode') throw new Unsupported('mode')
    const v = norm(operand)
    switch (op) {
      case 'equals':
        tests.push(operand === null ? (r) => r?.[field] === null : (r) => value(r) === v)
        break
      case 'not':
        if (operand === null) tests.push((r) => r?.[field] !== null && r?.[field] !== undefined)
        else if (typeof operand === 'object' && !(operand instanceof Date)) {
          const inner = scalarTest(field, operand)
          tests.push((r) => value(r) != null && !inner(r))
        } else tests.push((r) => value(r) != null && value(r) !== v)
        break
      case 'in': {
        const set = new Set((operand as unknown[]).map(norm))
        tests.push((r) => value(r) != null && set.has(value(r)))
        break
      }
      case 'notIn': {
        const set = new Set((operand as unknown[]).map(norm))
        tests.push((r) => value(r) != null && !set.has(value(r)))
        break
      }
      case 'contains':
        tests.push((r) => typeof r?.[field] === 'string' && (r[field] as string).includes(operand as string))
        break
      case 'startsWith':
        tests.push((r) => typeof r?.[field] === 'string' && (r[field] as string).startsWith(operand as string))
        break
      case 'endsWith':
        tests.push((r) => typeof r?.[field] === 'string' && (r[field] as string).endsWith(operand as string))
        break
      case 'lt':
        tests.push((r) => value(r) != null && (value(r) as number) < (v as number))
        break
      case 'lte':
        tests.push((r) => value(r) != null && (value(r) as number) <= (v as number))
        break
      case 'gt':
        tests.push((r) => value(r) != null && (value(r) as number) > (v as number))
        break
      case 'gte':
        tests.push((r) => value(r) != null && (value(r) as number) >= (v as number))
        break
      case 'has':
        tests.push((r) => Array.isArray(r?.[field]) && (r[field] as unknown[]).map(norm).includes(v))
        break
      default:
        throw new Unsupported(op)
    }
  }
  return (r) => tests.every((t) => t(r))
}

function compile(model: string, where: Args, relations: Relations, select: Args): Test {
  const rels = relations(model)
  const tests: Test[] = []
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      const parts = asArray(value).map((w) => compile(model, w as Args, relations, select))
      tests.push(
        key === 'AND'
          ? (r) => parts.every((t) => t(r))
          : key === 'OR'
            ? (r) => parts.some((t) => t(r))
            : (r) => parts.every((t) => !t(r)),
      )
      continue
    }
    const rel = rels.get(key)
    if (!rel) {
      select[key] = true
      tests.push(scalarTest(key, value))
      continue
    }
    if (rel.isList) {
      const ops = Object.keys(value as Args)
      if (ops.length !== 1 || (ops[0] !== 'some' && ops[0] !== 'none')) throw new Unsupported(`${key}.${ops.join(',')}`)
      const filter = (value as Args)[ops[0]!] as Args
      mergeSelect(select, { [key]: { where: filter, take: 1, select: { id: true } } })
      tests.push(
        ops[0] === 'some'
          ? (r) => ((r?.[key] as unknown[] | undefined)?.length ?? 0) > 0
          : (r) => ((r?.[key] as unknown[] | undefined)?.length ?? 0) === 0,
      )
      continue
    }
    // a to-one relation: null, `is`/`isNot`, or a `where` of the related model
    if (value === null) {
      mergeSelect(select, { [key]: { select: { id: true } } })
      tests.push((r) => r?.[key] == null)
      continue
    }
    const v = value as Args
    const [inner, negate] = 'is' in v ? [v.is, false] : 'isNot' in v ? [v.isNot, true] : [v, false]
    if (inner === null) {
      mergeSelect(select, { [key]: { select: { id: true } } })
      tests.push(negate ? (r) => r?.[key] != null : (r) => r?.[key] == null)
      continue
    }
    const nested: Args = { id: true }
    const t = compile(rel.model, inner as Args, relations, nested)
    mergeSelect(select, { [key]: { select: nested } })
    tests.push(negate ? (r) => r?.[key] != null && !t(r[key] as Row) : (r) => r?.[key] != null && t(r[key] as Row))
  }
  return (r) => tests.every((t) => t(r))
}

/** The check of `where` on rows of `model`, or null when the rule uses what is not understood here. */
export function ruleCheck(model: string, where: object, relations: Relations): RuleCheck | null {
  const select: Args = { id: true }
  try {
    const test = compile(model, where as Args, relations, select)
    return { select, test }
  } catch (e) {
    if (e instanceof Unsupported) return null
    throw e
  }
}
