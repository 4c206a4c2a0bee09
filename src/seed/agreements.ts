// Demo joint construction (共建) for every street of the demo territory: 16 agreements across every
// state (street- and community-level, items of every kind with progress, timelines, yearly reviews),
// and the three lists — 24 needs, resources of the units, claims in every state both ways, and
// projects planned, in progress, completed and cancelled with milestones and progress entries.
//
// Every step goes through the agreement services, acting as the seeded users: the street or
// community officer drafts, signs, activates and terminates an agreement, raises needs, decides
// claims and runs projects; a unit's contact confirms its side, reports progress and its year,
// offers the unit's resources, claims needs and completes milestones (the officer acts for units
// without an account). So versions, claim slots, need and resource states and timelines are what
// the API would have produced. The services act "now"; the plan spreads the work over the last two
// years, so one step, `backdateJointConstruction`, then moves only dates to the planned ones (and
// the term end of the agreements planned to have expired, which could not be activated otherwise),
// and the expiry job runs at each of those ends. Call after seedParty (it needs the street and
// community committees and the units' party organisations).
import type { PrismaClient } from '../db.js'
import type {
  AgreementItemKind,
  AgreementStatus,
  NeedStatus,
  Prisma,
  ProjectStatus,
  ResourceKind,
  ResourceStatus,
} from '../generated/prisma/client.js'
import {
  activateJointAgreement,
  confirmAgreementParty,
  createJointAgreement,
  recordAgreementProgress,
  signJointAgreement,
  terminateJointAgreement,
} from '../modules/agreement/agreement.service.js'
import { expireAgreements } from '../modules/agreement/expiry.service.js'
import {
  approveNeedClaim,
  approveResourceClaim,
  claimNeed,
  claimResource,
  offerResource,
  raiseNeed,
  rejectNeedClaim,
  rejectResourceClaim,
  withdrawNeed,
  withdrawNeedClaim,
  withdrawResource,
  withdrawResourceClaim,
} from '../modules/agreement/lists.service.js'
import {
  cancelProject,
  completeProjectMilestone,
  createProject,
  recordProjectProgress,
  startProject,
} from '../modules/agreement/project.service.js'
import { reviewAgreementUnit, submitAgreementReport } from '../modules/agreement/review.service.js'
import { milestoneShare } from '../modules/agreement/transitions.js'
import { serviceYear } from '../modules/party/transitions.js'
import { inLanes, SeedActors } from './actors.js'
import { seededRandom } from './random.js'

const DAY = 86_400_000
const HOUR = 3_600_000
const KINDS: AgreementItemKind[] = [
  'LINKED_ASSISTANCE',
  'CROSS_APPOINTMENT',
  'SECONDMENT',
  'TALENT_PAIRING',
  'RESOURCE_SHARING',
]
const ITEM_TITLES: Record<AgreementItemKind, [string, string][]> = {
  LINKED_ASSISTANCE: [
    ['结对帮扶困难家庭', '每季度走访结对困难家庭不少于1次'],
    ['挂钩帮扶老旧小区改造', '协助完成2栋楼道改造'],
  ],
  CROSS_APPOINTMENT: [
    ['单位党组织书记兼任社区党委委员', '每年参加社区党委会议不少于4次'],
    ['社区书记兼任单位党建指导员', '每半年指导单位党建工作1次'],
  ],
  SECONDMENT: [
    ['互派干部挂职锻炼', '互派1名年轻干部挂职6个月'],
    ['选派党员到网格挂职', '选派2名党员担任兼职网格员'],
  ],
  TALENT_PAIRING: [
    ['专业人才结对青少年', '结对辅导10名青少年'],
    ['技术骨干结对社区工作者', '开展数字化培训4次'],
  ],
  RESOURCE_SHARING: [
    ['共享会议室和活动场地', '每月向社区开放场地不少于4次'],
    ['共享食堂和停车位', '为社区志愿者提供就餐和停车便利'],
  ],
}
const AGREEMENT_PLAN: AgreementStatus[] = [
  'ACTIVE',
  'ACTIVE',
  'SIGNED',
  'DRAFT',
  'ACTIVE',
  'EXPIRED',
  'ACTIVE',
  'TERMINATED',
  'SIGNED',
  'ACTIVE',
  'DRAFT',
  'EXPIRED',
  'ACTIVE',
  'SIGNED',
  'TERMINATED',
  'DRAFT',
]
const TERMINATIONS = ['单位搬迁出辖区，协议无法继续履行', '单位改制重组，经双方协商提前终止']
const NEED_CATEGORIES = [
  '助老服务',
  '青少年关爱',
  '环境整治',
  '文体活动',
  '就业帮扶',
  '法律服务',
  '医疗健康',
  '平安建设',
]
const NEED_TITLES: Record<string, string[]> = {
  助老服务: ['独居老人助餐服务', '老年人智能手机培训'],
  青少年关爱: ['四点半课堂志愿辅导', '暑期青少年托管'],
  环境整治: ['楼道杂物清理', '小区绿化补植'],
  文体活动: ['社区文艺汇演场地', '全民健身器材更新'],
  就业帮扶: ['失业人员技能培训', '高校毕业生见习岗位'],
  法律服务: ['居民法律咨询日', '物业纠纷调解'],
  医疗健康: ['慢病老人义诊', '健康知识讲座'],
  平安建设: ['夜间巡逻志愿者', '消防安全演练'],
}
/** Needs per community, cycled: what happened to each. */
const NEED_PLAN: NeedStatus[] = ['OPEN', 'IN_PROGRESS', 'CLAIMED', 'OPEN', 'DONE', 'IN_PROGRESS', 'WITHDRAWN', 'OPEN']
const RESOURCES: { kind: ResourceKind; title: string; capacity: string; availability: string }[] = [
  { kind: 'VENUE', title: '单位多功能会议室', capacity: '80个座位', availability: '周末 9:00–17:00' },
  { kind: 'FUNDS', title: '社区公益金', capacity: '¥20,000', availability: '全年' },
  { kind: 'PERSONNEL', title: '党员志愿服务队', capacity: '6名志愿者', availability: '每月第一个周六' },
  { kind: 'INFORMATION', title: '就业岗位信息', capacity: '15个见习岗位', availability: '每季度更新' },
  { kind: 'SERVICE', title: '专业技术服务', capacity: '每月2次', availability: '工作日预约' },
  { kind: 'VENUE', title: '职工食堂', capacity: '50人就餐', availability: '工作日午间' },
]
const RESOURCE_PLAN: ResourceStatus[] = [
  'AVAILABLE',
  'CLAIMED',
  'AVAILABLE',
  'WITHDRAWN',
  'AVAILABLE',
  'CLAIMED',
  'AVAILABLE',
  'AVAILABLE',
]
const MILESTONES = ['方案制定', '组织实施', '总结评估']
const PROJECT_CANCEL_REASON = '场地改造，活动无法开展'
const NEED_WITHDRAW_REASON = '居民需求已由街道统一解决'
const RESOURCE_WITHDRAW_REASON = '场地改造，暂停对外开放'
/** Streets run side by side, and in each street the agreements, resources and needs (they touch different rows). */
const STREET_LANES = 2
const LANES = 4

