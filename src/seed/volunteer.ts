// Demo volunteer data (志愿服务 · 时间银行 · 爱心超市 · 微心愿) for every community with grids: two teams
// each with members, activities in every state with signups in every state, reward items and
// redemptions, micro-wishes in every state, and the time-bank ledgers they produce. Everything is
// done through the volunteer services, acting as the seeded users (the community's officer
// organises, volunteers sign up and check in, wishers confirm, claimers fulfil), so places taken,
// balances, ledgers, versions, timelines and the service credited to linked party members are
// exactly what the API would have produced. Call after seedParty (linked members must exist).
// Deterministic: the same plan, texts and people on every run; timestamps are "now" (finished
// activities are those that ended early today, the rest lie ahead).
import type { PrismaClient } from '../db.js'
import type { ActivityStatus, ActivityType, MicroWishStatus, VolunteerTeamKind } from '../generated/prisma/client.js'
import {
  cancelActivity,
  cancelSignup,
  checkIn,
  checkOut,
  completeSignup,
  createActivity,
  finishActivity,
  signUp,
  startActivity,
} from '../modules/volunteer/activity.service.js'
import {
  cancelRedemption,
  createRewardItem,
  fulfilRedemption,
  redeemReward,
} from '../modules/volunteer/reward.service.js'
import { createTeam, setTeamMembership } from '../modules/volunteer/team.service.js'
import { cancelWish, claimWish, confirmWish, createWish, fulfilWish } from '../modules/volunteer/wish.service.js'
import { inLanes, SeedActors } from './actors.js'
import { seededRandom } from './random.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

const TEAMS: [VolunteerTeamKind, string][] = [
  ['PARTY_VANGUARD', '党员先锋队'],
  ['RAINBOW', '彩虹志愿服务队'],
  ['VETERANS', '老兵志愿服务队'],
  ['YOUTH', '青年志愿服务队'],
  ['ELDERLY_CARE', '银龄助老服务队'],
  ['OTHER', '邻里守望队'],
]
const ACTIVITIES: [ActivityType, string, string][] = [
  ['CIVILITY_PERSUASION', '文明养犬劝导', '在小区出入口劝导文明养犬、拴绳遛狗'],
  ['SAFETY_PATROL', '夜间平安巡逻', '沿网格巡查消防通道、电动车充电和治安隐患'],
  ['ELDERLY_CARE', '独居老人探访', '上门探访独居、空巢老人，代购代办'],
  ['ENVIRONMENT', '楼道杂物清理', '清理楼道堆物，整治环境卫生'],
  ['CULTURE', '社区书法进楼栋', '为居民书写春联、开展书法交流'],
  ['HEALTH', '义诊量血压', '为居民量血压、测血糖，开展健康咨询'],
  ['CIVILITY_PERSUASION', '垃圾分类督导', '在投放点指导居民分类投放'],
  ['SAFETY_PATROL', '防汛隐患排查', '排查低洼地段和地下车库防汛隐患'],
]
/** Per community, cycled: every state several times. */
const STORIES: ActivityStatus[] = [
  'FINISHED',
  'FINISHED',
  'PUBLISHED',
  'FINISHED',
  'ONGOING',
  'DRAFT',
  'FINISHED',
  'CANCELLED',
  'PUBLISHED',
  'FINISHED',
  'FINISHED',
  'PUBLISHED',
  'ONGOING',
  'FINISHED',
  'CANCELLED',
  'DRAFT',
  'FINISHED',
  'PUBLISHED',
]
const ITEMS: [string, number, number][] = [
  ['洗衣液 2kg', 30, 20],
  ['大米 5kg', 50, 10],
  ['理发服务券', 20, 15],
  ['家电维修服务', 40, 5],
]
const WISHES = [
  '想要一台助听器',
  '希望有人教我用智能手机',
  '孩子需要课外辅导',
  '家里水龙头漏水想请人修',
  '想要一副老花镜',
  '希望有人陪我去医院复查',
  '想给孙子买几本课外书',
  '楼道灯坏了希望修好',
  '想学习防诈骗知识',
  '需要一辆旧自行车',
]
const WISH_STATES: MicroWishStatus[] = [
  'OPEN',
  'CLAIMED',
  'FULFILLED',
  'CONFIRMED',
  'CANCELLED',
  'CONFIRMED',
  'OPEN',
  'CLAIMED',
  'CONFIRMED',
  'CANCELLED',
]

