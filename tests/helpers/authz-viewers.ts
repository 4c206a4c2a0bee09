// The viewers of the authorization table test: anonymous, plus two accounts per role, found in
// the seeded database by role and scope (never by id). Side `a` serves or lives in community A
// (the first community with grids), side `b` in community B — the "in scope" and "out of scope"
// viewer of every row of A. Admins have no scope: the single seeded admin is side `a`.
import type { PrismaClient } from '../../src/db.js'
import type { RoleName } from '../../src/auth/viewer.js'
import { newId } from '../../src/shared/ids.js'
import { twoCommunities, userWithRole } from './fixtures.js'

export const ROLES: RoleName[] = [
  'ADMIN',
  'STREET_OFFICER',
  'COMMUNITY_OFFICER',
  'GRID_WORKER',
  'DEPARTMENT_STAFF',
  'PARTY_MEMBER',
  'UNIT_CONTACT',
  'RESIDENT',
]

export interface TableViewer {
  /** e.g. `COMMUNITY_OFFICER:a` */
  key: string
  role: RoleName
  side: 'a' | 'b'
  username: string
  userId: string
  /** Why this account: its scope. */
  scope: string
}

/**
 * A second street with its own officer, when the seed has one street only: the street officer
 * "out of scope" of every row of the seeded street. Created in the test's own database.
 */
async function secondStreetOfficer(prisma: PrismaClient, firstStreetId: string) {
  const first = await prisma.region.findUniqueOrThrow({ where: { id: firstStreetId } })
  const other = await prisma.region.findFirst({
    where: { level: 'STREET', id: { not: first.id } },
    orderBy: { code: 'asc' },
  })
  if (other) {
    const officer = await prisma.user.findFirst({
      where: { roles: { has: 'STREET_OFFICER' }, regionIds: { has: other.id } },
      orderBy: { username: 'asc' },
    })
    if (officer) return { user: officer, street: other }
  }
  const id = newId()
  const street =
    other ??
    (await prisma.region.create({
      data: {
        id,
        code: `${first.code}-AUTHZ`,
        name: '授权测试街道',
        level: 'STREET',
        parentId: first.parentId,
        path: `${first.path.slice(0, first.path.length - first.id.length - 1)}${id}/`,
      },
    }))
  const user = await prisma.user.create({
    data: {
      id: newId(),
      username: 'street.officer.authz',
      displayName: '测试街道干部',
      roles: ['STREET_OFFICER'],
      regionIds: [street.id],
    },
  })
  return { user, street }
}

export async function findViewers(
  prisma: PrismaClient,
): Promise<{ viewers: TableViewer[]; communities: { a: string; b: string } }> {
  const { a, b, officerA, officerB } = await twoCommunities(prisma)
  const viewers: TableViewer[] = []
  const add = (role: RoleName, side: 'a' | 'b', user: { username: string; id: string }, scope: string) =>
    viewers.push({ key: `${role}:${side}`, role, side, username: user.username, userId: user.id, scope })

  add('ADMIN', 'a', await userWithRole(prisma, 'ADMIN'), 'everything')

  const streetOfficer = await userWithRole(prisma, 'STREET_OFFICER', { regionIds: { has: a.parentId! } })
  add('STREET_OFFICER', 'a', streetOfficer, `street ${a.parentId} (holds communities A and B)`)
  const second = await secondStreetOfficer(prisma, a.parentId!)
  add('STREET_OFFICER', 'b', second.user, `street ${second.street.code} (another street)`)

  add('COMMUNITY_OFFICER', 'a', officerA, `community ${a.code}`)
  add('COMMUNITY_OFFICER', 'b', officerB, `community ${b.code}`)

  for (const [side, community] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const assignment = await prisma.gridAssignment.findFirstOrThrow({
      where: { role: 'LEADER', endedAt: null, grid: { communityId: community.id } },
      orderBy: { grid: { code: 'asc' } },
      include: { user: true, grid: true },
    })
    add('GRID_WORKER', side, assignment.user, `grid ${assignment.grid.code}`)
  }

  // the two departments with the most orders, so that each has rows the other must not see
  const byDepartment = await prisma.dispatchOrder.groupBy({
    by: ['departmentId'],
    where: { departmentId: { not: null } },
    _count: { _all: true },
  })
  const busiest = byDepartment
    .sort((x, y) => y._count._all - x._count._all || String(x.departmentId).localeCompare(String(y.departmentId)))
    .slice(0, 2)
  if (busiest.length < 2) throw new Error('seed has fewer than two departments with orders')
  for (const [i, row] of busiest.entries()) {
    const staff = await userWithRole(prisma, 'DEPARTMENT_STAFF', { departmentId: row.departmentId })
    const dept = await prisma.department.findUniqueOrThrow({ where: { id: row.departmentId! } })
    add('DEPARTMENT_STAFF', i === 0 ? 'a' : 'b', staff, `department ${dept.code}`)
  }

  for (const [side, community] of [
    ['a', a],
    ['b', b],
  ] as const) {
    const member = await prisma.user.findFirstOrThrow({
      where: { roles: { has: 'PARTY_MEMBER' }, partyMember: { homeCommunityId: community.id } },
      orderBy: { username: 'asc' },
    })
    add('PARTY_MEMBER', side, member, `lives in ${community.code}`)
    const contact = await prisma.user.findFirstOrThrow({
      where: { roles: { has: 'UNIT_CONTACT' }, unit: { communityId: community.id } },
      orderBy: { username: 'asc' },
      include: { unit: true },
    })
    add('UNIT_CONTACT', side, contact, `unit ${contact.unit!.name} in ${community.code}`)
  }

  const residents = await prisma.user.findMany({
    where: { roles: { equals: ['RESIDENT'] }, active: true },
    orderBy: { username: 'asc' },
    take: 2,
  })
  if (residents.length < 2) throw new Error('seed has fewer than two residents')
  add('RESIDENT', 'a', residents[0]!, 'their own rows')
  add('RESIDENT', 'b', residents[1]!, 'their own rows')

  return { viewers, communities: { a: a.id, b: b.id } }
}
