// Demo party data (党建引领) for every street of the demo territory: the four-level chain (街道党工委 →
// 社区党委 → 网格党支部 → 楼栋党小组) bound to the street, communities, grids and buildings; party
// organisations of most resident units; 216 members per street with homes, workplaces and skills;
// dual reports in every state (transfers after a move included) with their timelines and pledges;
// unit reports; service records over the pledged years and feedback to the workplaces.
//
// Written with createMany, one transaction per street, and exactly as the services would have left
// it: versions, active slots, timelines, service years. The four `party.member.N` accounts are linked
// to members: 1 approved into the first grid, 2 waiting for approval, 3 approved, 4 not reported yet.
import type { PrismaClient } from '../db.js'
import type { DualReportStatus, Prisma, UnitKind } from '../generated/prisma/client.js'
import { idNumberCheck } from '../modules/party/id-number.js'
import { commitmentMet, serviceYear, serviceYearStart } from '../modules/party/transitions.js'
import { newId } from '../shared/ids.js'
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

interface Rows {
  orgs: Prisma.PartyOrgCreateManyInput[]
  members: Prisma.PartyMemberCreateManyInput[]
  reports: Prisma.DualReportCreateManyInput[]
  events: Prisma.DualReportEventCreateManyInput[]
  commitments: Prisma.CommitmentCreateManyInput[]
  records: Prisma.ServiceRecordCreateManyInput[]
  feedbacks: Prisma.PerformanceFeedbackCreateManyInput[]
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
  const summary: PartySummary = { orgs: 0, members: 0, reports: 0, commitments: 0, serviceRecords: 0, feedbacks: 0 }
  const now = new Date()
  const idNumbers = new Set<string>() // unique across streets
  for (const officer of officers) {
    const streetId = officer.regionIds[0]
    if (!streetId) continue
    const tag = officer.username.slice('street.officer'.length) // '' for street 1, '.2' …
    const rows = await planStreet(prisma, streetId, tag, { memberItems, unitItems, now, idNumbers })
    if (!rows) continue
    await prisma.$transaction([
      prisma.partyOrg.createMany({ data: rows.orgs }),
      prisma.partyMember.createMany({ data: rows.members }),
      prisma.dualReport.createMany({ data: rows.reports }),
      prisma.dualReportEvent.createMany({ data: rows.events }),
      prisma.commitment.createMany({ data: rows.commitments }),
      prisma.serviceRecord.createMany({ data: rows.records }),
      prisma.performanceFeedback.createMany({ data: rows.feedbacks }),
    ])
    summary.orgs += rows.orgs.length
    summary.members += rows.members.length
    summary.reports += rows.reports.length
    summary.commitments += rows.commitments.length
    summary.serviceRecords += rows.records.length
    summary.feedbacks += rows.feedbacks.length
  }
  return summary
}

type Item = { id: string; name: string }

