// Tokens and viewers for accounts in the database: the tokens printed at start (main.ts), by
// `npm run token`, and the ones tests and benches sign; the demo accounts they are printed for.
// A token names the account and, when asked, the roles it is limited to; scopes are not put in it,
// since the database grants them (accounts.ts).
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

/**
 * The demo account of each role: printed with a token at start (main.ts), listed by `npm run db:seed`,
 * and signed for by `npm run token -- --role <ROLE>`. Chosen so that README.md's example queries work in
 * order with them: the worker of the grid the examples point at reports a 环境卫生 case, the officer of
 * its community accepts and dispatches it, AUTO routing sends the lead order to the street's 环卫所
 * (dept.CGHW), and party.member.4 is the linked member the seed leaves without a dual report.
 * tests/e2e/server/readme-examples.test.ts holds these choices to the README.
 */
export const DEMO_USERNAMES: Readonly<Record<RoleName, string>> = {
  ADMIN: 'admin',
  STREET_OFFICER: 'street.officer',
  COMMUNITY_OFFICER: 'community.officer.1',
  GRID_WORKER: 'grid.worker.CG-DM-01.leader',
  DEPARTMENT_STAFF: 'dept.CGHW',
  PARTY_MEMBER: 'party.member.4',
  UNIT_CONTACT: 'unit.contact.1',
  RESIDENT: 'resident.1',
}

export interface DemoUser {
  role: RoleName
  userId: string
  username: string
}

/**
 * One active demo user per role, in DEMO_USERNAMES order: that account when it exists, is active and
 * holds the role, otherwise the first active holder of the role by username (data not from the demo seed).
 */
export async function demoUsersByRole(prisma: PrismaClient): Promise<DemoUser[]> {
  const users = await prisma.user.findMany({
    where: { active: true },
    orderBy: { username: 'asc' },
    select: { id: true, username: true, roles: true },
  })
  const out: DemoUser[] = []
  for (const [role, username] of Object.entries(DEMO_USERNAMES) as [RoleName, string][]) {
    const u =
      users.find((x) => x.username === username && x.roles.includes(role)) ?? users.find((x) => x.roles.includes(role))
    if (u) out.push({ role, userId: u.id, username: u.username })
  }
  return out
}
