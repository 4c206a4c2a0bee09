// Demo party data (党建引领) for every street of the demo territory: the four-level chain (街道党工委 →
// 社区党委 → 网格党支部 → 楼栋党小组) bound to the street, communities, grids and buildings; party
// organisations of most resident units; 216 members per street with homes, workplaces and skills;
// dual reports in every state (transfers after a move included) with their pledges; unit reports;
// service records over the years served and feedback to the workplaces on last year.
//
// The organisations and members are the register (written directly, like the territory). Every
// report's life, its pledges, the service records and the feedback go through the party services,
// acting as the seeded users (the member or unit contact, or the community officer on their behalf;
// the community officer decides, records and sends feedback), so versions, active slots and
// timelines are exactly what the API would have produced. The services act "now"; the plan spreads
// the reports over the last year and a half, so one last step, `backdateReports`, moves only the
// timestamps of each report, its timeline and its pledges to the planned dates. The four
// `party.member.N` accounts are linked to members: 1 approved into the first grid, 2 waiting for
// approval, 3 approved, 4 not reported yet.
import type { PrismaClient } from '../db.js'
import type { DualReport, Prisma, ServiceRecordKind, UnitKind } from '../generated/prisma/client.js'
import {
  approveDualReport,
  rejectDualReport,
  submitDualReport,
  transferDualReport,
  withdrawDualReport,
} from '../modules/party/dual-report.service.js'
import { idNumberCheck } from '../modules/party/id-number.js'
import { recordPartyService, sendPerformanceFeedback } from '../modules/party/service-record.service.js'
import { serviceYear, serviceYearStart } from '../modules/party/transitions.js'
import { newId } from '../shared/ids.js'
import { inLanes, SeedActors } from './actors.js'
import { seededRandom } from './random.js'

const DAY = 86_400_000
const HOUR = 3_600_000

/** The service catalogue (服务项目清单); `unit`: only units pledge it, `member`: only members. */
export const SERVICE_ITEMS: {
  code: string
  name: string
  category: string
  description: string
  forKind?: 'MEMBER' | 'UNIT'
}[] = [
  {
    code: 'POLICY_TALK',
    name: '政策理论宣讲',
    category: '宣传教育',
    description: '进楼栋、进院落宣讲党的政策和惠民政策',
  },
  { code: 'LEGAL_AID', name: '法律咨询', category: '专业服务', description: '为居民提供法律咨询、普法宣传和调解建议' },
  { code: 'HEALTH_CHECK', name: '义诊健康咨询', category: '专业服务', description: '健康讲座、量血压测血糖、慢病随访' },
  {
    code: 'ELDER_CARE',
    name: '助老敬老服务',
    category: '关爱服务',
    description: '结对独居、空巢老人，定期探访、代办事务',
  },
  { code: 'CHILD_TUTOR', name: '青少年课业辅导', category: '关爱服务', description: '四点半课堂、假期托管和课业辅导' },
  {
    code: 'DIGITAL_HELP',
    name: '智能手机教学',
    category: '关爱服务',
    description: '教老年人使用健康码、网上缴费和视频通话',
  },
  { code: 'CLEAN_UP', name: '环境卫生整治', category: '志愿服务', description: '参加楼道清理、垃圾分类督导和绿化养护' },
  { code: 'CIVIL_GUIDE', name: '文明劝导', category: '志愿服务', description: '劝导不文明养犬、乱停车和高空抛物' },
  { code: 'SAFETY_PATROL', name: '平安巡逻', category: '平安建设', description: '夜间巡逻、节假日值守和消防安全检查' },
  { code: 'MEDIATION', name: '矛盾纠纷调解', category: '平安建设', description: '参与邻里纠纷、物业纠纷的调解' },
  { code: 'COUNSELLING', name: '心理疏导', category: '专业服务', description: '为困难群众和青少年提供心理支持' },
  { code: 'REPAIR', name: '便民维修', category: '志愿服务', description: '家电、水电和自行车的便民维修' },
  {
    code: 'VENUE_SHARE',
    name: '活动场地共享',
    category: '资源共享',
    description: '向社区开放会议室、活动室和运动场地',
    forKind: 'UNIT',
  },
  {
    code: 'DONATION',
    name: '物资捐助',
    category: '资源共享',
    description: '为困难家庭和社区活动捐赠物资',
    forKind: 'UNIT',
  },
  {
    code: 'JOB_POSTS',
    name: '就业岗位提供',
    category: '资源共享',
    description: '为辖区失业人员和高校毕业生提供就业见习岗位',
    forKind: 'UNIT',
  },
  {
    code: 'VOLUNTEER_TEAM',
    name: '组建志愿服务队',
    category: '志愿服务',
    description: '组建单位党员志愿服务队定期进社区服务',
    forKind: 'UNIT',
  },
  {
    code: 'EXPERT_SUPPORT',
    name: '专业技术支持',
    category: '专业服务',
    description: '发挥行业优势提供专业技术和政策指导',
    forKind: 'UNIT',
  },
]