export interface VolunteerSummary {
  teams: number
  activities: number
  signups: number
  entries: number
  redemptions: number
  wishes: number
}

type Fate = 'COMPLETED' | 'CHECKED_IN' | 'SIGNED_UP' | 'NO_SHOW' | 'CANCELLED'

/** What finally happens to the signups of an activity in each state (no-shows are marked by finishing). */
const FATES: Record<ActivityStatus, Fate[]> = {
  FINISHED: ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'NO_SHOW', 'CANCELLED'],
  ONGOING: ['CHECKED_IN', 'CHECKED_IN', 'SIGNED_UP', 'CANCELLED'],
  PUBLISHED: ['SIGNED_UP', 'SIGNED_UP', 'SIGNED_UP', 'CANCELLED'],
  CANCELLED: ['SIGNED_UP', 'SIGNED_UP'],
  DRAFT: [],
}
const REDEMPTION_FATES = ['FULFILLED', 'PENDING', 'CANCELLED', 'FULFILLED'] as const
const CANCEL_REASON = '天气原因取消'
const WISH_CANCEL_REASON = '心愿已由家人帮助实现'

interface Person {
  id: string
  username: string
  roles: string[]
  member: boolean
}

interface ActivityPlan {
  status: ActivityStatus
  /** A finished activity took place this many days ago (its rows are moved there once written). */
  daysAgo: number
  input: {
    title: string
    description: string
    type: ActivityType
    communityId: string
    gridId: string
    place: string
    startsAt: Date
    endsAt: Date
    capacity: number
    pointsPerHour: number
    publish: boolean
  }
  signups: { who: Person; fate: Fate; hours: number; key: string }[]
}

interface WishPlan {
  status: MicroWishStatus
  input: Parameters<typeof createWish>[1]
  wisher: Person | null
  claimer: Person | null
  asUnit: boolean
  key: string
}

interface CommunityPlan {
  id: string
  officer: string
  teams: { input: Omit<Parameters<typeof createTeam>[1], 'communityId'>; members: Person[]; activities: number[] }[]
  activities: ActivityPlan[]
  wishes: WishPlan[]
  items: Parameters<typeof createRewardItem>[1][]
  people: Person[]
}

/** Loads the volunteer data through the services; call once, after the territory and the party data. */
export async function seedVolunteer(prisma: PrismaClient): Promise<VolunteerSummary> {
  // planned for every community, so that the draws stay the same; run where none was seeded yet
  const seeded = new Set(
    (await prisma.volunteerTeam.findMany({ distinct: ['communityId'], select: { communityId: true } })).map(
      (t) => t.communityId,
    ),
  )
  const plans = (await plan(prisma, new Date())).filter((c) => !seeded.has(c.id))
  const actors = new SeedActors(prisma)
  const finished: { id: string; daysAgo: number }[] = []
  // Communities, and a few activities in each, run side by side as they would through the API:
  // the services serialise what must be (places on the activity row, points on the account row).
  await inLanes(
    plans.map((c) => () => runCommunity(actors, c, finished)),
    3,
  )
  await backdateFinishedActivities(prisma, finished)
  await redeem(prisma, actors, plans)
  const communityIds = plans.map((c) => c.id)
  const inCommunities = { communityId: { in: communityIds } }
  const [teams, activities, signups, entries, redemptions, wishes] = await Promise.all([
    prisma.volunteerTeam.count({ where: inCommunities }),
    prisma.volunteerActivity.count({ where: inCommunities }),
    prisma.activitySignup.count({ where: { activity: inCommunities } }),
    prisma.pointsEntry.count(),
    prisma.redemption.count({ where: { item: inCommunities } }),
    prisma.microWish.count({ where: inCommunities }),
  ])
  return { teams, activities, signups, entries, redemptions, wishes }
}

