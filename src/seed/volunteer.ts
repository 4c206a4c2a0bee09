// Demo volunteer data (志愿服务 · 时间银行 · 爱心超市 · 微心愿) for every community with grids: two teams
// each with members, activities in every state with signups in every state, reward items and
// redemptions, micro-wishes in every state, and the time-bank ledgers they produce. Written with
// createMany and exactly as the services would have left it: `taken` counts the place-holding
// signups, every balance is the sum of its entries and every balanceAfter the running sum, versions
// count the steps, timelines hold every step, and the completed service of linked party members
// (and confirmed wishes) is credited to their yearly dual-reporting record.
import type { PrismaClient } from '../db.js'
import type {
  ActivityStatus,
  ActivityType,
  MicroWishStatus,
  Prisma,
  RedemptionStatus,
  SignupStatus,
  VolunteerTeamKind,
} from '../generated/prisma/client.js'
import { serviceYear } from '../modules/party/transitions.js'
import { eventRow, type VolunteerEntity } from '../modules/volunteer/events.js'
import { newId } from '../shared/ids.js'
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

interface Rows {
  teams: Prisma.VolunteerTeamCreateManyInput[]
  members: Prisma.VolunteerTeamMemberCreateManyInput[]
  activities: Prisma.VolunteerActivityCreateManyInput[]
  signups: Prisma.ActivitySignupCreateManyInput[]
  items: Prisma.RewardItemCreateManyInput[]
  redemptions: Prisma.RedemptionCreateManyInput[]
  wishes: Prisma.MicroWishCreateManyInput[]
  events: Prisma.VolunteerEventCreateManyInput[]
  records: Prisma.ServiceRecordCreateManyInput[]
}

interface Movement {
  userId: string
  kind: 'SERVICE' | 'REDEMPTION' | 'ADJUSTMENT'
  points: number
  reason: string
  at: Date
  key: string
  sourceType: string
  sourceId: string
  actorId: string
}