const SKILLS = [
  '法律咨询',
  '医疗护理',
  '心理疏导',
  '政策宣讲',
  '电工维修',
  '课业辅导',
  '书法绘画',
  '摄影摄像',
  '文艺演出',
  '应急救护',
  '信息技术',
  '财务会计',
  '外语翻译',
  '烹饪',
  '驾驶',
  '家电维修',
]
const OUTSIDE_WORKPLACES = [
  '临江市教育局',
  '临江市人民医院',
  '江城区财政局',
  '临江市第一中学',
  '国网临江供电公司江城分公司',
  '临江日报社',
  '临江市公安局江城分局',
  '江城区人民检察院',
]
const SERVICE_ROLES = ['在职党员', '楼栋党员联络员', '党员志愿者', '网格党员议事员', '党员中心户']
const REJECT_REASONS = ['居住地址不在本社区，请到实际居住社区报到', '报到信息不完整，请补充工作单位党组织信息']
const WITHDRAW_REASONS = ['工作调动到外地，暂不能参加社区服务', '重复提交，撤回此条']
const FEEDBACK: Record<'EXCELLENT' | 'GOOD' | 'FAIR' | 'POOR', string> = {
  EXCELLENT: '全年积极参加社区志愿服务，认领的承诺全部兑现，群众评价好，建议评为优秀。',
  GOOD: '能够按时参加社区组织的活动，大部分承诺已兑现，表现良好。',
  FAIR: '参加社区活动次数较少，部分承诺尚未兑现，希望进一步发挥作用。',
  POOR: '全年未参加社区活动，承诺未兑现，请所在单位党组织督促。',
}

type Story = 'APPROVED' | 'SUBMITTED' | 'REJECTED' | 'WITHDRAWN_APPROVED' | 'WITHDRAWN_SUBMITTED' | 'TRANSFERRED'
/** In-service members' reports, cycled: mostly approved, every other state present in each community. */
const MEMBER_STORIES: Story[] = [
  'APPROVED',
  'APPROVED',
  'APPROVED',
  'APPROVED',
  'SUBMITTED',
  'APPROVED',
  'APPROVED',
  'REJECTED',
  'APPROVED',
  'APPROVED',
  'WITHDRAWN_APPROVED',
  'APPROVED',
  'APPROVED',
  'TRANSFERRED',
  'APPROVED',
  'SUBMITTED',
  'APPROVED',
  'WITHDRAWN_SUBMITTED',
  'APPROVED',
  'APPROVED',
]
const UNIT_STORIES: Story[] = [
  'APPROVED',
  'APPROVED',
  'SUBMITTED',
  'APPROVED',
  'REJECTED',
  'APPROVED',
  'APPROVED',
  'WITHDRAWN_APPROVED',
  'APPROVED',
  'SUBMITTED',
  'APPROVED',
  'APPROVED',
]
/** The linked demo accounts party.member.1..4: what their members' reports are. */
const LINKED_STORIES: (Story | null)[] = ['APPROVED', 'SUBMITTED', 'APPROVED', null]
const MEMBERS_PER_GRID = 18
const IN_SERVICE_PER_GRID = 12
const AT_UNITS_PER_GRID = 8

export interface PartySummary {
  orgs: number
  members: number
  reports: number
  commitments: number
  serviceRecords: number
  feedbacks: number
}

interface Register {
  orgs: Prisma.PartyOrgCreateManyInput[]
  members: Prisma.PartyMemberCreateManyInput[]
}

