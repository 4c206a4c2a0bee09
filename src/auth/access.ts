// Per-request helpers for one viewer: who may act on a region's rows (services) and a memo for
// answers shared by many rows (`within` filters need no lookup: see regionSubtrees in policy.ts). Who may READ a row is never decided
// here: that is the read policies' business (policy.ts, applied by the reader).
import type { PrismaClient } from '../db.js'
import { ForbiddenError } from '../shared/errors.js'
import { contactUnitOf, officerRegions } from './policy.js'
import { regionPaths } from './region-paths.js'
import { hasRole, isAdmin, OFFICER_ROLES, type Viewer } from './viewer.js'

export class AccessScope {
  #paths?: Promise<string[]>

  constructor(
    private readonly prisma: PrismaClient,
    readonly viewer: Viewer | null,
  ) {}

  requireViewer(): Viewer {
    if (!this.viewer) throw new ForbiddenError('Sign in first')
    return this.viewer
  }

  /** Materialised paths of the regions the viewer serves ("/city/district/street/"). */
  regionPaths(): Promise<string[]> {
    const ids = this.viewer?.regionIds ?? []
    this.#paths ??= ids.length
      ? this.prisma.region
          .findMany({ where: { id: { in: [...ids] } }, select: { path: true } })
          .then((r) => r.map((x) => x.path))
      : Promise.resolve([])
    return this.#paths
  }

  /** Whether a region (by its path, which holds every ancestor's id) lies in the viewer's subtrees; no lookup. */
  inRegionSubtree(regionPath: string): boolean {
    return (this.viewer?.regionIds ?? []).some((id) => regionPath.includes(`/${id}/`))
  }

  #memos = new Map<string, Promise<unknown>>()

  /** One answer per request and key: rows of a list often hang off the same few parents. */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.#memos.get(key) as Promise<T> | undefined
    if (!p) this.#memos.set(key, (p = fn()))
    return p
  }

  #subtree?: Promise<ReadonlySet<string>>

  /** Ids of every region in the officer's subtrees, read once per request (empty for non-officers). */
  subtreeRegionIds(): Promise<ReadonlySet<string>> {
    const regions = this.viewer && officerRegions(this.viewer)
    this.#subtree ??= regions
      ? this.prisma.region.findMany({ where: regions, select: { id: true } }).then((r) => new Set(r.map((x) => x.id)))
      : Promise.resolve(new Set<string>())
    return this.#subtree
  }

  /** The unit the viewer represents as its contact, if any. */
  contactUnit(): string | null {
    return this.viewer && contactUnitOf(this.viewer)
  }

  /**
   * Whether the viewer is an officer (of these roles; default either) whose region subtree holds the
   * region: a test on the region's path, which the process reads once (region-paths.ts).
   */
  async officerOf(
    regionId: string | null | undefined,
    ...roles: ('STREET_OFFICER' | 'COMMUNITY_OFFICER')[]
  ): Promise<boolean> {
    if (!regionId || !hasRole(this.viewer, ...(roles.length ? roles : OFFICER_ROLES))) return false
    const path = await regionPaths(this.prisma).load(regionId)
    return !!path && this.inRegionSubtree(path)
  }

  /** Admins, and officers whose subtree holds the region: they manage what belongs to it. */
  async managesRegion(regionId: string | null | undefined): Promise<boolean> {
    return isAdmin(this.viewer) || this.officerOf(regionId)
  }

  /** Officers (and admins) manage the territory of their region subtree. */
  async canManageRegionPath(regionPath: string): Promise<boolean> {
    if (isAdmin(this.viewer)) return true
    if (!hasRole(this.viewer, ...OFFICER_ROLES)) return false
    return this.inRegionSubtree(regionPath)
  }
}