export interface AgreementSummary {
  agreements: number
  needs: number
  resources: number
  needClaims: number
  resourceClaims: number
  projects: number
}

type AgreementInput = Parameters<typeof createJointAgreement>[1]

/** One step of an agreement's life, by whom and when it should have happened; each leaves one timeline event. */
type AgreementStep = { at: Date; by: string } & (
  | { do: 'CREATE' }
  | { do: 'CONFIRM'; signatoryName: string }
  | { do: 'SIGN' }
  | { do: 'ACTIVATE' }
  | { do: 'PROGRESS'; item: number; progress: number; note: string }
  | { do: 'REPORT'; unitId: string; year: number; report: string }
  | { do: 'REVIEW'; unitId: string; year: number; score: number; comment: string }
  | { do: 'TERMINATE'; reason: string }
)

interface AgreementPlan {
  status: AgreementStatus
  input: AgreementInput
  /** The planned end of the term; an agreement planned to have expired runs to `openEnd` until it is backdated. */
  endsAt: Date
  openEnd: Date | null
  steps: AgreementStep[]
  /** Set once it runs. */
  id?: string
  itemIds?: string[]
}

type ClaimOutcome = 'PENDING' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN'

interface ResourcePlan {
  offerer: string
  input: Parameters<typeof offerResource>[1]
  createdAt: Date
  withdraw: { by: string; at: Date } | null
  claims: { by: string; communityId: string; decider: string; outcome: ClaimOutcome; reason: string | null }[]
  claimedAt: Date
  decidedAt: Date
  id?: string
  claimIds?: string[]
}

interface ProjectPlan {
  officer: string
  /** The contact of the contributing unit, or the officer for a unit without one. */
  contributor: string
  resource: ResourcePlan
  input: Omit<Parameters<typeof createProject>[1], 'needClaimId' | 'agreementItemId' | 'resourceIds'>
  /** Which agreement item of the street it carries out, when it does not follow a need. */
  item: { agreement: number; index: number } | null
  status: ProjectStatus
  progress: number
  /** When each step should have happened: creation, start, each milestone, the last progress entry, cancellation. */
  dates: { created: Date; started: Date; milestones: Date[]; progress: Date; cancelled: Date }
  /** Set as it runs: the planned date of each timeline entry, in order. */
  timeline: Date[]
  id?: string
  needId?: string
}

interface NeedPlan {
  officer: string
  input: Parameters<typeof raiseNeed>[1]
  createdAt: Date
  /** In the order they are made; `winner`: the claim approved. */
  claims: { by: string; unitId: string; outcome: ClaimOutcome; reason: string | null; at: Date }[]
  winner: number | null
  withdrawnAt: Date | null
  project: ProjectPlan | null
  id?: string
  claimIds?: string[]
}

interface StreetPlan {
  agreements: AgreementPlan[]
  resources: ResourcePlan[]
  needs: NeedPlan[]
  /** Carried out by an agreement item: created once the agreements run. */
  itemProject: ProjectPlan | null
}