/** Service to record on a report while it runs; `pledge`: the index of this year's pledge it counts toward. */
interface RecordPlan {
  kind: ServiceRecordKind
  sourceId: string
  hours: number
  occurredAt: Date
  pledge: number | null
  note: string | null
}

/** One report's life, as planned: who takes each step and when it should have happened. */
interface ReportPlan {
  kind: 'MEMBER' | 'UNIT'
  memberId: string | null
  unitOrgId: string | null
  communityId: string
  gridId: string
  branchId: string | null
  serviceRole: string | null
  /** The member or unit contact, or the community's officer on their behalf. */
  submitter: string
  officer: string
  decision: 'APPROVE' | 'REJECT' | null
  closing: 'WITHDRAW' | 'TRANSFER' | null
  reason: string | null
  submittedAt: Date
  decidedAt: Date | null
  closedAt: Date | null
  pledges: { itemId: string; hoursPerYear: number | null }[]
  records: RecordPlan[]
  /** After a move: the new home building and the report that follows in the new community. */
  moveTo?: { homeBuildingId: string; next: ReportPlan }
  /** The report's id, set once it has run. */
  id?: string
}

interface FeedbackPlan {
  memberId: string
  communityId: string
  officer: string
  year: number
  hours: number
}

/** Loads the party data of every street; call once, after the territory and the cases. */
export async function seedParty(prisma: PrismaClient): Promise<PartySummary> {
  await prisma.serviceItem.createMany({
    data: SERVICE_ITEMS.map((i, sortOrder) => ({ ...i, forKind: i.forKind ?? null, sortOrder })),
    skipDuplicates: true,
  })
  const items = await prisma.serviceItem.findMany({ orderBy: { sortOrder: 'asc' } })
  const memberItems = items.filter((i) => i.forKind !== 'UNIT')
  const unitItems = items.filter((i) => i.forKind !== 'MEMBER')
  const officers = await prisma.user.findMany({
    where: { roles: { has: 'STREET_OFFICER' } },
    orderBy: { username: 'asc' },
    select: { username: true, regionIds: true },
  })
  const now = new Date()
  const idNumbers = new Set<string>() // unique across streets
  const actors = new SeedActors(prisma)
  const reports: ReportPlan[] = []
  // a start stopped after a street's organisations goes on with the next street
  const seeded = new Set(
    (await prisma.partyOrg.findMany({ where: { level: 'STREET_WORKING_COMMITTEE' }, select: { regionId: true } })).map(
      (o) => o.regionId,
    ),
  )
  for (const officer of officers) {
    const streetId = officer.regionIds[0]
    if (!streetId) continue
    const tag = officer.username.slice('street.officer'.length) // '' for street 1, '.2' …
    // planned even when seeded, so that the identity numbers of the later streets stay the same
    const street = await planStreet(prisma, streetId, tag, { memberItems, unitItems, now, idNumbers })
    if (!street || seeded.has(streetId)) continue
    await prisma.$transaction([
      prisma.partyOrg.createMany({ data: street.register.orgs }),
      prisma.partyMember.createMany({ data: street.register.members }),
    ])
    await inLanes(
      street.reports.map((r) => () => runReport(actors, r, now)),
      6,
    )
    for (const f of street.feedbacks) {
      const hours = f.hours
      const rating = hours >= 16 ? 'EXCELLENT' : hours >= 8 ? 'GOOD' : hours > 0 ? 'FAIR' : 'POOR'
      await sendPerformanceFeedback(await actors.as(f.officer), {
        memberId: f.memberId,
        year: f.year,
        communityId: f.communityId,
        rating,
        comment: FEEDBACK[rating],
      })
    }
    reports.push(...street.reports)
  }
  await backdateReports(prisma, reports)
  const [orgs, members, dualReports, commitments, serviceRecords, feedbacks] = await Promise.all([
    prisma.partyOrg.count(),
    prisma.partyMember.count(),
    prisma.dualReport.count(),
    prisma.commitment.count(),
    prisma.serviceRecord.count(),
    prisma.performanceFeedback.count(),
  ])
  return { orgs, members, reports: dualReports, commitments, serviceRecords, feedbacks }
}