/** Every community's teams, activities, signups, wishes and shelf, decided up front (the PRNG's order is fixed). */
async function plan(prisma: PrismaClient, now: Date): Promise<CommunityPlan[]> {
  const rnd = seededRandom(20261129)
  const communities = await prisma.region.findMany({
    where: { level: 'COMMUNITY', grids: { some: {} } },
    orderBy: { code: 'asc' },
    include: { grids: { orderBy: { code: 'asc' }, select: { id: true } } },
  })
  const users = await prisma.user.findMany({
    where: { active: true },
    orderBy: { username: 'asc' },
    select: {
      id: true,
      username: true,
      roles: true,
      regionIds: true,
      unitId: true,
      unit: { select: { communityId: true } },
      assignments: { where: { endedAt: null }, select: { grid: { select: { communityId: true } } } },
      partyMember: { select: { homeCommunityId: true, active: true } },
    },
  })
  const person = (u: (typeof users)[number]): Person => ({
    id: u.id,
    username: u.username,
    roles: u.roles,
    member: !!u.partyMember?.active,
  })

  // who serves where: officers by region, volunteers by grid, unit, home; residents round-robin
  const officers = new Map<string, string>()
  const pool = new Map<string, typeof users>(communities.map((c) => [c.id, []]))
  let spread = 0
  for (const u of users) {
    for (const c of communities)
      if (u.roles.includes('COMMUNITY_OFFICER') && u.regionIds.includes(c.id) && !officers.has(c.id))
        officers.set(c.id, u.username)
    const home =
      u.assignments[0]?.grid.communityId ??
      u.unit?.communityId ??
      u.partyMember?.homeCommunityId ??
      (u.roles.some((r) => r === 'RESIDENT' || r === 'PARTY_MEMBER')
        ? communities[spread++ % communities.length]?.id
        : undefined)
    if (home && pool.has(home)) pool.get(home)!.push(u)
  }

  const plans: CommunityPlan[] = []
  communities.forEach((c, ci) => {
    const officer = officers.get(c.id)
    const people = pool.get(c.id)!
    if (!officer || people.length < 4) return
    // linked party members first: their service shows on their yearly record
    const volunteers = [
      ...people.filter((u) => u.partyMember?.active),
      ...people.filter((u) => !u.partyMember?.active),
    ].map(person)
    const p: CommunityPlan = { id: c.id, officer, teams: [], activities: [], wishes: [], items: [], people: volunteers }
    plans.push(p)

    for (const k of [0, 1]) {
      const [kind, name] = TEAMS[(ci * 2 + k) % TEAMS.length]!
      const members = rnd.some(volunteers, Math.min(volunteers.length, rnd.int(4, 8)))
      p.teams.push({
        input: {
          name: `${c.name}${name}`,
          kind,
          description: `${c.name}${name}，常态化开展志愿服务`,
          leaderId: members[0]!.id,
        },
        members,
        activities: [],
      })
    }

    STORIES.forEach((status, ai) => {
      const [type, title, description] = ACTIVITIES[(ci + ai) % ACTIVITIES.length]!
      const grid = c.grids[ai % c.grids.length]!
      const hours = rnd.int(2, 4)
      // The services take sign-ups only before the end: finished activities ended early today (the
      // organizer closes them half an hour before the planned end), ongoing ones started an hour ago.
      const startsAt =
        status === 'FINISHED'
          ? new Date(now.getTime() + 30 * 60_000 - hours * HOUR)
          : status === 'ONGOING'
            ? new Date(now.getTime() - HOUR)
            : new Date(now.getTime() + (ai + 1) * DAY)
      const capacity = rnd.int(6, 12)
      const pointsPerHour = rnd.pick([5, 10, 10, 15, 20])
      const fates = FATES[status]
      const who = ai % 3 === 0 ? volunteers.slice(0, fates.length) : rnd.some(volunteers, fates.length)
      const team = ai % 3 === 2 ? null : ai % 2
      if (team !== null) p.teams[team]!.activities.push(p.activities.length)
      p.activities.push({
        status,
        daysAgo: status === 'FINISHED' ? 2 + ((ci * 37 + ai * 53) % 190) : 0,
        input: {
          title,
          description,
          type,
          communityId: c.id,
          gridId: grid.id,
          place: `${c.name}${ai % 2 ? '党群服务中心' : '小区广场'}`,
          startsAt,
          endsAt: new Date(startsAt.getTime() + hours * HOUR),
          capacity,
          pointsPerHour,
          publish: status !== 'DRAFT',
        },
        signups: who.map((u, si) => ({
          who: u,
          fate: fates[si]!,
          hours: fates[si] === 'COMPLETED' ? Math.max(1, hours - rnd.int(0, 1)) : 0,
          key: `demo-activity-${ci + 1}-${ai + 1}-${si + 1}`,
        })),
      })
    })

    // micro-wishes in every state, recorded by the officer for residents, claimed by linked party
    // members or unit contacts
    const members = volunteers.filter((u) => u.member && u.roles.includes('PARTY_MEMBER'))
    const contacts = users.filter((u) => u.roles.includes('UNIT_CONTACT') && u.unit?.communityId === c.id).map(person)
    const residents = volunteers.filter((u) => u.roles.includes('RESIDENT'))
    WISH_STATES.forEach((status, wi) => {
      const wisher = residents.length ? residents[wi % residents.length]! : null
      const byUnit = wi % 2 === 1 && contacts.length > 0
      const claimer =
        status === 'OPEN' || (status === 'CANCELLED' && wi % 2 === 0)
          ? null
          : byUnit
            ? contacts[wi % contacts.length]!
            : (members[wi % Math.max(1, members.length)] ?? contacts[0] ?? null)
      p.wishes.push({
        status: claimer || status === 'CANCELLED' ? status : 'OPEN',
        input: {
          title: WISHES[(ci * 3 + wi) % WISHES.length]!,
          description: '居民通过网格员登记的微心愿',
          gridId: c.grids[wi % c.grids.length]!.id,
          deadline: new Date(now.getTime() + (wi + 5) * DAY),
          wisherId: wisher?.id ?? null,
          wisherName: wisher ? null : '王秀英',
          rewardPoints: rnd.pick([10, 10, 20, 30]),
        },
        wisher,
        claimer,
        asUnit: byUnit || !claimer?.member,
        key: `demo-wish-${ci + 1}-${wi + 1}`,
      })
    })

    for (const [name, pointsCost, stock] of ITEMS)
      p.items.push({ name, description: `${c.name}爱心超市`, pointsCost, stock, communityId: c.id })
  })
  return plans
}