/** Loads joint construction for every street; streets that already have agreements are left alone. */
export async function seedAgreements(prisma: PrismaClient): Promise<AgreementSummary> {
  const streetOrgs = await prisma.partyOrg.findMany({
    where: { level: 'STREET_WORKING_COMMITTEE' },
    orderBy: { name: 'asc' },
    include: { region: { select: { path: true } } },
  })
  const now = new Date()
  const actors = new SeedActors(prisma)
  const plans: StreetPlan[] = []
  for (const org of streetOrgs) {
    const seeded = await prisma.jointAgreement.findFirst({
      where: { region: { path: { startsWith: org.region.path } } },
      select: { id: true },
    })
    if (seeded) continue
    const plan = await planStreet(prisma, org, now)
    if (plan) plans.push(plan)
  }
  await inLanes(
    plans.map((p) => () => runStreet(actors, p)),
    STREET_LANES,
  )
  await backdateJointConstruction(prisma, plans)
  // the expiry job, run at the end of each term planned to have expired
  const ends = [...new Set(plans.flatMap((p) => p.agreements.filter((a) => a.openEnd).map((a) => a.endsAt.getTime())))]
  for (const end of ends.sort((x, y) => x - y)) await expireAgreements({ prisma, pubsub: actors.pubsub }, new Date(end))
  const resources = (p: StreetPlan) => [
    ...p.resources,
    ...[...p.needs.map((n) => n.project), p.itemProject].flatMap((x) => (x ? [x.resource] : [])),
  ]
  const sum = (f: (p: StreetPlan) => number) => plans.reduce((s, p) => s + f(p), 0)
  return {
    agreements: sum((p) => p.agreements.length),
    needs: sum((p) => p.needs.length),
    resources: sum((p) => resources(p).length),
    needClaims: sum((p) => p.needs.reduce((s, n) => s + n.claims.length, 0)),
    resourceClaims: sum((p) => p.resources.reduce((s, r) => s + r.claims.length, 0)),
    projects: sum((p) => p.needs.filter((n) => n.project).length + (p.itemProject ? 1 : 0)),
  }
}

// ---------------------------------------------------------------- the plan