/** Loads the volunteer data; call once, after the territory and the party data. */
export async function seedVolunteer(prisma: PrismaClient): Promise<VolunteerSummary> {
  const rnd = seededRandom(20261129)
  const now = new Date(Math.floor(Date.now() / HOUR) * HOUR)
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
      partyMember: { select: { id: true, homeCommunityId: true, active: true } },
    },
  })
  const unitOrgs = new Map(
    (
      await prisma.partyOrg.findMany({
        where: { level: 'UNIT_ORG', active: true, unitId: { not: null } },
        orderBy: { createdAt: 'asc' },
      })
    )
      .reverse()
      .map((o) => [o.unitId!, o.id]),
  )

  // who serves where: officers by region, volunteers by grid, unit, home; residents round-robin
  const officers = new Map<string, string>()
  const pool = new Map<string, typeof users>(communities.map((c) => [c.id, []]))
  let spread = 0
  for (const u of users) {
    for (const c of communities)
      if (u.roles.includes('COMMUNITY_OFFICER') && u.regionIds.includes(c.id) && !officers.has(c.id))
        officers.set(c.id, u.id)
    const home =
      u.assignments[0]?.grid.communityId ??
      u.unit?.communityId ??
      u.partyMember?.homeCommunityId ??
      (u.roles.some((r) => r === 'RESIDENT' || r === 'PARTY_MEMBER')
        ? communities[spread++ % communities.length]?.id
        : undefined)
    if (home && pool.has(home)) pool.get(home)!.push(u)
  }
  const fallbackOfficer = users.find((u) => u.roles.includes('ADMIN'))?.id
  const rows: Rows = {
    teams: [],
    members: [],
    activities: [],
    signups: [],
    items: [],
    redemptions: [],
    wishes: [],
    events: [],
    records: [],
  }
  const moves: Movement[] = []
  const event = (
    entity: VolunteerEntity,
    entityId: string,
    actorId: string | null,
    action: string,
    from: string | null,
    to: string | null,
    at: Date,
    note: string | null = null,
  ) =>
    rows.events.push({ id: newId(), ...eventRow({ entity, entityId, actorId, action, from, to, note }), createdAt: at })

  communities.forEach((c, ci) => {
    const officer = officers.get(c.id) ?? fallbackOfficer
    const people = pool.get(c.id)!
    if (!officer || people.length < 4) return
    // linked party members first: their service shows on their yearly record
    const volunteers = [...people.filter((u) => u.partyMember?.active), ...people.filter((u) => !u.partyMember?.active)]

    const teamIds = [0, 1].map((k) => {
      const [kind, name] = TEAMS[(ci * 2 + k) % TEAMS.length]!
      const id = newId()
      const members = rnd.some(volunteers, Math.min(volunteers.length, rnd.int(4, 8)))
      rows.teams.push({
        id,
        name: `${c.name}${name}`,
        kind,
        description: `${c.name}${name}，常态化开展志愿服务`,
        communityId: c.id,
        leaderId: members[0]!.id,
        createdAt: new Date(now.getTime() - 200 * DAY),
      })
      for (const m of members)
        rows.members.push({
          id: newId(),
          teamId: id,
          userId: m.id,
          joinedAt: new Date(now.getTime() - rnd.int(30, 190) * DAY),
        })
      event('VolunteerTeam', id, officer, 'CREATE', null, null, new Date(now.getTime() - 200 * DAY), name)
      return id
    })

    STORIES.forEach((status, ai) => {
      const [type, title, description] = ACTIVITIES[(ci + ai) % ACTIVITIES.length]!
      const id = newId()
      const grid = c.grids[ai % c.grids.length]!
      const hours = rnd.int(2, 4)
      const startsAt = new Date(
        status === 'FINISHED'
          ? now.getTime() - (ai * 4 + 2) * DAY
          : status === 'ONGOING'
            ? now.getTime() - HOUR
            : status === 'CANCELLED'
              ? now.getTime() + (ai - 10) * DAY
              : now.getTime() + (ai + 1) * DAY,
      )
      const endsAt = new Date(startsAt.getTime() + hours * HOUR)
      const capacity = rnd.int(6, 12)
      const pointsPerHour = rnd.pick([5, 10, 10, 15, 20])
      const created = new Date(Math.min(startsAt.getTime(), now.getTime()) - 7 * DAY)
      const path: [string, ActivityStatus | null, ActivityStatus][] = [['CREATE', null, 'DRAFT']]
      if (status !== 'DRAFT') path.push(['PUBLISH', 'DRAFT', 'PUBLISHED'])
      if (status === 'ONGOING' || status === 'FINISHED') path.push(['START', 'PUBLISHED', 'ONGOING'])
      if (status === 'FINISHED') path.push(['FINISH', 'ONGOING', 'FINISHED'])
      if (status === 'CANCELLED') path.push(['CANCEL', 'PUBLISHED', 'CANCELLED'])
      path.forEach(([action, from, to], i) => {
        event(
          'VolunteerActivity',
          id,
          officer,
          action,
          from,
          to,
          new Date(created.getTime() + i * DAY),
          action === 'CANCEL' ? '天气原因取消' : null,
        )
      })

      // signups: whose fate depends on the activity's state
      const fates: SignupStatus[] =
        status === 'FINISHED'
          ? ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'NO_SHOW', 'CANCELLED']
          : status === 'ONGOING'
            ? ['CHECKED_IN', 'CHECKED_IN', 'SIGNED_UP', 'CANCELLED']
            : status === 'PUBLISHED'
              ? ['SIGNED_UP', 'SIGNED_UP', 'SIGNED_UP', 'CANCELLED']
              : status === 'CANCELLED'
                ? ['CANCELLED', 'CANCELLED']
                : []
      const who = ai % 3 === 0 ? volunteers.slice(0, fates.length) : rnd.some(volunteers, fates.length)
      let taken = 0
      fates.slice(0, who.length).forEach((fate, si) => {
        const u = who[si]!
        const sid = newId()
        const signedAt = new Date(created.getTime() + DAY + si * HOUR)
        const checkedInAt =
          fate === 'COMPLETED' || fate === 'CHECKED_IN' ? new Date(startsAt.getTime() + rnd.int(0, 20) * 60_000) : null
        const served = fate === 'COMPLETED' ? Math.max(1, hours - rnd.int(0, 1)) : null
        const checkedOutAt = served ? new Date(startsAt.getTime() + served * HOUR) : null
        const points = served ? served * pointsPerHour : null
        const steps: [string, SignupStatus | null, SignupStatus, Date][] = [['SIGN_UP', null, 'SIGNED_UP', signedAt]]
        if (checkedInAt) steps.push(['CHECK_IN', 'SIGNED_UP', 'CHECKED_IN', checkedInAt])
        if (checkedOutAt)
          steps.push(
            ['CHECK_OUT', 'CHECKED_IN', 'CHECKED_IN', checkedOutAt],
            ['COMPLETE', 'CHECKED_IN', 'COMPLETED', endsAt],
          )
        if (fate === 'NO_SHOW') steps.push(['NO_SHOW', 'SIGNED_UP', 'NO_SHOW', endsAt])
        const cancelledAt = fate === 'CANCELLED' ? new Date(signedAt.getTime() + HOUR) : null
        if (cancelledAt) steps.push(['CANCEL', 'SIGNED_UP', 'CANCELLED', cancelledAt])
        for (const [action, from, to, at] of steps)
          event('ActivitySignup', sid, ['COMPLETE', 'NO_SHOW'].includes(action) ? officer : u.id, action, from, to, at)
        if (fate !== 'CANCELLED') taken++
        rows.signups.push({
          id: sid,
          activityId: id,
          userId: u.id,
          status: fate,
          checkedInAt,
          checkedOutAt,
          hours: served,
          points,
          completedAt: served ? endsAt : null,
          cancelledAt,
          activeSlot: fate === 'CANCELLED' ? null : true,
          version: steps.length - 1,
          createdAt: signedAt,
        })
        if (served && points !== null) {
          moves.push({
            userId: u.id,
            kind: 'SERVICE',
            points,
            reason: `志愿服务：${title}（${served} 小时）`,
            at: endsAt,
            key: `complete:${sid}:seed`,
            sourceType: 'ActivitySignup',
            sourceId: sid,
            actorId: officer,
          })
          if (u.partyMember?.active) {
            rows.records.push({
              kind: 'ACTIVITY_HOURS',
              sourceId: sid,
              memberId: u.partyMember.id,
              hours: served,
              occurredAt: checkedInAt!,
              year: serviceYear(checkedInAt!),
              communityId: c.id,
              note: title,
              recordedById: officer,
            })
          }
        }
      })
      rows.activities.push({
        id,
        title,
        description,
        type,
        status,
        communityId: c.id,
        gridId: grid.id,
        place: `${c.name}${ai % 2 ? '党群服务中心' : '小区广场'}`,
        startsAt,
        endsAt,
        capacity,
        taken,
        pointsPerHour,
        organizerId: officer,
        teamId: ai % 3 === 2 ? null : teamIds[ai % 2]!,
        cancelReason: status === 'CANCELLED' ? '天气原因取消' : null,
        publishedAt: status === 'DRAFT' ? null : new Date(created.getTime() + DAY),
        closedAt:
          status === 'FINISHED' ? endsAt : status === 'CANCELLED' ? new Date(created.getTime() + 2 * DAY) : null,
        version: path.length - 1,
        createdAt: created,
      })
    })

    // micro-wishes in every state, claimed by linked party members or unit contacts
    const members = volunteers.filter((u) => u.partyMember?.active)
    const contacts = users.filter((u) => u.roles.includes('UNIT_CONTACT') && u.unit?.communityId === c.id)
    const residents = volunteers.filter((u) => u.roles.includes('RESIDENT'))
    WISH_STATES.forEach((status, wi) => {
      const id = newId()
      const created = new Date(now.getTime() - (30 - wi) * DAY)
      const wisher = residents.length ? residents[wi % residents.length]! : null
      const byUnit = wi % 2 === 1 && contacts.length > 0
      const claimer =
        status === 'OPEN' || (status === 'CANCELLED' && wi % 2 === 0)
          ? null
          : byUnit
            ? contacts[wi % contacts.length]!
            : (members[wi % Math.max(1, members.length)] ?? contacts[0] ?? null)
      const claimedAt = claimer ? new Date(created.getTime() + DAY) : null
      const fulfilledAt =
        claimer && ['FULFILLED', 'CONFIRMED'].includes(status) ? new Date(created.getTime() + 3 * DAY) : null
      const confirmedAt = status === 'CONFIRMED' && fulfilledAt ? new Date(created.getTime() + 4 * DAY) : null
      const rewardPoints = rnd.pick([10, 10, 20, 30])
      const finalStatus: MicroWishStatus =
        (status === 'CLAIMED' || status === 'FULFILLED' || status === 'CONFIRMED') && !claimer ? 'OPEN' : status
      const steps: [string, string | null, string, Date, string | null][] = [
        ['CREATE', null, 'OPEN', created, wisher ? null : `on behalf of ${'居民'}`],
      ]
      if (claimedAt && claimer) steps.push(['CLAIM', 'OPEN', 'CLAIMED', claimedAt, null])
      if (fulfilledAt && claimer) steps.push(['FULFIL', 'CLAIMED', 'FULFILLED', fulfilledAt, '已上门帮助完成'])
      if (confirmedAt && claimer) steps.push(['CONFIRM', 'FULFILLED', 'CONFIRMED', confirmedAt, '谢谢！'])
      if (finalStatus === 'CANCELLED')
        steps.push([
          'CANCEL',
          claimer ? 'CLAIMED' : 'OPEN',
          'CANCELLED',
          new Date(created.getTime() + 2 * DAY),
          '心愿已由家人帮助实现',
        ])
      for (const [action, from, to, at, note] of steps) {
        const actor =
          action === 'CLAIM' || action === 'FULFIL'
            ? claimer!.id
            : action === 'CONFIRM' || action === 'CANCEL'
              ? (wisher?.id ?? officer)
              : (wisher?.id ?? officer)
        event('MicroWish', id, actor, action, from, to, at, note)
      }
      const memberId = claimer && !byUnit ? (claimer.partyMember?.id ?? null) : null
      const unitId = claimer && (byUnit || !memberId) ? claimer.unitId : null
      rows.wishes.push({
        id,
        title: WISHES[(ci * 3 + wi) % WISHES.length]!,
        description: '居民通过网格员登记的微心愿',
        status: finalStatus,
        communityId: c.id,
        gridId: c.grids[wi % c.grids.length]!.id,
        wisherId: wisher?.id ?? null,
        wisherName: wisher ? null : '王秀英',
        createdById: wisher?.id ?? officer,
        deadline: new Date(now.getTime() + (wi + 5) * DAY),
        rewardPoints,
        claimedById: finalStatus === 'OPEN' ? null : (claimer?.id ?? null),
        claimerMemberId: finalStatus === 'OPEN' ? null : memberId,
        claimerUnitId: finalStatus === 'OPEN' ? null : unitId,
        claimedAt: finalStatus === 'OPEN' ? null : claimedAt,
        fulfilledAt,
        fulfilmentNote: fulfilledAt ? '已上门帮助完成' : null,
        confirmedAt,
        cancelReason: finalStatus === 'CANCELLED' ? '心愿已由家人帮助实现' : null,
        closedAt: confirmedAt ?? (finalStatus === 'CANCELLED' ? new Date(created.getTime() + 2 * DAY) : null),
        version: steps.length - 1,
        createdAt: created,
      })
      if (confirmedAt && claimer) {
        moves.push({
          userId: claimer.id,
          kind: 'SERVICE',
          points: rewardPoints,
          reason: `微心愿：${WISHES[(ci * 3 + wi) % WISHES.length]}`,
          at: confirmedAt,
          key: `wish:${id}:seed`,
          sourceType: 'MicroWish',
          sourceId: id,
          actorId: wisher?.id ?? officer,
        })
        const unitOrgId = unitId ? (unitOrgs.get(unitId) ?? null) : null
        if (memberId || unitOrgId)
          rows.records.push({
            kind: 'MICRO_WISH',
            sourceId: id,
            memberId,
            unitOrgId: memberId ? null : unitOrgId,
            hours: 0,
            occurredAt: fulfilledAt!,
            year: serviceYear(fulfilledAt!),
            communityId: c.id,
            note: '微心愿',
            recordedById: officer,
          })
      }
    })

    ITEMS.forEach(([name, pointsCost, stock]) => {
      const id = newId()
      rows.items.push({
        id,
        name,
        description: `${c.name}爱心超市`,
        pointsCost,
        stock,
        communityId: c.id,
        createdAt: new Date(now.getTime() - 60 * DAY),
      })
      event('RewardItem', id, officer, 'CREATE', null, null, new Date(now.getTime() - 60 * DAY), `${name} × ${stock}`)
    })
  })

  // redemptions: the best-earning people spend some of their points (never beyond the balance)
  const earned = new Map<string, number>()
  for (const m of moves) earned.set(m.userId, (earned.get(m.userId) ?? 0) + m.points)
  const itemsByCommunity = new Map<string, Prisma.RewardItemCreateManyInput[]>()
  for (const i of rows.items) itemsByCommunity.set(i.communityId, [...(itemsByCommunity.get(i.communityId) ?? []), i])
  const homeOf = new Map<string, string>()
  for (const a of rows.activities)
    for (const s of rows.signups.filter((x) => x.activityId === a.id))
      if (!homeOf.has(s.userId)) homeOf.set(s.userId, a.communityId)
  const fates: RedemptionStatus[] = ['FULFILLED', 'PENDING', 'CANCELLED', 'FULFILLED']
  let ri = 0
  for (const [userId, total] of [...earned].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) {
    const items = itemsByCommunity.get(homeOf.get(userId) ?? '') ?? []
    let balance = total
    for (const item of items) {
      if (balance < item.pointsCost || item.stock < 1 || ri >= communities.length * 8) continue
      const status = fates[ri++ % fates.length]!
      const id = newId()
      const at = new Date(now.getTime() - ((ri % 5) + 1) * HOUR)
      const officer = officers.get(item.communityId) ?? fallbackOfficer!
      rows.redemptions.push({
        id,
        itemId: item.id!,
        userId,
        quantity: 1,
        points: item.pointsCost,
        status,
        idempotencyKey: `seed-${id}`,
        decidedById: status === 'PENDING' ? null : status === 'CANCELLED' ? userId : officer,
        fulfilledAt: status === 'FULFILLED' ? new Date(at.getTime() + 10 * 60_000) : null,
        cancelledAt: status === 'CANCELLED' ? new Date(at.getTime() + 10 * 60_000) : null,
        cancelReason: status === 'CANCELLED' ? '暂时不需要了' : null,
        version: status === 'PENDING' ? 0 : 1,
        createdAt: at,
      })
      event('Redemption', id, userId, 'REDEEM', null, 'PENDING', at, `${item.name} × 1 = ${item.pointsCost}`)
      moves.push({
        userId,
        kind: 'REDEMPTION',
        points: -item.pointsCost,
        reason: `爱心超市兑换：${item.name} × 1`,
        at,
        key: `redeem:seed-${id}`,
        sourceType: 'Redemption',
        sourceId: id,
        actorId: userId,
      })
      if (status === 'CANCELLED') {
        const back = new Date(at.getTime() + 10 * 60_000)
        event('Redemption', id, userId, 'CANCEL', 'PENDING', 'CANCELLED', back, '暂时不需要了')
        moves.push({
          userId,
          kind: 'ADJUSTMENT',
          points: item.pointsCost,
          reason: `爱心超市退还：${item.name}（暂时不需要了）`,
          at: back,
          key: `refund:${id}:seed`,
          sourceType: 'Redemption',
          sourceId: id,
          actorId: userId,
        })
      } else {
        balance -= item.pointsCost
        item.stock -= 1
        if (status === 'FULFILLED')
          event('Redemption', id, officer, 'FULFIL', 'PENDING', 'FULFILLED', new Date(at.getTime() + 10 * 60_000))
      }
    }
  }

  // ledgers: chronological running sums
  const accounts = new Map<string, { id: string; balance: number; version: number }>()
  const entries: Prisma.PointsEntryCreateManyInput[] = []
  for (const m of moves.sort((x, y) => x.at.getTime() - y.at.getTime() || x.key.localeCompare(y.key))) {
    let a = accounts.get(m.userId)
    if (!a) accounts.set(m.userId, (a = { id: newId(), balance: 0, version: 0 }))
    a.balance += m.points
    a.version++
    if (a.balance < 0) throw new Error(`seed ledger of ${m.userId} would go below zero`)
    entries.push({
      accountId: a.id,
      kind: m.kind,
      points: m.points,
      balanceAfter: a.balance,
      reason: m.reason,
      actorId: m.actorId,
      idempotencyKey: m.key,
      sourceType: m.sourceType,
      sourceId: m.sourceId,
      createdAt: m.at,
    })
  }

  await prisma.$transaction(
    async (tx) => {
      await tx.volunteerTeam.createMany({ data: rows.teams })
      await tx.volunteerTeamMember.createMany({ data: rows.members })
      await tx.volunteerActivity.createMany({ data: rows.activities })
      await tx.activitySignup.createMany({ data: rows.signups })
      await tx.rewardItem.createMany({ data: rows.items })
      await tx.redemption.createMany({ data: rows.redemptions })
      await tx.microWish.createMany({ data: rows.wishes })
      await tx.pointsAccount.createMany({
        data: [...accounts].map(([userId, a]) => ({ id: a.id, userId, balance: a.balance, version: a.version })),
      })
      await tx.pointsEntry.createMany({ data: entries })
      await tx.volunteerEvent.createMany({ data: rows.events })
      await tx.serviceRecord.createMany({ data: rows.records, skipDuplicates: true })
      // one transaction for every street (nothing half-written); at --scale 50 that is some 100,000
      // rows, which took 65–99 s on a loaded 2-core machine
    },
    { timeout: 15 * 60_000 },
  )
  return {
    teams: rows.teams.length,
    activities: rows.activities.length,
    signups: rows.signups.length,
    entries: entries.length,
    redemptions: rows.redemptions.length,
    wishes: rows.wishes.length,
  }
}