/** One community's plan, step by step, as the people who take each step. */
async function runCommunity(
  actors: SeedActors,
  p: CommunityPlan,
  finished: { id: string; daysAgo: number }[],
): Promise<void> {
  const officer = await actors.as(p.officer)
  const as = (who: Person) => actors.as(who.username)

  const teamIds: string[] = []
  for (const t of p.teams) {
    const team = await createTeam(officer, { ...t.input, communityId: p.id })
    for (const m of t.members.slice(1))
      await setTeamMembership(officer, { teamId: team.id, userId: m.id, member: true })
    teamIds.push(team.id)
  }

  const run = async (a: ActivityPlan, ai: number) => {
    const team = p.teams.findIndex((t) => t.activities.includes(ai))
    let created = await createActivity(officer, { ...a.input, teamId: team < 0 ? null : teamIds[team]! })
    // volunteers sign up (some cancel) while it is published, side by side as they would come …
    const signedUp = await Promise.all(
      a.signups.map(async (plan) => {
        const ctx = await as(plan.who)
        const row = await signUp(ctx, { activityId: created.id })
        if (plan.fate === 'CANCELLED') await cancelSignup(ctx, { id: row.id, version: row.version })
        return { plan, ctx, row }
      }),
    )
    if (a.status === 'ONGOING' || a.status === 'FINISHED')
      created = await startActivity(officer, { id: created.id, version: created.version })
    // … then check in and out once it is under way, and the officer completes their hours
    await Promise.all(
      signedUp.map(async ({ plan, ctx, row }) => {
        if (plan.fate !== 'COMPLETED' && plan.fate !== 'CHECKED_IN') return
        const inside = await checkIn(ctx, { id: row.id, version: row.version })
        if (plan.fate === 'CHECKED_IN') return
        const out = await checkOut(ctx, { id: inside.id, version: inside.version })
        await completeSignup(officer, { id: out.id, version: out.version, hours: plan.hours, idempotencyKey: plan.key })
      }),
    )
    if (a.status === 'FINISHED') {
      await finishActivity(officer, { id: created.id, version: created.version })
      finished.push({ id: created.id, daysAgo: a.daysAgo })
    }
    if (a.status === 'CANCELLED')
      await cancelActivity(officer, { id: created.id, version: created.version, reason: CANCEL_REASON })
  }
  // Finished activities one after the other, oldest first: moved back to their days afterwards,
  // each volunteer's points entries stay in the order of their dates (a ledger's running balance).
  const indexed = p.activities.map((a, ai) => ({ a, ai }))
  for (const { a, ai } of indexed.filter(({ a }) => a.status === 'FINISHED').sort((x, y) => y.a.daysAgo - x.a.daysAgo))
    await run(a, ai)
  await inLanes(
    indexed
      .filter(({ a }) => a.status !== 'FINISHED')
      .map(
        ({ a, ai }) =>
          () =>
            run(a, ai),
      ),
    3,
  )

  for (const w of p.wishes) {
    let wish = await createWish(officer, w.input)
    const wisher = w.wisher ? await as(w.wisher) : officer
    if (w.claimer && w.status !== 'OPEN') {
      const claimer = await as(w.claimer)
      wish = await claimWish(claimer, { id: wish.id, version: wish.version, asUnit: w.asUnit })
      if (w.status === 'FULFILLED' || w.status === 'CONFIRMED')
        wish = await fulfilWish(claimer, { id: wish.id, version: wish.version, note: '已上门帮助完成' })
      if (w.status === 'CONFIRMED')
        wish = await confirmWish(wisher, { id: wish.id, version: wish.version, idempotencyKey: w.key, note: '谢谢！' })
    }
    if (w.status === 'CANCELLED')
      await cancelWish(wisher, { id: wish.id, version: wish.version, reason: WISH_CANCEL_REASON })
  }

  for (const item of p.items) await createRewardItem(officer, item)
}

