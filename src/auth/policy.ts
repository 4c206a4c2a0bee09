// Read policies (DESIGN §5): one rule per model, written once as a Prisma `where` for a viewer.
// The reader client (src/db/reader.ts) applies it to every read a request makes — root lists,
// nested relations and counts, `node`, payload relations, subscription events — so rows are
// filtered in SQL and no resolver has to remember a check. A model without a rule is read by
// nobody (default deny); a test fails for any schema type whose model has none. Another module may
// widen a rule from its own side (widenPolicy): the rows its own rows lead to, for their readers.
import type { Prisma } from '../generated/prisma/client.js'
import { hasRole, isAdmin, OFFICER_ROLES, type Viewer } from './viewer.js'

type WhereOf<M extends Prisma.ModelName> = Prisma.TypeMap['model'][M]['operations']['findMany']['args'] extends {
  where?: infer W
}
  ? W
  : never

/** A model's rule: its rows the viewer may read, as a `where`, or `true` for every row. */
export type Rule<M extends Prisma.ModelName = Prisma.ModelName> = (viewer: Viewer) => WhereOf<M> | true

export type Policies = { [M in Prisma.ModelName]?: Rule<M> }

const registry = new Map<string, Rule>()
const widenings = new Map<string, Rule[]>()

/** Registers a module's read policies; each model has exactly one, in one module. */
export function definePolicies(policies: Policies): Policies {
  for (const [model, rule] of Object.entries(policies)) {
    if (registry.has(model)) throw new Error(`read policy for ${model} defined twice`)
    registry.set(model, rule as Rule)
  }
  return policies
}

/**
 * Admits more rows of a model another module owns, from the module whose rows lead to them, as a
 * module adds fields to another's type from its own side: the grid of a case, to whoever reads the
 * case through their own work. The owner's rule stays the model's one rule; a widening only adds
 * rows to it (OR), for viewers it does not already give every row.
 */
export function widenPolicy<M extends Prisma.ModelName>(model: M, rule: Rule<M>): void {
  widenings.set(model, [...(widenings.get(model) ?? []), rule as Rule])
}

/** Models that have a read policy (for the default-deny test). */
export const policyModels = (): ReadonlySet<string> => new Set(registry.keys())

/** The `where` that matches no row. */
export const NO_ROWS = { id: { in: [] as string[] } }

/**
 * The viewer's rule for a model: a `where`, or `true` for every row. No viewer (no token) and no
 * registered policy both read nothing. Admins read every row.
 */
export function ruleFor(model: string, viewer: Viewer | null): object | true {
  const rule = registry.get(model)
  if (!rule || !viewer) return NO_ROWS
  if (isAdmin(viewer)) return true
  const own = rule(viewer)
  if (own === true) return true
  const more = (widenings.get(model) ?? []).map((w) => w(viewer)).filter((w) => w !== NO_ROWS)
  if (more.includes(true)) return true
  return more.length ? { OR: [own, ...more] } : own
}

/** Combines a query's own `where` with a rule (`true` leaves it as it is). */
export function andWhere(where: object | undefined, rule: object | true): object | undefined {
  if (rule === true) return where
  if (!where || Object.keys(where).length === 0) return rule
  return { AND: [where, rule] }
}

/** Same for a unique `where` (findUnique): the unique key must stay at the top level. */
export function andUniqueWhere(where: Record<string, unknown>, rule: object | true): Record<string, unknown> {
  if (rule === true) return where
  const and = where.AND === undefined ? [] : Array.isArray(where.AND) ? where.AND : [where.AND]
  return { ...where, AND: [...and, rule] }
}

// ---------------------------------------------------------------- building blocks for rules

/** Any of `ors`, or no row when there is none. */
export const anyOf = <W extends object>(ors: (W | null | false | undefined | '' | 0)[]): W | typeof NO_ROWS => {
  const kept = ors.filter(Boolean) as W[]
  return kept.length ? ({ OR: kept } as W) : NO_ROWS
}

/**
 * `where` on Region: the region subtrees an officer serves (paths hold every ancestor's id), or
 * null for anyone else. No lookup: the rule stays a plain `where`.
 */
export function officerRegions(v: Viewer): Prisma.RegionWhereInput | null {
  return hasRole(v, ...OFFICER_ROLES) ? regionSubtrees(v.regionIds) : null
}

/** `where` on Region: the subtrees of these regions, or null for none. */
export function regionSubtrees(regionIds: readonly string[]): Prisma.RegionWhereInput | null {
  return regionIds.length ? { OR: regionIds.map((id) => ({ path: { contains: `/${id}/` } })) } : null
}

/** The unit a unit contact represents, if any. */
export const contactUnitOf = (v: Viewer): string | null => (hasRole(v, 'UNIT_CONTACT') && v.unitId) || null

/** The department a department staff member works for, if any. */
export const staffDepartmentOf = (v: Viewer): string | null =>
  (hasRole(v, 'DEPARTMENT_STAFF') && v.departmentId) || null

/** The grids a grid worker serves (empty for other roles). */
export const workerGridsOf = (v: Viewer): string[] => (hasRole(v, 'GRID_WORKER') ? [...v.gridIds] : [])

/** Every signed-in viewer (directory and reference data). */
export const signedIn = (): true => true