/** One report through the services: submit, decide, the service recorded while it ran, then its end. */
async function runReport(actors: SeedActors, p: ReportPlan, now: Date, transferred?: DualReport): Promise<void> {
  const submitter = await actors.as(p.submitter)
  const officer = await actors.as(p.officer)
  let r =
    transferred ??
    (await submitDualReport(submitter, {
      kind: p.kind,
      memberId: p.memberId,
      unitOrgId: p.unitOrgId,
      communityId: p.communityId,
      commitments: p.pledges,
    }))
  p.id = r.id
  if (p.decision === 'REJECT') r = await rejectDualReport(officer, { id: r.id, version: r.version, reason: p.reason! })
  if (p.decision === 'APPROVE') {
    r = await approveDualReport(officer, {
      id: r.id,
      version: r.version,
      gridId: p.gridId,
      branchId: p.branchId,
      serviceRole: p.serviceRole,
    })
    const pledges = await officer.prisma.commitment.findMany({ where: { reportId: r.id }, orderBy: { id: 'asc' } })
    const thisYear = serviceYear(now)
    for (const x of p.records)
      await recordPartyService(officer, {
        kind: x.kind,
        sourceId: x.sourceId,
        memberId: p.memberId,
        unitOrgId: p.memberId ? null : p.unitOrgId,
        commitmentId:
          x.pledge !== null && serviceYear(x.occurredAt) === thisYear ? (pledges[x.pledge]?.id ?? null) : null,
        hours: x.hours,
        occurredAt: x.occurredAt,
        note: x.note,
      })
  }
  if (p.closing === 'WITHDRAW') await withdrawDualReport(submitter, { id: r.id, version: r.version, reason: p.reason })
  if (p.closing === 'TRANSFER' && p.moveTo) {
    const next = await transferDualReport(submitter, {
      id: r.id,
      version: r.version,
      homeBuildingId: p.moveTo.homeBuildingId,
    })
    await runReport(actors, p.moveTo.next, now, next)
  }
}

/**
 * The services stamped every step "now"; this moves only the timestamps of each planned report,
 * its timeline and its pledges to the planned dates, so the demo shows a year and a half of
 * reporting. Nothing else changes: states, versions, events and pledges are the services' own.
 */
async function backdateReports(prisma: PrismaClient, plans: ReportPlan[]): Promise<void> {
  const all = plans.flatMap((p) => (p.moveTo ? [p, p.moveTo.next] : [p]))
  const ops: Prisma.PrismaPromise<unknown>[] = []
  for (const p of all) {
    const id = p.id! // every planned report has run before its dates are moved
    const last = p.closedAt ?? p.decidedAt ?? p.submittedAt
    ops.push(
      prisma.dualReport.update({
        where: { id },
        data: {
          createdAt: p.submittedAt,
          updatedAt: last,
          ...(p.decidedAt ? { decidedAt: p.decidedAt } : {}),
          ...(p.closedAt ? { closedAt: p.closedAt } : {}),
        },
      }),
      prisma.dualReportEvent.updateMany({
        where: { reportId: id, action: 'SUBMIT' },
        data: { createdAt: p.submittedAt },
      }),
      prisma.commitment.updateMany({ where: { reportId: id }, data: { createdAt: p.submittedAt } }),
    )
    if (p.decidedAt)
      ops.push(
        prisma.dualReportEvent.updateMany({
          where: { reportId: id, action: { in: ['APPROVE', 'REJECT'] } },
          data: { createdAt: p.decidedAt },
        }),
      )
    if (p.closedAt)
      ops.push(
        prisma.dualReportEvent.updateMany({
          where: { reportId: id, action: { in: ['WITHDRAW', 'TRANSFER'] } },
          data: { createdAt: p.closedAt },
        }),
      )
  }
  await prisma.$transaction(ops)
}

type Item = { id: string; name: string }