/**
 * The one step that writes no workflow state: the services wrote each finished activity today, so
 * its rows — the activity, its signups, their timeline events, the points they earned and the
 * service hours credited to party members — move together to the day it took place, keeping every
 * interval between them (2 to 191 days ago; a service record takes the year of its new date).
 */
async function backdateFinishedActivities(prisma: PrismaClient, finished: { id: string; daysAgo: number }[]) {
  if (!finished.length) return
  const shifts = JSON.stringify(finished.map((f) => ({ id: f.id, days: f.daysAgo })))
  await prisma.$transaction([
    prisma.$executeRaw`WITH s AS (SELECT * FROM jsonb_to_recordset(${shifts}::jsonb) AS x(id uuid, days int))
      UPDATE "VolunteerActivity" a SET "startsAt" = a."startsAt" - s.days * interval '1 day',
        "endsAt" = a."endsAt" - s.days * interval '1 day', "publishedAt" = a."publishedAt" - s.days * interval '1 day',
        "closedAt" = a."closedAt" - s.days * interval '1 day', "createdAt" = a."createdAt" - s.days * interval '1 day'
      FROM s WHERE a.id = s.id`,
    prisma.$executeRaw`WITH s AS (SELECT * FROM jsonb_to_recordset(${shifts}::jsonb) AS x(id uuid, days int))
      UPDATE "ActivitySignup" g SET "checkedInAt" = g."checkedInAt" - s.days * interval '1 day',
        "checkedOutAt" = g."checkedOutAt" - s.days * interval '1 day', "completedAt" = g."completedAt" - s.days * interval '1 day',
        "cancelledAt" = g."cancelledAt" - s.days * interval '1 day', "createdAt" = g."createdAt" - s.days * interval '1 day'
      FROM s WHERE g."activityId" = s.id`,
    prisma.$executeRaw`WITH s AS (SELECT * FROM jsonb_to_recordset(${shifts}::jsonb) AS x(id uuid, days int))
      UPDATE "VolunteerEvent" e SET "createdAt" = e."createdAt" - s.days * interval '1 day'
      FROM s WHERE e."activityId" = s.id OR e."signupId" IN (SELECT id FROM "ActivitySignup" WHERE "activityId" = s.id)`,
    prisma.$executeRaw`WITH s AS (SELECT * FROM jsonb_to_recordset(${shifts}::jsonb) AS x(id uuid, days int))
      UPDATE "PointsEntry" p SET "createdAt" = p."createdAt" - s.days * interval '1 day'
      FROM s, "ActivitySignup" g WHERE g."activityId" = s.id AND p."sourceType" = 'ActivitySignup' AND p."sourceId" = g.id`,
    prisma.$executeRaw`WITH s AS (SELECT * FROM jsonb_to_recordset(${shifts}::jsonb) AS x(id uuid, days int))
      UPDATE "ServiceRecord" r SET "occurredAt" = r."occurredAt" - s.days * interval '1 day',
        year = extract(year FROM (r."occurredAt" - s.days * interval '1 day') AT TIME ZONE 'Asia/Shanghai')::int,
        "createdAt" = r."createdAt" - s.days * interval '1 day'
      FROM s, "ActivitySignup" g WHERE g."activityId" = s.id AND r.kind = 'ACTIVITY_HOURS' AND r."sourceId" = g.id`,
  ])
}

