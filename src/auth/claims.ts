// Tokens and viewers for accounts in the database: the tokens printed at start (main.ts), by
// `npm run token`, and the ones tests and benches sign. A token names the account and, when asked,
// the roles it is limited to; scopes are not put in it, since the database grants them (accounts.ts).
import type { PrismaClient } from '../db.js'
import type { TokenClaims } from './jwt.js'
import type { RoleName, Viewer } from './viewer.js'
import { narrowToClaims, readGrants } from './accounts.js'

/** The claims of a token for this account, limited to `roles` when given (each must be held). */
export async function claimsForUser(prisma: PrismaClient, userId: string, roles?: RoleName[]): Promise<TokenClaims> {
  await viewerForUser(prisma, userId, roles)
  return roles ? { sub: userId, roles } : { sub: userId }
}

/** The viewer an account acts as (with `roles` it is limited to): scripts, the seed and tests. */
export async function viewerForUser(prisma: PrismaClient, userId: string, roles?: RoleName[]): Promise<Viewer> {
  const grants = (await readGrants(prisma, [userId])).get(userId)
  const missing = roles?.filter((r) => !grants?.roles.includes(r)) ?? []
  if (grants && missing.length) throw new Error(`user ${userId} does not have role(s) ${missing.join(', ')}`)
  try {
    return narrowToClaims(grants, { roles }, { userId })
  } catch (e) {
    throw new Error(`user ${userId}: ${(e as Error).message}`)
  }
}

/** One demo user per role (the first by username), for the tokens printed at start. */
export async function demoUsersByRole(prisma: PrismaClient): Promise<{ role: RoleName; userId: string; username: string }[]> {
  const users = await prisma.user.findMany({ where: { active: true }, orderBy: { username: 'asc' }, select: { id: true, username: true, roles: true } })
  const out: { role: RoleName; userId: string; username: string }[] = []
  for (const role of ['ADMIN', 'STREET_OFFICER', 'COMMUNITY_OFFICER', 'GRID_WORKER', 'DEPARTMENT_STAFF', 'PARTY_MEMBER', 'UNIT_CONTACT', 'RESIDENT'] as RoleName[]) {
    const u = users.find((x) => x.roles.includes(role))
    if (u) out.push({ role, userId: u.id, username: u.username })
  }
  return out
}