async function planStreet(
  prisma: PrismaClient,
  streetId: string,
  tag: string,
  cat: { memberItems: Item[]; unitItems: Item[]; now: Date; idNumbers: Set<string> },
): Promise<Rows | null> {
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
  const rows: Rows = { orgs: [], members: [], reports: [], events: [], commitments: [], records: [], feedbacks: [] }
  const officerOf = (communityId: string) => {
    const u = users.find((x) => x.roles.includes('COMMUNITY_OFFICER') && x.regionIds.includes(communityId))
    if (!u) throw new Error(`party seed: community ${communityId} has no officer`)
    return u.id
  }
  const contactOf = (unitId: string) =>
    users.find((x) => x.roles.includes('UNIT_CONTACT') && x.unitId === unitId)?.id ?? null
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
    rows.orgs.push(row)
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
  const event = (
    reportId: string,
    actorId: string | null,
    action: string,
    from: DualReportStatus | null,
    to: DualReportStatus | null,
    when: Date,
    note?: string,
  ) =>
    rows.events.push({
      id: newId(),
      reportId,
      actorId,
      action,
      fromStatus: from,
      toStatus: to,
      note: note ?? null,
      createdAt: when,
    })

  /** Pledges of a report for each year from `fromYear` to `toYear`; returns them per year. */
  const pledge = (reportId: string, unit: boolean, fromYear: number, toYear: number, createdAt: Date) => {
    const out: { id: string; year: number; hoursPerYear: number | null }[] = []
    for (let y = fromYear; y <= toYear; y++) {
      for (const item of rnd.some(unit ? cat.unitItems : cat.memberItems, rnd.int(1, 2))) {
        const c = {
          id: newId(),
          reportId,
          itemId: item.id,
          title: item.name,
          hoursPerYear: unit ? null : rnd.pick([8, 12, 16, 20, 24, 30]),
          year: y,
          createdAt: y === fromYear ? createdAt : serviceYearStart(y),
        }
        rows.commitments.push(c)
        out.push(c)
      }
    }
    return out
  }

  /** Service done between `from` and `until` against the pledges of those years. */
  const serve = (
    who: { memberId?: string; unitOrgId?: string },
    communityId: string,
    pledges: { id: string; year: number; hoursPerYear: number | null }[],
    from: Date,
    until: Date,
    usedCases: Set<string>,
  ) => {
    const recorder = officerOf(communityId)
    const add = (
      r: Omit<
        Prisma.ServiceRecordCreateManyInput,
        'id' | 'year' | 'communityId' | 'recordedById' | 'memberId' | 'unitOrgId' | 'createdAt'
      > & { occurredAt: Date },
    ) =>
      rows.records.push({
        id: newId(),
        memberId: who.memberId ?? null,
        unitOrgId: who.unitOrgId ?? null,
        year: serviceYear(r.occurredAt),
        communityId,
        recordedById: recorder,
        createdAt: r.occurredAt,
        ...r,
      })
    for (const p of pledges) {
      const start = Math.max(from.getTime(), serviceYearStart(p.year).getTime())
      const end = Math.min(until.getTime(), serviceYearStart(p.year + 1).getTime() - HOUR)
      if (end <= start) continue
      const when = () => new Date(start + Math.floor(rnd.next() * (end - start)))
      // Some pledges are met in full, some half way, a few not at all; an activity credits up to a day (8 h).
      const target = p.hoursPerYear ? p.hoursPerYear * rnd.pick([0, 0.5, 0.8, 1, 1, 1.25]) : rnd.int(0, 2) * 4
      const sessions = Math.min(3, Math.ceil(target / 8))
      for (let k = 0; k < sessions; k++)
        add({
          kind: 'ACTIVITY_HOURS',
          sourceId: newId(),
          commitmentId: p.id,
          hours: Math.min(8, Math.ceil(target / sessions)),
          occurredAt: when(),
          note: null,
        })
      if (rnd.chance(0.3))
        add({
          kind: 'MICRO_WISH',
          sourceId: newId(),
          commitmentId: null,
          hours: rnd.pick([1, 2]),
          occurredAt: when(),
          note: '认领并完成居民微心愿',
        })
      const c = cases.find((x) => x.regionId === communityId && !usedCases.has(x.id))
      if (c && rnd.chance(0.2)) {
        usedCases.add(c.id)
        add({
          kind: 'CASE_HELP',
          sourceId: c.id,
          commitmentId: null,
          hours: rnd.pick([1, 2, 3]),
          occurredAt: when(),
          note: '协助网格员入户做群众工作',
        })
      }
    }
  }

  interface ReportPlan {
    kind: 'MEMBER' | 'UNIT'
    story: Story
    memberId?: string
    unitOrgId?: string
    communityId: string
    gridId: string
    /** The member's or unit contact's account; without one, the community's officer submits on their behalf. */
    reporter: string | null
  }

  /** One report's whole life; for TRANSFERRED, `communityId`/`gridId` are where the member lives now. */
  const report = (p: ReportPlan, previous?: { communityId: string; gridId: string }) => {
    const unit = p.kind === 'UNIT'
    const who = unit ? { unitOrgId: p.unitOrgId! } : { memberId: p.memberId! }
    const usedCases = new Set<string>()
    const one = (
      communityId: string,
      gridId: string,
      story: Story,
      submittedAt: Date,
      endAt: Date | null,
      from: { id: string; communityId: string } | null,
    ) => {
      const id = newId()
      const officer = officerOf(communityId)
      const submitter = p.reporter ?? officer
      const approved = story === 'APPROVED' || story === 'WITHDRAWN_APPROVED' || story === 'TRANSFERRED'
      const decided = approved || story === 'REJECTED'
      const decidedAt = decided ? at(submittedAt.getTime() + rnd.int(1, 5) * DAY + rnd.int(1, 8) * HOUR) : null
      const closedAt =
        story === 'REJECTED'
          ? decidedAt
          : story === 'WITHDRAWN_APPROVED' || story === 'WITHDRAWN_SUBMITTED' || story === 'TRANSFERRED'
            ? endAt
            : null
      const status: DualReportStatus =
        story === 'WITHDRAWN_APPROVED' || story === 'WITHDRAWN_SUBMITTED' ? 'WITHDRAWN' : story
      const branch = !unit && approved ? branchOf.get(gridId)! : null
      const grid = grids.find((g) => g.id === gridId)!
      const reason =
        story === 'REJECTED' ? rnd.pick(REJECT_REASONS) : status === 'WITHDRAWN' ? rnd.pick(WITHDRAW_REASONS) : null
      const steps = 1 + (decided ? 1 : 0) + (closedAt && story !== 'REJECTED' ? 1 : 0)
      event(
        id,
        submitter,
        'SUBMIT',
        null,
        'SUBMITTED',
        submittedAt,
        from ? `transferred from ${communities.find((c) => c.id === from.communityId)?.name}` : undefined,
      )
      if (decided)
        event(
          id,
          officer,
          story === 'REJECTED' ? 'REJECT' : 'APPROVE',
          'SUBMITTED',
          story === 'REJECTED' ? 'REJECTED' : 'APPROVED',
          decidedAt!,
          story === 'REJECTED' ? reason! : [grid.name, branch?.name].filter(Boolean).join(' · '),
        )
      if (status === 'WITHDRAWN')
        event(id, submitter, 'WITHDRAW', approved ? 'APPROVED' : 'SUBMITTED', 'WITHDRAWN', closedAt!, reason!)
      if (story === 'TRANSFERRED')
        event(
          id,
          submitter,
          'TRANSFER',
          'APPROVED',
          'TRANSFERRED',
          closedAt!,
          `→ ${communities.find((c) => c.id === p.communityId)?.name}`,
        )
      rows.reports.push({
        id,
        kind: p.kind,
        status,
        memberId: p.memberId ?? null,
        unitOrgId: p.unitOrgId ?? null,
        communityId,
        gridId: approved ? gridId : null,
        branchId: branch?.id ?? null,
        serviceRole: approved ? (unit ? '共建单位' : rnd.pick(SERVICE_ROLES)) : null,
        reason,
        submittedById: submitter,
        decidedById: decided ? officer : null,
        decidedAt,
        closedAt,
        transferredFromId: from?.id ?? null,
        activeSlot: status === 'SUBMITTED' || status === 'APPROVED' ? true : null,
        version: steps - 1,
        createdAt: submittedAt,
        updatedAt: closedAt ?? decidedAt ?? submittedAt,
      })
      const lastYear = serviceYear(closedAt ?? now)
      const pledges = pledge(
        id,
        unit,
        serviceYear(submittedAt),
        approved ? lastYear : serviceYear(submittedAt),
        submittedAt,
      )
      if (approved) serve(who, communityId, pledges, decidedAt!, closedAt ?? now, usedCases)
      return { id, communityId, pledges }
    }
    if (p.story === 'TRANSFERRED' && previous) {
      const submittedAt = at(now.getTime() - rnd.int(400, 540) * DAY)
      const movedAt = at(now.getTime() - rnd.int(20, 200) * DAY)
      const old = one(previous.communityId, previous.gridId, 'TRANSFERRED', submittedAt, movedAt, null)
      // the new report, submitted on the move; approved unless the move was recent
      const next = one(
        p.communityId,
        p.gridId,
        movedAt.getTime() < now.getTime() - 60 * DAY ? 'APPROVED' : 'SUBMITTED',
        movedAt,
        null,
        old,
      )
      return next
    }
    const recent = p.story === 'SUBMITTED' || p.story === 'WITHDRAWN_SUBMITTED'
    const submittedAt = at(now.getTime() - (recent ? rnd.int(2, 25) : rnd.int(40, 540)) * DAY - rnd.int(0, 23) * HOUR)
    const endAt =
      p.story === 'WITHDRAWN_APPROVED'
        ? at(submittedAt.getTime() + rnd.int(60, 300) * DAY)
        : p.story === 'WITHDRAWN_SUBMITTED'
          ? at(submittedAt.getTime() + rnd.int(1, 2) * DAY)
          : null
    return one(p.communityId, p.gridId, p.story, submittedAt, endAt, null)
  }

  // ------------------------------------------------------------ members
  const unitsWithContact = units.filter((u) => contactOf(u.id))
  let inService = 0
  grids.forEach((g, gi) => {
    const communityId = g.communityId
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
      rows.members.push({
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
        homeBuildingId: building?.id ?? null,
        homeGridId: g.id,
        homeCommunityId: communityId,
        skills: rnd.some(SKILLS, rnd.int(1, 3)),
        userId: user?.id ?? null,
        createdAt: new Date(now.getTime() - 750 * DAY),
        version: 0,
      })
      if (retired) continue
      const story = user ? LINKED_STORIES[linkIndex] : MEMBER_STORIES[inService++ % MEMBER_STORIES.length]!
      if (!story) continue
      const elsewhere = grids[(gi + 4) % grids.length]!
      report(
        { kind: 'MEMBER', story, memberId, communityId, gridId: g.id, reporter: user?.id ?? null },
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
  for (const r of rows.reports) {
    if (
      r.kind !== 'MEMBER' ||
      r.status !== 'APPROVED' ||
      !r.decidedAt ||
      serviceYear(r.decidedAt as Date) > lastYear ||
      !rnd.chance(0.6)
    )
      continue
    const member = rows.members.find((m) => m.id === r.memberId)!
    if (!member.orgId) continue
    const records = rows.records.filter((x) => x.memberId === r.memberId && x.year === lastYear)
    const pledges = rows.commitments.filter(
      (c) => c.year === lastYear && rows.reports.some((x) => x.id === c.reportId && x.memberId === member.id),
    )
    const progress = pledges.map((c) => {
      const linkedRecords = records.filter((x) => x.commitmentId === c.id)
      return commitmentMet({
        hoursPerYear: c.hoursPerYear ?? null,
        hoursDone: linkedRecords.reduce((s, x) => s + (x.hours ?? 0), 0),
        records: linkedRecords.length,
      })
    })
    const met = progress.filter(Boolean).length
    const ratio = progress.length ? met / progress.length : 0
    const rating = ratio >= 1 ? 'EXCELLENT' : ratio >= 0.5 ? 'GOOD' : ratio > 0 ? 'FAIR' : 'POOR'
    rows.feedbacks.push({
      id: newId(),
      memberId: r.memberId!,
      year: lastYear,
      communityId: r.communityId,
      toOrgId: member.orgId,
      rating,
      comment: FEEDBACK[rating],
      hours: records.reduce((s, x) => s + (x.hours ?? 0), 0),
      activities: records.filter((x) => x.kind === 'ACTIVITY_HOURS').length,
      wishesFulfilled: records.filter((x) => x.kind === 'MICRO_WISH').length,
      casesHelped: records.filter((x) => x.kind === 'CASE_HELP').length,
      commitmentsMet: met,
      commitmentsTotal: progress.length,
      sentById: officerOf(r.communityId),
      createdAt: at(serviceYearStart(thisYear).getTime() + rnd.int(5, 40) * DAY),
    })
  }
  return rows
}