/** The best-earning people spend some of their points in their community's supermarket (never beyond the balance). */
async function redeem(prisma: PrismaClient, actors: SeedActors, plans: CommunityPlan[]): Promise<void> {
  const limit = plans.length * 8
  const earners: { who: Person; community: CommunityPlan; balance: number }[] = []
  for (const c of plans) {
    const balances = await prisma.pointsAccount.findMany({
      where: { userId: { in: c.people.map((u) => u.id) }, balance: { gt: 0 } },
      select: { userId: true, balance: true },
    })
    for (const b of balances)
      earners.push({ who: c.people.find((u) => u.id === b.userId)!, community: c, balance: b.balance })
  }
  earners.sort((x, y) => y.balance - x.balance || x.who.username.localeCompare(y.who.username))
  let ri = 0
  for (const e of earners) {
    const items = await prisma.rewardItem.findMany({
      where: { communityId: e.community.id },
      orderBy: { createdAt: 'asc' },
    })
    const ctx = await actors.as(e.who.username)
    const officer = await actors.as(e.community.officer)
    for (const item of items) {
      if (e.balance < item.pointsCost || ri >= limit) continue
      const fate = REDEMPTION_FATES[ri++ % REDEMPTION_FATES.length]!
      const r = await redeemReward(ctx, { itemId: item.id, quantity: 1, idempotencyKey: `demo-redeem-${ri}` })
      if (fate === 'CANCELLED')
        await cancelRedemption(ctx, {
          id: r.id,
          version: r.version,
          reason: '暂时不需要了',
          idempotencyKey: `demo-refund-${ri}`,
        })
      else e.balance -= item.pointsCost
      if (fate === 'FULFILLED') await fulfilRedemption(officer, { id: r.id, version: r.version })
    }
  }
}
