// Token claims for a user, derived from the database: roles plus the scopes of DESIGN §5
// (regions, grids from active assignments, department, unit).
import type { PrismaClient } from '../db.js'
import type { TokenClaims } from './jwt.js'
import type { RoleName } from './viewer.js'

export async function claimsForUser(prisma: PrismaClient, userId: string, roles?: RoleName[]): Promise<TokenClaims> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    include: { assignments: { where: { endedAt: null }, select: { gridId: true } }, department: { select: { regionId: true } } },
  })
  if (!user) throw new Error(`no user with id ${userId}`)
  if (!user.active) throw new Error(`user ${user.username} is deactivated`)
  const granted = roles ?? user.roles
  const missing = granted.filter((r) => !user.roles.includes(r))
  if (missing.length) throw new Error(`user ${user.username} does not have role(s) ${missing.join(', ')}`)
  const regions = new Set(user.regionIds)
  if (user.department) regions.add(user.department.regionId)
  return {
    sub: user.id,
    roles: granted,
    regions: [...regions],
    grids: [...new Set(user.assignments.map((a) => a.gridId))],
    department: user.departmentId,
    unit: user.unitId,
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
