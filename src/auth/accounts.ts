// Tokens identify; the database authorises (DESIGN §5). What an account may do (its roles, its
// scopes and whether it is active) is read from PostgreSQL per request through a short cache, and
// the token's claims can only narrow it. A change to an account invalidates its entry here and,
// through the bus, on every other instance: a deactivation or a role change takes effect at once
// where it was made and within the cache's lifetime anywhere else.
import DataLoader from 'dataloader'
import type { PrismaClient } from '../db.js'
import type { AppPubSub } from '../pubsub.js'
import type { TokenClaims } from './jwt.js'
import type { RoleName, Viewer } from './viewer.js'

/** What the database grants an account. */
export interface Grants {
  userId: string
  active: boolean
  roles: readonly RoleName[]
  /** Region subtrees: the account's own scopes and its department's region. */
  regionIds: readonly string[]
  /** Grids of the account's active assignments. */
  gridIds: readonly string[]
  departmentId: string | null
  unitId: string | null
}

/** Reads the grants of these accounts in one statement; unknown ids are absent from the map. */
export async function readGrants(prisma: PrismaClient, ids: readonly string[]): Promise<Map<string, Grants>> {
  const users = await prisma.user.findMany({
    relationLoadStrategy: 'join',
    where: { id: { in: [...ids] } },
    select: {
      id: true,
      active: true,
      roles: true,
      regionIds: true,
      departmentId: true,
      unitId: true,
      assignments: { where: { endedAt: null }, select: { gridId: true } },
      department: { select: { regionId: true } },
    },
  })
  return new Map(
    users.map((u) => [
      u.id,
      {
        userId: u.id,
        active: u.active,
        roles: u.roles,
        regionIds: [...new Set([...u.regionIds, ...(u.department ? [u.department.regionId] : [])])],
        gridIds: [...new Set(u.assignments.map((a) => a.gridId))],
        departmentId: u.departmentId,
        unitId: u.unitId,
      },
    ]),
  )
}

/** A token's claims about what its bearer may do; any of them may be absent (then the grant stands). */
export type ClaimedScopes = Partial<Pick<TokenClaims, 'roles' | 'regions' | 'grids' | 'department' | 'unit'>>

export class AccountRefused extends Error {}

/** Same grants, same key: a socket whose account's key changed is closed (sessions.ts). */
export const grantsKey = (g: Grants): string =>
  JSON.stringify([
    g.active,
    [...g.roles].sort(),
    [...g.regionIds].sort(),
    [...g.gridIds].sort(),
    g.departmentId,
    g.unitId,
  ])

/**
 * The viewer a token may act as: the account's grants, narrowed by what the token claims. A claim
 * never widens: roles, regions and grids are intersected with the grants, a department or unit
 * other than the account's own is dropped. Throws AccountRefused for an unknown or inactive account,
 * or a token that leaves no role the account holds.
 */
export function narrowToClaims(
  grants: Grants | undefined,
  claims: ClaimedScopes,
  token: { userId: string; expiresAt?: number },
): Viewer {
  if (!grants) throw new AccountRefused('Unknown account')
  if (!grants.active) throw new AccountRefused('Account deactivated')
  const within = <T>(granted: readonly T[], claimed: readonly T[] | null | undefined) =>
    claimed == null ? [...granted] : granted.filter((x) => claimed.includes(x))
  const roles = within(grants.roles, claims.roles)
  if (!roles.length) throw new AccountRefused('The token claims no role this account holds')
  const narrowTo = (granted: string | null, claimed: string | null | undefined) =>
    claimed === undefined || claimed === granted ? granted : null
  return {
    userId: grants.userId,
    roles: new Set(roles),
    regionIds: within(grants.regionIds, claims.regions),
    gridIds: within(grants.gridIds, claims.grids),
    departmentId: narrowTo(grants.departmentId, claims.department),
    unitId: narrowTo(grants.unitId, claims.unit),
    expiresAt: token.expiresAt,
    grantsKey: grantsKey(grants),
  }
}

export interface AccountDirectory {
  /** The account's grants, from the cache or one batched statement for every miss of the tick. */
  grants(userId: string): Promise<Grants | undefined>
  /** Reads these accounts afresh (bypassing and refilling the cache). */
  refresh(userIds: readonly string[]): Promise<Map<string, Grants>>
  /** Forgets an account here and on every instance (after a change to it or its assignments). */
  changed(userId: string): void
  /** Calls back when any instance reports a change to an account. */
  onChange(listener: (userId: string) => void): () => void
  stop(): void
}

export function createAccountDirectory(opts: {
  prisma: PrismaClient
  pubsub: AppPubSub
  ttlMs: number
}): AccountDirectory {
  const cached = new Map<string, { grants: Grants | undefined; until: number }>()
  const listeners = new Set<(userId: string) => void>()
  const loader = new DataLoader<string, Grants | undefined>(
    async (ids) => {
      const found = await readGrants(opts.prisma, ids)
      return ids.map((id) => found.get(id))
    },
    { cache: false, maxBatchSize: 1000 },
  )
  const remember = (id: string, grants: Grants | undefined) => {
    if (opts.ttlMs <= 0) return
    if (cached.size >= MAX_CACHED) cached.delete(cached.keys().next().value!)
    cached.set(id, { grants, until: Date.now() + opts.ttlMs })
  }
  const forget = (userId: string) => {
    cached.delete(userId)
    for (const l of listeners) l(userId)
  }

  // Changes reported by any instance (this one included: the bus delivers our own events too).
  const changes = opts.pubsub.subscribe('account:changed')
  void (async () => {
    for await (const { userId } of changes) forget(userId)
  })()

  return {
    async grants(userId) {
      const hit = cached.get(userId)
      if (hit && hit.until > Date.now()) return hit.grants
      const grants = await loader.load(userId)
      remember(userId, grants)
      return grants
    },
    async refresh(userIds) {
      const found = await readGrants(opts.prisma, userIds)
      for (const id of userIds) remember(id, found.get(id))
      return found
    },
    changed(userId) {
      cached.delete(userId)
      opts.pubsub.publish('account:changed', { userId })
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    stop() {
      void changes.return?.()
    },
  }
}

/** Accounts kept in the cache at most (the oldest entry goes first). */
const MAX_CACHED = 20_000
