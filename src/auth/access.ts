// Row-level access for one viewer (DESIGN §5). Lists are filtered in SQL with the `where`
// fragments below; single rows are checked with the predicates. Results are memoised per request.
import type { PrismaClient } from '../db.js'
import type { Prisma } from '../generated/prisma/client.js'
import { ForbiddenError } from '../shared/errors.js'
import { hasRole, isAdmin, OFFICER_ROLES, type Viewer } from './viewer.js'

/** A `where` that matches no row (a viewer who may read none). */
export const NO_ROWS = { id: { in: [] as string[] } }

const PUBLIC_TERRITORY_ROLES = ['RESIDENT', 'PARTY_MEMBER', 'UNIT_CONTACT'] as const

export class AccessScope {
  #paths?: Promise<string[]>
  #communityPaths = new Map<string, Promise<string | null>>()

  constructor(private readonly prisma: PrismaClient, readonly viewer: Viewer | null) {}

  requireViewer(): Viewer {
    if (!this.viewer) throw new ForbiddenError('Sign in first')
    return this.viewer
  }

  /** Materialised paths of the regions the viewer serves ("/city/district/street/"). */
  regionPaths(): Promise<string[]> {
    const ids = this.viewer?.regionIds ?? []
    this.#paths ??= ids.length
      ? this.prisma.region.findMany({ where: { id: { in: [...ids] } }, select: { path: true } }).then((r) => r.map((x) => x.path))
      : Promise.resolve([])
    return this.#paths
  }

  async inRegionSubtree(regionPath: string): Promise<boolean> {
    return (await this.regionPaths()).some((p) => regionPath.startsWith(p))
  }

  /** Path of one region, memoised (rows of a list share a few communities). */
  /**
   * The path of a `within` filter's region, to match `path startsWith`; an unknown region gives a
   * path nothing starts with, so the filter matches no row.
   */
  async withinPath(regionId: string): Promise<string> {
    return (await this.regionPath(regionId)) ?? '\u0000'
  }

  regionPath(regionId: string): Promise<string | null> {
    let p = this.#communityPaths.get(regionId)
    if (!p) {
      p = this.prisma.region.findUnique({ where: { id: regionId }, select: { path: true } }).then((r) => r?.path ?? null)
      this.#communityPaths.set(regionId, p)
    }
    return p
  }

  /** `where` on Region: the viewer's subtrees. */
  /** `where` on Region: the subtree an officer manages; null when the viewer is no officer with regions. */
  async officerRegionWhere(): Promise<Prisma.RegionWhereInput | null> {
    if (!hasRole(this.viewer, ...OFFICER_ROLES) || !this.viewer?.regionIds.length) return null
    return this.regionSubtreeWhere()
  }

  #memos = new Map<string, Promise<unknown>>()

  /** One answer per request and key: rows of a list often hang off the same few parents. */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.#memos.get(key) as Promise<T> | undefined
    if (!p) this.#memos.set(key, (p = fn()))
    return p
  }

  async regionSubtreeWhere(): Promise<Prisma.RegionWhereInput> {
    const paths = await this.regionPaths()
    return { OR: paths.map((p) => ({ path: { startsWith: p } })) }
  }

  /** `where` on Grid for reading; null = every grid. */
  async gridReadWhere(): Promise<Prisma.GridWhereInput | null> {
    const v = this.viewer
    if (!v) return { id: { in: [] } }
    if (isAdmin(v) || hasRole(v, ...PUBLIC_TERRITORY_ROLES)) return null
    const or: Prisma.GridWhereInput[] = []
    if (hasRole(v, ...OFFICER_ROLES, 'DEPARTMENT_STAFF') && v.regionIds.length) or.push({ community: await this.regionSubtreeWhere() })
    if (v.gridIds.length) or.push({ id: { in: [...v.gridIds] } })
    return or.length ? { OR: or } : { id: { in: [] } }
  }

  async canReadGrid(grid: { id: string; communityId: string }): Promise<boolean> {
    const where = await this.gridReadWhere()
    if (!where) return true
    if (this.viewer?.gridIds.includes(grid.id)) return true
    if (!hasRole(this.viewer, ...OFFICER_ROLES, 'DEPARTMENT_STAFF')) return false
    const path = await this.regionPath(grid.communityId)
    return !!path && this.inRegionSubtree(path)
  }

  /** Officers (and admins) manage the territory of their region subtree. */
  async canManageRegionPath(regionPath: string): Promise<boolean> {
    if (isAdmin(this.viewer)) return true
    if (!hasRole(this.viewer, ...OFFICER_ROLES)) return false
    return this.inRegionSubtree(regionPath)
  }

  /** Phones and ID numbers are shown in full only to roles that need them (PIPL). */
  seesPersonalData(ownerUserId?: string | null): boolean {
    if (!this.viewer) return false
    if (ownerUserId && ownerUserId === this.viewer.userId) return true
    return isAdmin(this.viewer) || hasRole(this.viewer, ...OFFICER_ROLES)
  }
}

/** `王小明` → `王**`: names of private persons shown to others keep the surname only. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return name ?? null
  const chars = [...name.trim()]
  if (chars.length <= 1) return '*'
  return chars[0] + '*'.repeat(chars.length - 1)
}

/** `13812341234` → `138****1234`; shorter numbers keep their last 4 digits only. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null
  const digits = phone.replace(/\s+/g, '')
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`
  if (digits.length > 4) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`
  return '****'
}

/** `110105199001011234` → `110***********1234`: the first 3 and last 4 characters of an ID number. */
export function maskIdNumber(idNumber: string | null | undefined): string | null {
  if (!idNumber) return idNumber ?? null
  const id = idNumber.replace(/\s+/g, '')
  if (id.length <= 7) return '*'.repeat(id.length)
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`
}