async function planStreet(
  prisma: PrismaClient,
  streetId: string,
  tag: string,
  cat: { memberItems: Item[]; unitItems: Item[]; now: Date; idNumbers: Set<string> },
): Promise<{ register: Register; reports: ReportPlan[]; feedbacks: FeedbackPlan[] } | null> {
  const [street, communities, units, users] = await Promise.all([
    prisma.region.findUniqueOrThrow({ where: { id: streetId } }),
    prisma.region.findMany({
      where: { parentId: streetId, level: 'COMMUNITY' },
      orderBy: { code: 'asc' },
      include: {
        grids: {
          orderBy: { code: 'asc' },
          include: { buildings: { orderBy: { name: 'asc' }, include: { compound: { select: { name: true } } } } },
        },
      },
    }),
    prisma.residentUnit.findMany({
      where: { community: { parentId: streetId } },
      orderBy: [{ kind: 'asc' }, { name: 'asc' }],
    }),
    prisma.user.findMany({
      where: {
        OR: [
          { roles: { has: 'COMMUNITY_OFFICER' } },
          { roles: { has: 'UNIT_CONTACT' } },
          { username: { startsWith: `party.member${tag}.` } },
        ],
      },
      orderBy: { username: 'asc' },
      select: { id: true, username: true, displayName: true, phone: true, roles: true, regionIds: true, unitId: true },
    }),
  ])
  const grids = communities.flatMap((c) => c.grids)
  if (!grids.length) return null
  const cases = await prisma.case.findMany({
    where: { regionId: { in: communities.map((c) => c.id) } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, regionId: true },
  })
  const rnd = seededRandom(
    0x9a27 + street.code.length * 131 + [...street.code].reduce((s, ch) => s + ch.charCodeAt(0), 0),
  )
  const { now } = cat
  const thisYear = serviceYear(now)
  const register: Register = { orgs: [], members: [] }
  const reports: ReportPlan[] = []
  const officerOf = (communityId: string) => {
    const u = users.find((x) => x.roles.includes('COMMUNITY_OFFICER') && x.regionIds.includes(communityId))
    if (!u) throw new Error(`party seed: community ${communityId} has no officer`)
    return u.username
  }
  const contactOf = (unitId: string) =>
    users.find((x) => x.roles.includes('UNIT_CONTACT') && x.unitId === unitId)?.username ?? null
  const linked = users.filter(
    (u) =>
      u.username.startsWith(`party.member${tag}.`) && /^\.\d+$/.test(u.username.slice(`party.member${tag}`.length)),
  )
  // ------------------------------------------------------------ organisations
  const org = (o: Omit<Prisma.PartyOrgCreateManyInput, 'id' | 'path'>, parent: { id: string; path: string } | null) => {
    const id = newId()
    const row = {
      id,
      path: `${parent?.path ?? '/'}${id}/`,
      parentId: parent?.id ?? null,
      secretaryName: rnd.personName(),
      contactPhone: rnd.mobile(),
      createdAt: new Date(now.getTime() - 800 * DAY),
      ...o,
    }
    register.orgs.push(row)
    return row
  }
  const streetOrg = org({ level: 'STREET_WORKING_COMMITTEE', name: `${street.name}党工委`, regionId: street.id }, null)
  const communityOrg = new Map<string, { id: string; path: string }>()
  const branchOf = new Map<string, { id: string; path: string; name: string }>()
  for (const c of communities) {
    const co = org({ level: 'COMMUNITY_COMMITTEE', name: `${c.name}党委`, regionId: c.id }, streetOrg)
    communityOrg.set(c.id, co)
    for (const g of c.grids) {
      const branch = org({ level: 'GRID_BRANCH', name: `${g.name}党支部`, regionId: c.id, gridId: g.id }, co)
      branchOf.set(g.id, { ...branch, name: branch.name })
      for (const b of g.buildings)
        org(
          {
            level: 'BUILDING_GROUP',
            name: `${b.compound?.name ?? ''}${b.name}党小组`,
            regionId: c.id,
            gridId: g.id,
            buildingId: b.id,
          },
          branch,
        )
    }
  }
  const suffix: Record<UnitKind, string> = {
    AGENCY: '机关党支部',
    ENTERPRISE: '党支部',
    INSTITUTION: '党总支',
    NEW_ECONOMIC: '党支部',
    NEW_SOCIAL: '党支部',
    PROPERTY_MANAGEMENT: '党支部',
    OWNERS_COMMITTEE: '党的工作小组',
  }
  const seenKind = new Map<UnitKind, number>()
  const unitOrgOf = new Map<string, { id: string; regionId: string }>()
  for (const u of units) {
    const nth = seenKind.get(u.kind) ?? 0
    seenKind.set(u.kind, nth + 1)
    // the second owners' committee and the second new-economic organisation have no party organisation yet
    if (nth === 1 && (u.kind === 'OWNERS_COMMITTEE' || u.kind === 'NEW_ECONOMIC')) continue
    const localParent =
      u.kind === 'AGENCY' || u.kind === 'INSTITUTION' ? null : (communityOrg.get(u.communityId) ?? null)
    const o = org(
      { level: 'UNIT_ORG', name: `${u.name}${suffix[u.kind]}`, regionId: u.communityId, unitId: u.id },
      localParent,
    )
    unitOrgOf.set(u.id, { id: o.id, regionId: u.communityId })
  }

  // ------------------------------------------------------------ reports, pledges, service
  const idNumber = (birthYear: number, male: boolean) => {
    for (;;) {
      const born = new Date(Date.UTC(birthYear, rnd.int(0, 11), rnd.int(1, 28)))
      const seq = rnd.int(0, 499) * 2 + (male ? 1 : 0)
      const first17 = `320102${born.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`
      const id = first17 + idNumberCheck(first17)
      if (!cat.idNumbers.has(id)) {
        cat.idNumbers.add(id)
        return id
      }
    }
  }
  const at = (ms: number) => new Date(Math.min(ms, now.getTime() - HOUR))

  /** This year's pledges of a report: what the reporter takes on when submitting. */
  const pledge = (unit: boolean) =>
    rnd.some(unit ? cat.unitItems : cat.memberItems, rnd.int(1, 2)).map((item) => ({
      itemId: item.id,
      hoursPerYear: unit ? null : rnd.pick([8, 12, 16, 20, 24, 30]),
    }))

  /** Service done between `from` and `until`, year by year, after the pattern of the pledges. */
  const serve = (
    communityId: string,
    pledges: { hoursPerYear: number | null }[],
    from: Date,
    until: Date,
    usedCases: Set<string>,
  ) => {
    const records: RecordPlan[] = []
    for (let year = serviceYear(from); year <= serviceYear(until); year++) {
      const start = Math.max(from.getTime(), serviceYearStart(year).getTime())
      const end = Math.min(until.getTime(), serviceYearStart(year + 1).getTime() - HOUR)
      if (end <= start) continue
      const when = () => new Date(start + Math.floor(rnd.next() * (end - start)))
      pledges.forEach((p, i) => {
        // Some pledges are met in full, some half way, a few not at all; an activity credits up to a day (8 h).
        const target = p.hoursPerYear ? p.hoursPerYear * rnd.pick([0, 0.5, 0.8, 1, 1, 1.25]) : rnd.int(0, 2) * 4
        const sessions = Math.min(3, Math.ceil(target / 8))
        for (let k = 0; k < sessions; k++)
          records.push({
            kind: 'ACTIVITY_HOURS',
            sourceId: newId(),
            pledge: i,
            hours: Math.min(8, Math.ceil(target / sessions)),
            occurredAt: when(),
            note: null,
          })
        if (rnd.chance(0.3))
          records.push({
            kind: 'MICRO_WISH',
            sourceId: newId(),
            pledge: null,
            hours: rnd.pick([1, 2]),
            occurredAt: when(),
            note: '认领并完成居民微心愿',
          })
        const c = cases.find((x) => x.regionId === communityId && !usedCases.has(x.id))
        // help on a case: the demo cases are reported today
        if (c && rnd.chance(0.2) && year === thisYear && until.getTime() >= now.getTime() - HOUR) {
          usedCases.add(c.id)
          records.push({
            kind: 'CASE_HELP',
            sourceId: c.id,
            pledge: null,
            hours: rnd.pick([1, 2, 3]),
            occurredAt: at(now.getTime()),
            note: '协助网格员入户做群众工作',
          })
        }
      })
    }
    return records
  }

  interface Reporter {
    kind: 'MEMBER' | 'UNIT'
    memberId?: string
    unitOrgId?: string
    /** The member's or unit contact's account; without one, the community's officer submits on their behalf. */
    reporter: string | null
  }

  /** One report in `communityId`: its steps and dates as `story` tells. */
  const one = (
    p: Reporter,
    communityId: string,
    gridId: string,
    story: Story,
    submittedAt: Date,
    endAt: Date | null,
  ): ReportPlan => {
    const unit = p.kind === 'UNIT'
    const officer = officerOf(communityId)
    const approved = story === 'APPROVED' || story === 'WITHDRAWN_APPROVED' || story === 'TRANSFERRED'
    const decided = approved || story === 'REJECTED'
    const decidedAt = decided ? at(submittedAt.getTime() + rnd.int(1, 5) * DAY + rnd.int(1, 8) * HOUR) : null
    const closedAt =
      story === 'REJECTED'
        ? decidedAt
        : story === 'WITHDRAWN_APPROVED' || story === 'WITHDRAWN_SUBMITTED' || story === 'TRANSFERRED'
          ? endAt
          : null
    const withdrawn = story === 'WITHDRAWN_APPROVED' || story === 'WITHDRAWN_SUBMITTED'
    const reason = story === 'REJECTED' ? rnd.pick(REJECT_REASONS) : withdrawn ? rnd.pick(WITHDRAW_REASONS) : null
    const pledges = pledge(unit)
    return {
      kind: p.kind,
      memberId: p.memberId ?? null,
      unitOrgId: p.unitOrgId ?? null,
      communityId,
      gridId,
      branchId: !unit && approved ? branchOf.get(gridId)!.id : null,
      serviceRole: approved ? (unit ? '共建单位' : rnd.pick(SERVICE_ROLES)) : null,
      submitter: p.reporter ?? officer,
      officer,
      decision: approved ? 'APPROVE' : story === 'REJECTED' ? 'REJECT' : null,
      closing: withdrawn ? 'WITHDRAW' : story === 'TRANSFERRED' ? 'TRANSFER' : null,
      reason,
      submittedAt,
      decidedAt,
      closedAt,
      pledges,
      records: approved ? serve(communityId, pledges, decidedAt!, closedAt ?? now, new Set()) : [],
    }
  }

  /** One reporter's whole story; for TRANSFERRED, `communityId`/`gridId` are where the member lives now. */
  const report = (
    p: Reporter & { story: Story; communityId: string; gridId: string; homeBuildingId?: string },
    previous?: { communityId: string; gridId: string },
  ) => {
    if (p.story === 'TRANSFERRED' && previous) {
      const submittedAt = at(now.getTime() - rnd.int(400, 540) * DAY)
      const movedAt = at(now.getTime() - rnd.int(20, 200) * DAY)
      const old = one(p, previous.communityId, previous.gridId, 'TRANSFERRED', submittedAt, movedAt)
      // the new report, submitted on the move; approved unless the move was recent
      const next = one(
        p,
        p.communityId,
        p.gridId,
        movedAt.getTime() < now.getTime() - 60 * DAY ? 'APPROVED' : 'SUBMITTED',
        movedAt,
        null,
      )
      // the transfer carries this year's open pledges over: the new report pledges nothing itself
      next.pledges = []
      next.submitter = old.submitter
      old.moveTo = { homeBuildingId: p.homeBuildingId!, next }
      reports.push(old)
      return
    }
    const recent = p.story === 'SUBMITTED' || p.story === 'WITHDRAWN_SUBMITTED'
    const submittedAt = at(now.getTime() - (recent ? rnd.int(2, 25) : rnd.int(40, 540)) * DAY - rnd.int(0, 23) * HOUR)
    const endAt =
      p.story === 'WITHDRAWN_APPROVED'
        ? at(submittedAt.getTime() + rnd.int(60, 300) * DAY)
        : p.story === 'WITHDRAWN_SUBMITTED'
          ? at(submittedAt.getTime() + rnd.int(1, 2) * DAY)
          : null
    reports.push(one(p, p.communityId, p.gridId, p.story, submittedAt, endAt))
  }

  // ------------------------------------------------------------ members
  const unitsWithContact = units.filter((u) => contactOf(u.id))
  let inService = 0
  grids.forEach((g, gi) => {
    for (let j = 0; j < MEMBERS_PER_GRID; j++) {
      const building = g.buildings[j % g.buildings.length]
      const linkIndex = j === 0 ? [0, 4, 8, 1].map((x) => x % grids.length).indexOf(gi) : -1
      const user = linkIndex >= 0 ? linked[linkIndex] : undefined
      const male = rnd.chance(0.58)
      const retired = j >= IN_SERVICE_PER_GRID
      const birthYear = retired ? rnd.int(1945, 1963) : rnd.int(1968, 1999)
      const unit =
        j < AT_UNITS_PER_GRID
          ? user
            ? unitsWithContact[linkIndex % unitsWithContact.length]
            : units[(gi * AT_UNITS_PER_GRID + j) % units.length]
          : undefined
      const memberId = newId()
      const story = retired
        ? null
        : user
          ? LINKED_STORIES[linkIndex]
          : MEMBER_STORIES[inService++ % MEMBER_STORIES.length]!
      // a member who moved house lived in another grid when they first reported
      const elsewhere = grids[(gi + 4) % grids.length]!
      const home = story === 'TRANSFERRED' ? elsewhere : g
      const homeBuilding = home.buildings[j % home.buildings.length]
      register.members.push({
        id: memberId,
        name: user?.displayName ?? rnd.personName(),
        gender: male ? 'MALE' : 'FEMALE',
        birthYear,
        joinedOn: new Date(Date.UTC(Math.min(birthYear + rnd.int(19, 35), thisYear - 1), rnd.int(0, 11), 1)),
        phone: user?.phone ?? rnd.mobile(),
        idNumber: idNumber(birthYear, male),
        orgId: retired ? branchOf.get(g.id)!.id : unit ? (unitOrgOf.get(unit.id)?.id ?? null) : null,
        workUnitId: unit?.id ?? null,
        workplace: retired || unit ? null : OUTSIDE_WORKPLACES[(gi + j) % OUTSIDE_WORKPLACES.length]!,
        homeBuildingId: homeBuilding?.id ?? null,
        homeGridId: home.id,
        homeCommunityId: home.communityId,
        skills: rnd.some(SKILLS, rnd.int(1, 3)),
        userId: user?.id ?? null,
        createdAt: new Date(now.getTime() - 750 * DAY),
        version: 0,
      })
      if (!story) continue
      report(
        {
          kind: 'MEMBER',
          story,
          memberId,
          communityId: g.communityId,
          gridId: g.id,
          homeBuildingId: building?.id,
          reporter: user?.username ?? null,
        },
        story === 'TRANSFERRED' ? { communityId: elsewhere.communityId, gridId: elsewhere.id } : undefined,
      )
    }
  })

  // ------------------------------------------------------------ unit reports
  let u = 0
  for (const unit of units) {
    const o = unitOrgOf.get(unit.id)
    if (!o) continue
    const community = communities.find((c) => c.id === unit.communityId)!
    const grid = community.grids[u % community.grids.length]!
    report({
      kind: 'UNIT',
      story: UNIT_STORIES[u++ % UNIT_STORIES.length]!,
      unitOrgId: o.id,
      communityId: unit.communityId,
      gridId: grid.id,
      reporter: contactOf(unit.id),
    })
  }

  // ------------------------------------------------------------ feedback to workplaces on last year
  const lastYear = thisYear - 1
  const feedbacks: FeedbackPlan[] = []
  for (const r of reports.flatMap((x) => (x.moveTo ? [x, x.moveTo.next] : [x]))) {
    const stillApproved = r.decision === 'APPROVE' && !r.closing
    if (r.kind !== 'MEMBER' || !stillApproved || serviceYear(r.decidedAt!) > lastYear || !rnd.chance(0.6)) continue
    const member = register.members.find((m) => m.id === r.memberId)!
    if (!member.orgId) continue
    const hours = reports
      .flatMap((x) => (x.moveTo ? [x, x.moveTo.next] : [x]))
      .filter((x) => x.memberId === r.memberId)
      .flatMap((x) => x.records)
      .filter((x) => serviceYear(x.occurredAt) === lastYear)
      .reduce((s, x) => s + x.hours, 0)
    feedbacks.push({ memberId: r.memberId!, communityId: r.communityId, officer: r.officer, year: lastYear, hours })
  }
  return { register, reports, feedbacks }
}