async function planStreet(
  prisma: PrismaClient,
  streetOrg: { id: string; regionId: string; name: string },
  now: Date,
): Promise<StreetPlan | null> {
  const street = await prisma.region.findUniqueOrThrow({ where: { id: streetOrg.regionId } })
  const [communities, units, users] = await Promise.all([
    prisma.region.findMany({
      where: { parentId: street.id, level: 'COMMUNITY' },
      orderBy: { code: 'asc' },
      include: {
        grids: { orderBy: { code: 'asc' }, select: { id: true } },
        partyOrgs: { where: { level: 'COMMUNITY_COMMITTEE' }, select: { id: true } },
      },
    }),
    prisma.residentUnit.findMany({
      where: { community: { parentId: street.id } },
      orderBy: [{ kind: 'asc' }, { name: 'asc' }],
      include: {
        partyOrgs: {
          where: { level: 'UNIT_ORG', active: true },
          orderBy: { createdAt: 'asc' },
          select: { id: true, secretaryName: true },
        },
      },
    }),
    prisma.user.findMany({
      where: {
        active: true,
        OR: [
          { roles: { has: 'STREET_OFFICER' }, regionIds: { has: street.id } },
          { roles: { has: 'COMMUNITY_OFFICER' } },
          { roles: { has: 'UNIT_CONTACT' } },
        ],
      },
      orderBy: { username: 'asc' },
      select: { username: true, roles: true, regionIds: true, unitId: true },
    }),
  ])
  if (!communities.length || units.length < 4) return null
  const rnd = seededRandom(0xc0b1 + ([...street.code].reduce((s, ch) => s * 31 + ch.charCodeAt(0), 7) % 100_000))
  const streetOfficer = users.find((u) => u.roles.includes('STREET_OFFICER'))?.username
  if (!streetOfficer) return null
  const officerOf = (communityId: string) =>
    users.find((u) => u.roles.includes('COMMUNITY_OFFICER') && u.regionIds.includes(communityId))?.username ??
    streetOfficer
  const contactOf = (unitId: string) =>
    users.find((u) => u.roles.includes('UNIT_CONTACT') && u.unitId === unitId)?.username ?? null
  const unitsOf = (communityId: string) => units.filter((u) => u.communityId === communityId)
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY)
  const lastYear = serviceYear(now) - 1
  const plan: StreetPlan = { agreements: [], resources: [], needs: [], itemProject: null }

  // ------------------------------------------------------------ agreements (共建协议)
  let kindCursor = 0
  AGREEMENT_PLAN.forEach((status, i) => {
    const streetLevel = i % 4 === 0
    const community = communities[i % communities.length]!
    const orgId = streetLevel ? streetOrg.id : community.partyOrgs[0]?.id
    if (!orgId) return
    const officer = streetLevel ? streetOfficer : officerOf(community.id)
    const pool = streetLevel ? units : unitsOf(community.id)
    const parties = rnd.some(pool, streetLevel ? rnd.int(2, 3) : rnd.int(1, 2))
    if (!parties.length) return
    // term: running ones started a while ago (one ends within 20 days), future ones start soon, ended ones ended
    const term: Record<AgreementStatus, [number, number]> = {
      ACTIVE: [120 + i * 40, i === 0 ? -20 : -(200 + rnd.int(0, 500))],
      SIGNED: [-rnd.int(5, 30), -rnd.int(400, 1000)],
      DRAFT: [-rnd.int(20, 60), -rnd.int(400, 1100)],
      EXPIRED: [800, 60 + rnd.int(0, 40)],
      TERMINATED: [300, -400],
    }
    const [startAgo, endAgo] = term[status]
    const startsAt = at(startAgo)
    const endsAt = at(endAgo)
    const createdAt = at(Math.max(startAgo, 0) + 30)
    const signed = status !== 'DRAFT'
    const running = status === 'ACTIVE' || status === 'EXPIRED' || status === 'TERMINATED'
    const closedAt = status === 'EXPIRED' ? endsAt : status === 'TERMINATED' ? at(40) : null
    const names = parties.map((u) => u.name.replace(/有限公司.*|（.*）/, ''))
    const steps: AgreementStep[] = [{ do: 'CREATE', at: createdAt, by: officer }]
    const partyInputs = parties.map((u, k) => {
      const signatoryName =
        status === 'DRAFT' && rnd.chance(0.5) ? null : (u.partyOrgs[0]?.secretaryName ?? u.contactName)
      const contact = contactOf(u.id)
      // a unit with an account confirms its side itself; the officer names the others' signatories
      if (signatoryName && contact)
        steps.push({ do: 'CONFIRM', at: new Date(createdAt.getTime() + (5 + k) * DAY), by: contact, signatoryName })
      return { unitId: u.id, signatoryName: contact ? null : signatoryName }
    })
    if (signed) steps.push({ do: 'SIGN', at: at(Math.max(startAgo, 0) + 10), by: officer })
    if (running) steps.push({ do: 'ACTIVATE', at: startsAt, by: officer })
    const itemCount = rnd.int(2, 3)
    const items: NonNullable<AgreementInput['items']> = []
    for (let k = 0; k < itemCount; k++) {
      const kind = KINDS[kindCursor++ % KINDS.length]!
      const [title, target] = rnd.pick(ITEM_TITLES[kind])
      const unit = parties.length > 1 && rnd.chance(0.5) ? rnd.pick(parties) : null
      const entries = running ? rnd.int(1, 3) : 0
      let progress = 0
      for (let e = 0; e < entries; e++) {
        progress = Math.min(100, progress + rnd.int(15, 40))
        const when = new Date(Math.min(startsAt.getTime() + (e + 1) * 45 * DAY, (closedAt ?? now).getTime() - DAY))
        const contact = contactOf((unit ?? parties[0]!).id)
        const recorder = rnd.chance(0.5) ? officer : (contact ?? officer)
        steps.push({
          do: 'PROGRESS',
          at: when,
          by: recorder,
          item: k,
          progress,
          note: `${title}：已完成阶段任务，进度${progress}%`,
        })
      }
      items.push({
        kind,
        title,
        unitId: unit?.id ?? null,
        orgLeadName: rnd.personName(),
        orgLeadPhone: rnd.mobile(),
        unitLeadName: rnd.personName(),
        unitLeadPhone: rnd.mobile(),
        target,
      })
    }
    if (status === 'TERMINATED')
      steps.push({ do: 'TERMINATE', at: closedAt!, by: officer, reason: TERMINATIONS[i % TERMINATIONS.length]! })
    // 述职评议 for last year, where the agreement ran then: the unit reports, the officers score
    if (running && startsAt.getFullYear() <= lastYear) {
      for (const u of parties) {
        const reportedAt = at(rnd.int(20, 60))
        const score = rnd.int(72, 98)
        const contact = contactOf(u.id)
        if (contact)
          steps.push({
            do: 'REPORT',
            at: reportedAt,
            by: contact,
            unitId: u.id,
            year: lastYear,
            report: `${u.name}${lastYear}年度履行共建协议情况：按协议开展结对帮扶和资源共享，参与社区志愿服务。`,
          })
        steps.push({
          do: 'REVIEW',
          at: new Date(reportedAt.getTime() + 5 * DAY),
          by: officer,
          unitId: u.id,
          year: lastYear,
          score,
          comment: score >= 90 ? '履约积极，成效明显，评为优秀。' : '能够按协议履约，建议进一步加强资源共享。',
        })
      }
    }
    plan.agreements.push({
      status,
      input: {
        partyOrgId: orgId,
        title: `${streetLevel ? street.name : community.name}与${names.join('、')}共建协议`,
        summary: '围绕组织共建、资源共享、实事共办，推动党建引领基层治理。',
        startsAt,
        endsAt: status === 'EXPIRED' ? new Date(now.getTime() + 30 * DAY) : endsAt,
        parties: partyInputs,
        items,
      },
      endsAt,
      openEnd: status === 'EXPIRED' ? new Date(now.getTime() + 30 * DAY) : null,
      // in the order they happened; a stable sort keeps same-day steps in the order planned
      steps: steps.sort((a, b) => a.at.getTime() - b.at.getTime()),
    })
  })

  // ------------------------------------------------------------ resources (资源清单)
  let resourceNo = 0
  const resource = (unit: (typeof units)[number], createdAt: Date): ResourcePlan => {
    const spec = RESOURCES[resourceNo++ % RESOURCES.length]!
    return {
      offerer: contactOf(unit.id) ?? officerOf(unit.communityId),
      input: {
        title: `${unit.name.slice(0, 12)}${spec.title}`,
        kind: spec.kind,
        unitId: unit.id,
        capacity: spec.capacity,
        availability: spec.availability,
      },
      createdAt,
      withdraw: null,
      claims: [],
      claimedAt: at(30),
      decidedAt: at(20),
    }
  }
  units.slice(0, 8).forEach((u, i) => {
    const status = RESOURCE_PLAN[i % RESOURCE_PLAN.length]!
    const r = resource(u, at(rnd.int(60, 200)))
    const claimer = communities[(i + 1) % communities.length]!
    const claim = (outcome: ClaimOutcome, reason: string | null) =>
      r.claims.push({
        by: officerOf(claimer.id),
        communityId: claimer.id,
        decider: officerOf(u.communityId),
        outcome,
        reason,
      })
    if (status === 'CLAIMED') claim('APPROVED', null)
    if (status === 'WITHDRAWN') r.withdraw = { by: r.offerer, at: at(10) }
    if (i === 0) claim('PENDING', null)
    if (i === 2) claim('REJECTED', '场地档期已满')
    if (i === 4) claim('WITHDRAWN', '活动取消')
    plan.resources.push(r)
  })

  // ------------------------------------------------------------ needs, claims and projects
  let projectNo = 0
  const project = (
    officer: string,
    unit: (typeof units)[number],
    status: ProjectStatus,
    title: string,
    item: ProjectPlan['item'],
  ): ProjectPlan => {
    const n = projectNo++
    const progress =
      status === 'COMPLETED' ? 100 : status === 'PLANNED' ? 0 : status === 'CANCELLED' ? 33 : [34, 50, 67][n % 3]!
    return {
      officer,
      contributor: contactOf(unit.id) ?? officer,
      resource: resource(unit, at(140)),
      input: {
        title: `${title}项目`,
        description: `由${unit.name}提供资源，承接${title}。`,
        leadName: rnd.personName(),
        startsAt: at(90),
        endsAt: at(-60),
        milestones: MILESTONES.map((m, k) => ({ title: m, dueAt: at(80 - k * 30) })),
      },
      item,
      status,
      progress,
      dates: {
        created: at(90),
        started: at(85),
        milestones: MILESTONES.map((_, k) => new Date(at(85 - k * 30).getTime() + HOUR)),
        progress: at(20),
        cancelled: at(15),
      },
      timeline: [],
    }
  }
  communities.forEach((c, ci) => {
    const local = unitsOf(c.id)
    const claimants = local.length >= 2 ? local : units.slice(ci, ci + 2)
    NEED_PLAN.forEach((status, ni) => {
      const category = NEED_CATEGORIES[(ci * 3 + ni) % NEED_CATEGORIES.length]!
      const title = NEED_TITLES[category]![ni % 2]!
      const officer = officerOf(c.id)
      const createdAt = at(150 - ni * 12)
      const winner = claimants[ni % claimants.length]!
      const loser = claimants[(ni + 1) % claimants.length]!
      const claimedAt = new Date(createdAt.getTime() + 3 * DAY)
      const need: NeedPlan = {
        officer,
        input: {
          title,
          description: `${c.name}${title}，欢迎驻区单位认领。`,
          category,
          communityId: c.id,
          gridId: c.grids[ni % Math.max(1, c.grids.length)]?.id ?? null,
          urgency: (['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const)[ni % 4],
          beneficiaries: `${rnd.int(10, 60)}位居民`,
          beneficiaryCount: rnd.int(10, 60),
        },
        createdAt,
        claims: [],
        winner: null,
        withdrawnAt: status === 'WITHDRAWN' ? at(5) : null,
        project: null,
      }
      const claim = (u: (typeof units)[number], outcome: ClaimOutcome, reason: string | null, hoursLater = 0) =>
        need.claims.push({
          by: contactOf(u.id) ?? officer,
          unitId: u.id,
          outcome,
          reason,
          at: new Date(claimedAt.getTime() + hoursLater * HOUR),
        })
      if (status === 'OPEN' && ni === 0) claim(winner, 'PENDING', null)
      if (status === 'OPEN' && ni === 3) claim(winner, 'WITHDRAWN', '人手不足，暂不承接')
      if (status === 'OPEN' && ni === 7) {
        claim(loser, 'REJECTED', '服务内容与需求不符')
        claim(winner, 'PENDING', null, 1)
      }
      if (status === 'CLAIMED' || status === 'IN_PROGRESS' || status === 'DONE') {
        claim(winner, 'APPROVED', null)
        need.winner = 0
        // the other claim is rejected by the approval
        if (loser.id !== winner.id) claim(loser, 'REJECTED', null, 1)
      }
      if (status === 'IN_PROGRESS' || status === 'DONE') {
        const projectStatus: ProjectStatus =
          status === 'DONE' ? 'COMPLETED' : projectNo % 3 === 0 ? 'PLANNED' : 'IN_PROGRESS'
        need.project = project(officer, winner, projectStatus, title, null)
      }
      plan.needs.push(need)
    })
  })

  // one agreement item carried out by a project that was cancelled
  const ai = plan.agreements.findIndex((a) => a.status === 'ACTIVE' && a.input.partyOrgId !== streetOrg.id)
  const active = plan.agreements[ai]
  if (active) {
    const item = active.input.items![0]!
    const unit = units.find((u) => u.id === (item.unitId ?? active.input.parties[0]!.unitId))!
    const community = communities.find((c) => c.partyOrgs[0]?.id === active.input.partyOrgId)!
    plan.itemProject = project(officerOf(community.id), unit, 'CANCELLED', item.title, { agreement: ai, index: 0 })
  }
  return plan
}

// ---------------------------------------------------------------- running the plan

/** A street's agreements, resources and needs side by side (they touch different rows), then the item's project. */
async function runStreet(actors: SeedActors, p: StreetPlan): Promise<void> {
  await inLanes(
    [
      ...p.agreements.map((a) => () => runAgreement(actors, a)),
      ...p.resources.map((r) => () => runResource(actors, r)),
      ...p.needs.map((n) => () => runNeed(actors, n)),
    ],
    LANES,
  )
  const x = p.itemProject
  if (x?.item) {
    const a = p.agreements[x.item.agreement]!
    await runProject(actors, x, { agreementItemId: a.itemIds![x.item.index]! })
  }
}

/** One agreement's steps in the order they happened, each as the person who took it. */
async function runAgreement(actors: SeedActors, p: AgreementPlan): Promise<void> {
  let version = 0
  const items: number[] = []
  for (const s of p.steps) {
    const ctx = await actors.as(s.by)
    if (s.do === 'CREATE') {
      const a = await createJointAgreement(ctx, p.input)
      p.id = a.id
      version = a.version
      const rows = await ctx.prisma.agreementItem.findMany({
        where: { agreementId: a.id },
        orderBy: { id: 'asc' },
        select: { id: true, title: true, kind: true },
      })
      // createMany keeps no order the ids would show: match the rows to the planned items
      const left = [...rows]
      p.itemIds = p.input.items!.map((it) => {
        const k = left.findIndex((r) => r.title === it.title && r.kind === it.kind)
        return left.splice(k, 1)[0]!.id
      })
      items.push(...p.itemIds.map(() => 0))
      continue
    }
    const id = p.id!
    if (s.do === 'CONFIRM')
      version = (await confirmAgreementParty(ctx, { id, version, signatoryName: s.signatoryName })).version
    if (s.do === 'SIGN')
      version = (
        await signJointAgreement(ctx, {
          id,
          version,
          signedAt: s.at,
          documents: [`https://files.gongzhi.example/agreements/${id}.pdf`],
        })
      ).version
    if (s.do === 'ACTIVATE') version = (await activateJointAgreement(ctx, { id, version })).version
    if (s.do === 'TERMINATE') version = (await terminateJointAgreement(ctx, { id, version, reason: s.reason })).version
    if (s.do === 'PROGRESS')
      items[s.item] = (
        await recordAgreementProgress(ctx, {
          itemId: p.itemIds![s.item]!,
          version: items[s.item]!,
          progress: s.progress,
          note: s.note,
          occurredAt: s.at,
        })
      ).version
    if (s.do === 'REPORT') await submitAgreementReport(ctx, { agreementId: id, year: s.year, report: s.report })
    if (s.do === 'REVIEW') {
      const existing = await ctx.prisma.agreementReview.findUnique({
        where: { agreementId_unitId_year: { agreementId: id, unitId: s.unitId, year: s.year } },
        select: { version: true },
      })
      await reviewAgreementUnit(ctx, {
        agreementId: id,
        unitId: s.unitId,
        year: s.year,
        score: s.score,
        comment: s.comment,
        version: existing?.version ?? null,
      })
    }
  }
}

/** A unit offers a resource; communities claim it, its community's officer decides; or the unit withdraws it. */
async function runResource(actors: SeedActors, p: ResourcePlan): Promise<void> {
  const r = await offerResource(await actors.as(p.offerer), p.input)
  p.id = r.id
  p.claimIds = []
  for (const c of p.claims) {
    const claimant = await actors.as(c.by)
    const decider = await actors.as(c.decider)
    const claim = await claimResource(claimant, { resourceId: r.id, communityId: c.communityId, note: '用于社区活动' })
    p.claimIds.push(claim.id)
    const v = { id: claim.id, version: claim.version }
    if (c.outcome === 'APPROVED') await approveResourceClaim(decider, v)
    if (c.outcome === 'REJECTED') await rejectResourceClaim(decider, { ...v, reason: c.reason! })
    if (c.outcome === 'WITHDRAWN') await withdrawResourceClaim(claimant, { ...v, reason: c.reason })
  }
  if (p.withdraw)
    await withdrawResource(await actors.as(p.withdraw.by), {
      id: r.id,
      version: r.version,
      reason: RESOURCE_WITHDRAW_REASON,
    })
}

/** The officer raises a need; units claim it, the officer decides; the approved claim may become a project. */
async function runNeed(actors: SeedActors, p: NeedPlan): Promise<void> {
  const officer = await actors.as(p.officer)
  const need = await raiseNeed(officer, p.input)
  p.id = need.id
  p.claimIds = []
  for (const c of p.claims) {
    const claimant = await actors.as(c.by)
    const claim = await claimNeed(claimant, {
      needId: need.id,
      unitId: c.unitId,
      note: '我单位可以组织党员志愿者承接',
    })
    p.claimIds.push(claim.id)
    const v = { id: claim.id, version: claim.version }
    // an approval rejects the claims still pending: those are made before it
    if (c.outcome === 'REJECTED' && c.reason) await rejectNeedClaim(officer, { ...v, reason: c.reason })
    if (c.outcome === 'WITHDRAWN') await withdrawNeedClaim(claimant, { ...v, reason: c.reason })
  }
  if (p.winner !== null) {
    const id = p.claimIds[p.winner]!
    await approveNeedClaim(officer, { id, version: 0 })
  }
  if (p.withdrawnAt) await withdrawNeed(officer, { id: need.id, version: need.version, reason: NEED_WITHDRAW_REASON })
  if (p.project && p.winner !== null) {
    p.project.needId = need.id
    await runProject(actors, p.project, { needClaimId: p.claimIds[p.winner]! })
  }
}

/**
 * The unit offers the resource the project uses, the officer creates and starts it, the unit's
 * contact completes milestones and records progress; the officer cancels it when planned so.
 */
async function runProject(
  actors: SeedActors,
  p: ProjectPlan,
  from: { needClaimId: string } | { agreementItemId: string },
): Promise<void> {
  const officer = await actors.as(p.officer)
  const contributor = await actors.as(p.contributor)
  await runResource(actors, p.resource)
  let project = await createProject(officer, { ...p.input, ...from, resourceIds: [p.resource.id!] })
  p.id = project.id
  p.timeline.push(p.dates.created)
  if (p.status === 'PLANNED') return
  project = await startProject(officer, { id: project.id, version: project.version })
  p.timeline.push(p.dates.started)
  const milestones = await officer.prisma.projectMilestone.findMany({
    where: { projectId: project.id },
    orderBy: { sortOrder: 'asc' },
  })
  for (const [k, m] of milestones.entries()) {
    if (milestoneShare(k + 1, milestones.length) > p.progress) break
    project = await completeProjectMilestone(contributor, { milestoneId: m.id, version: project.version })
    p.timeline.push(p.dates.milestones[k]!)
  }
  if (p.progress > project.progress) {
    project = await recordProjectProgress(contributor, {
      id: project.id,
      version: project.version,
      progress: p.progress,
      note: '活动按计划推进',
    })
    p.timeline.push(p.dates.progress)
  }
  if (p.status === 'CANCELLED') {
    await cancelProject(officer, { id: project.id, version: project.version, reason: PROJECT_CANCEL_REASON })
    p.timeline.push(p.dates.cancelled)
  }
}

// ---------------------------------------------------------------- dates

/**
 * The services stamped every step "now"; this moves only dates to the planned ones, so the demo
 * shows two years of joint construction: each agreement's timeline, progress entries, reviews and
 * activation, termination and creation dates (and the end of the terms planned to have expired,
 * which ran open so they could be activated); the lists' claims, decisions and closings; the
 * projects' starts, milestones, completions and entries. States, versions and rows are the services' own.
 */
async function backdateJointConstruction(prisma: PrismaClient, plans: StreetPlan[]): Promise<void> {
  const ops: Prisma.PrismaPromise<unknown>[] = []
  for (const plan of plans) {
    for (const a of plan.agreements) await backdateAgreement(prisma, a, ops)
    for (const r of plan.resources) backdateResource(prisma, r, ops)
    for (const n of plan.needs) {
      const claimed = n.claims.map((c) => c.at)
      ops.push(
        prisma.needItem.update({
          where: { id: n.id! },
          data: {
            createdAt: n.createdAt,
            updatedAt: n.withdrawnAt ?? claimed.at(-1) ?? n.createdAt,
            ...(n.withdrawnAt ? { closedAt: n.withdrawnAt } : {}),
          },
        }),
      )
      n.claims.forEach((c, k) => {
        const decided = c.outcome === 'APPROVED' || c.outcome === 'REJECTED'
        const decidedAt = new Date(c.at.getTime() + 2 * DAY)
        ops.push(
          prisma.needClaim.update({
            where: { id: n.claimIds![k]! },
            data: { createdAt: c.at, updatedAt: decided ? decidedAt : c.at, ...(decided ? { decidedAt } : {}) },
          }),
        )
      })
    }
    for (const x of [...plan.needs.map((n) => n.project), plan.itemProject])
      if (x) await backdateProject(prisma, x, ops)
  }
  await prisma.$transaction(ops)
}

async function backdateAgreement(prisma: PrismaClient, a: AgreementPlan, ops: Prisma.PrismaPromise<unknown>[]) {
  const events = await prisma.agreementEvent.findMany({
    where: { agreementId: a.id! },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  })
  if (events.length !== a.steps.length)
    throw new Error(`agreement seed: ${events.length} events for ${a.steps.length} steps of ${a.input.title}`)
  for (const [k, e] of events.entries())
    ops.push(prisma.agreementEvent.update({ where: { id: e.id }, data: { createdAt: a.steps[k]!.at } }))
  const created = a.steps[0]!.at
  const last = a.steps.at(-1)!.at
  const activated = a.steps.find((s) => s.do === 'ACTIVATE')?.at
  const terminated = a.steps.find((s) => s.do === 'TERMINATE')?.at
  ops.push(
    prisma.jointAgreement.update({
      where: { id: a.id! },
      data: {
        createdAt: created,
        updatedAt: last,
        ...(activated ? { activatedAt: activated } : {}),
        ...(terminated ? { closedAt: terminated } : {}),
        ...(a.openEnd ? { endsAt: a.endsAt } : {}),
      },
    }),
    prisma.agreementParty.updateMany({ where: { agreementId: a.id! }, data: { createdAt: created } }),
  )
  a.itemIds!.forEach((itemId, k) => {
    const progress = a.steps.filter((s) => s.do === 'PROGRESS' && s.item === k)
    ops.push(
      prisma.agreementItem.update({
        where: { id: itemId },
        data: { createdAt: created, updatedAt: progress.at(-1)?.at ?? created },
      }),
    )
  })
  const entries = await prisma.agreementProgress.findMany({
    where: { item: { agreementId: a.id! } },
    select: { id: true, occurredAt: true },
  })
  for (const e of entries)
    ops.push(prisma.agreementProgress.update({ where: { id: e.id }, data: { createdAt: e.occurredAt } }))
  for (const s of a.steps) {
    if (s.do !== 'REPORT' && s.do !== 'REVIEW') continue
    const where = { agreementId_unitId_year: { agreementId: a.id!, unitId: s.unitId, year: s.year } }
    const reported = a.steps.some((x) => x.do === 'REPORT' && x.unitId === s.unitId && x.year === s.year)
    ops.push(
      prisma.agreementReview.update({
        where,
        data:
          s.do === 'REPORT'
            ? { createdAt: s.at, reportedAt: s.at, updatedAt: s.at }
            : { reviewedAt: s.at, updatedAt: s.at, ...(reported ? {} : { createdAt: s.at }) },
      }),
    )
  }
}

function backdateResource(prisma: PrismaClient, r: ResourcePlan, ops: Prisma.PrismaPromise<unknown>[]) {
  ops.push(
    prisma.resourceItem.update({
      where: { id: r.id! },
      data: {
        createdAt: r.createdAt,
        updatedAt: r.withdraw?.at ?? (r.claims.length ? r.decidedAt : r.createdAt),
        ...(r.withdraw ? { closedAt: r.withdraw.at } : {}),
      },
    }),
  )
  r.claims.forEach((c, k) => {
    const claimedAt = new Date(r.claimedAt.getTime() + k * HOUR)
    const decided = c.outcome === 'APPROVED' || c.outcome === 'REJECTED'
    ops.push(
      prisma.resourceClaim.update({
        where: { id: r.claimIds![k]! },
        data: {
          createdAt: claimedAt,
          updatedAt: c.outcome === 'PENDING' ? claimedAt : r.decidedAt,
          ...(decided ? { decidedAt: r.decidedAt } : {}),
        },
      }),
    )
  })
}

async function backdateProject(prisma: PrismaClient, p: ProjectPlan, ops: Prisma.PrismaPromise<unknown>[]) {
  backdateResource(prisma, p.resource, ops)
  const entries = await prisma.projectProgress.findMany({
    where: { projectId: p.id! },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  })
  if (entries.length !== p.timeline.length)
    throw new Error(`agreement seed: ${entries.length} entries for ${p.timeline.length} steps of ${p.input.title}`)
  for (const [k, e] of entries.entries())
    ops.push(prisma.projectProgress.update({ where: { id: e.id }, data: { createdAt: p.timeline[k]! } }))
  const last = p.timeline.at(-1)!
  ops.push(
    prisma.project.update({
      where: { id: p.id! },
      data: {
        createdAt: p.dates.created,
        updatedAt: last,
        ...(p.status !== 'PLANNED' ? { startedAt: p.dates.started } : {}),
        ...(p.status === 'COMPLETED' ? { completedAt: last } : {}),
      },
    }),
    prisma.projectMilestone.updateMany({ where: { projectId: p.id! }, data: { createdAt: p.dates.created } }),
  )
  const milestones = await prisma.projectMilestone.findMany({
    where: { projectId: p.id!, doneAt: { not: null } },
    select: { id: true, sortOrder: true },
  })
  for (const m of milestones)
    ops.push(
      prisma.projectMilestone.update({ where: { id: m.id }, data: { doneAt: p.dates.milestones[m.sortOrder]! } }),
    )
  if (p.needId && p.status === 'COMPLETED')
    ops.push(prisma.needItem.update({ where: { id: p.needId }, data: { closedAt: last, updatedAt: last } }))
  else if (p.needId) ops.push(prisma.needItem.update({ where: { id: p.needId }, data: { updatedAt: p.dates.created } }))
}
