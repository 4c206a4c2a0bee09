// Volunteer statistics: service hours and points per person, team, grid, community or month, and a
// leaderboard. Raw SQL aggregates (parameterised; the grouping expression comes from a fixed map,
// never from input) over one "service" relation: completed signups plus confirmed micro-wishes.
// Officers see their region subtree, admins everything; everyone else only the public leaderboard,
// its names masked by personal-data.ts.
import type { Context } from '../../context.js'
import { Prisma } from '../../db.js'
import { hasRole, isAdmin, OFFICER_ROLES } from '../../auth/viewer.js'
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { maskName, seesPerson } from '../../auth/personal-data.js'
import { officerRegions } from '../../auth/policy.js'

export type HoursDimension = 'PERSON' | 'TEAM' | 'GRID' | 'COMMUNITY' | 'MONTH'

const KEY: Record<HoursDimension, Prisma.Sql> = {
  PERSON: Prisma.sql`sv."userId"::text`,
  TEAM: Prisma.sql`sv."teamId"::text`,
  GRID: Prisma.sql`sv."gridId"::text`,
  COMMUNITY: Prisma.sql`sv."communityId"::text`,
  // months in China Standard Time, like service years
  MONTH: Prisma.sql`to_char(sv."at" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`,
}

const SERVICE = Prisma.sql`
  SELECT s."userId", s."hours", COALESCE(s."points", 0) AS "points", a."communityId", a."teamId", a."gridId", COALESCE(s."completedAt", a."endsAt") AS "at"
    FROM "ActivitySignup" s JOIN "VolunteerActivity" a ON a."id" = s."activityId"
   WHERE s."status" = 'COMPLETED'
  UNION ALL
  SELECT w."claimedById", 0, w."rewardPoints", w."communityId", NULL::uuid, w."gridId", COALESCE(w."confirmedAt", w."updatedAt")
    FROM "MicroWish" w
   WHERE w."status" = 'CONFIRMED' AND w."claimedById" IS NOT NULL`

export interface StatsScope {
  withinId?: string | null
  from?: Date | null
  to?: Date | null
}

/** The region paths the rows must lie under (null = everywhere), for the viewer and an optional subtree. */
async function scopePaths(
  ctx: Context,
  withinId: string | null | undefined,
  officersOnly: boolean,
): Promise<string[] | null> {
  const v = ctx.access.requireViewer()
  const officer = hasRole(v, ...OFFICER_ROLES) && v.regionIds.length > 0
  if (officersOnly && !isAdmin(v) && !officer) throw new ForbiddenError('Officers read volunteer statistics')
  let within: string | null = null
  if (withinId) {
    const r = await ctx.prisma.region.findUnique({ where: { id: withinId }, select: { path: true } })
    if (!r) throw new NotFoundError('Region', withinId)
    within = r.path
  }
  if (isAdmin(v) || !officersOnly) return within ? [within] : null
  const mine = await ctx.access.regionPaths()
  if (!within) return mine
  // the requested subtree, as far as it lies in the viewer's
  if (mine.some((p) => within.startsWith(p))) return [within]
  const inside = mine.filter((p) => p.startsWith(within))
  if (!inside.length) throw new ForbiddenError('That region is outside yours')
  return inside
}

function whereSql(paths: string[] | null, s: StatsScope) {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`]
  if (paths) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM unnest(${paths}::text[]) p WHERE starts_with(c."path", p))`)
  if (s.from) parts.push(Prisma.sql`sv."at" >= ${s.from}`)
  if (s.to) parts.push(Prisma.sql`sv."at" < ${s.to}`)
  return Prisma.join(parts, ' AND ')
}

function checkPeriod(s: StatsScope) {
  if (s.from && s.to && s.to <= s.from) throw new ValidationFailedError([{ path: 'to', message: 'must be after from' }])
}

export interface HoursRow {
  key: string | null
  hours: number
  points: number
  services: number
  people: number
}

export async function volunteerHours(
  ctx: Context,
  dimension: HoursDimension,
  s: StatsScope,
  limit: number,
): Promise<HoursRow[]> {
  checkPeriod(s)
  const paths = await scopePaths(ctx, s.withinId, true)
  const key = KEY[dimension]
  const order = dimension === 'MONTH' ? Prisma.sql`1 ASC` : Prisma.sql`2 DESC, 1 ASC`
  return ctx.prisma.$queryRaw<HoursRow[]>`
    SELECT ${key} AS "key", COALESCE(SUM(sv."hours"), 0)::float8 AS "hours", COALESCE(SUM(sv."points"), 0)::int AS "points",
           COUNT(*)::int AS "services", COUNT(DISTINCT sv."userId")::int AS "people"
      FROM (${SERVICE}) sv JOIN "Region" c ON c."id" = sv."communityId"
     WHERE ${whereSql(paths, s)}
     GROUP BY 1 ORDER BY ${order} LIMIT ${limit}`
}

export type LeaderboardBy = 'HOURS' | 'POINTS'

export interface LeaderRow {
  rank: number
  userId: string
  displayName: string | null
  hours: number
  points: number
  services: number
  isYou: boolean
}

/**
 * Ranks people by hours or points earned in the period; public. A name is whole only for whom
 * personal-data.ts allows it: the person, admins, and officers whose region holds one of the
 * volunteer's communities here — those they served in on this board, their home as a party member,
 * the regions of their account.
 */
export async function leaderboard(ctx: Context, by: LeaderboardBy, s: StatsScope, limit: number): Promise<LeaderRow[]> {
  checkPeriod(s)
  const v = ctx.access.requireViewer()
  const paths = await scopePaths(ctx, s.withinId, false)
  const order = by === 'HOURS' ? Prisma.sql`"hours" DESC, "points" DESC` : Prisma.sql`"points" DESC, "hours" DESC`
  // only an officer can see a name whole through the volunteer's communities: others skip gathering them
  const officer = !!officerRegions(v)
  const communities = officer
    ? Prisma.sql`, array_cat(array_agg(DISTINCT sv."communityId"::text), u."regionIds"::text[] || pm."homeCommunityId"::text) AS "communityIds"`
    : Prisma.empty
  const rows = await ctx.prisma.$queryRaw<(Omit<LeaderRow, 'rank' | 'isYou'> & { communityIds?: string[] })[]>`
    SELECT sv."userId"::text AS "userId", u."displayName", COALESCE(SUM(sv."hours"), 0)::float8 AS "hours", COALESCE(SUM(sv."points"), 0)::int AS "points", COUNT(*)::int AS "services"${communities}
      FROM (${SERVICE}) sv JOIN "Region" c ON c."id" = sv."communityId" JOIN "User" u ON u."id" = sv."userId"
      ${officer ? Prisma.sql`LEFT JOIN "PartyMember" pm ON pm."userId" = sv."userId"` : Prisma.empty}
     WHERE ${whereSql(paths, s)}
     GROUP BY sv."userId", u."displayName"${officer ? Prisma.sql`, u."regionIds", pm."homeCommunityId"` : Prisma.empty} ORDER BY ${order}, sv."userId" LIMIT ${limit}`
  return Promise.all(
    rows.map(async ({ communityIds, ...r }, i) => ({
      ...r,
      rank: i + 1,
      isYou: r.userId === v.userId,
      displayName: (await seesPerson(ctx, { userId: r.userId, communityIds: communityIds ?? [] }))
        ? r.displayName
        : maskName(r.displayName),
    })),
  )
}
