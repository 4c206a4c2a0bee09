// Demo joint construction (共建) for every street of the demo territory: 16 agreements across every
// state (street- and community-level, items of every kind with progress, timelines, yearly reviews),
// and the three lists — 24 needs, resources of the units, claims in every state both ways, and
// projects planned, in progress, completed and cancelled with milestones and progress entries.
// Written with createMany, one transaction per street, exactly as the services would have left it:
// versions, claim slots, need and resource states, timelines. Call after seedParty (it needs the
// street and community committees and the units' party organisations).
import type { PrismaClient } from '../db.js'
import type {
  AgreementItemKind,
  AgreementStatus,
  ClaimStatus,
  NeedStatus,
  Prisma,
  ProjectStatus,
  ResourceKind,
  ResourceStatus,
} from '../generated/prisma/client.js'
import { serviceYear } from '../modules/party/transitions.js'
import { newId } from '../shared/ids.js'
import { seededRandom } from './random.js'

const DAY = 86_400_000
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

export interface AgreementSummary {
  agreements: number
  needs: number
  resources: number
  needClaims: number
  resourceClaims: number
  projects: number
}

interface Rows {
  agreements: Prisma.JointAgreementCreateManyInput[]
  parties: Prisma.AgreementPartyCreateManyInput[]
  items: Prisma.AgreementItemCreateManyInput[]
  progress: Prisma.AgreementProgressCreateManyInput[]
  events: Prisma.AgreementEventCreateManyInput[]
  reviews: Prisma.AgreementReviewCreateManyInput[]
  needs: Prisma.NeedItemCreateManyInput[]
  resources: Prisma.ResourceItemCreateManyInput[]
  needClaims: Prisma.NeedClaimCreateManyInput[]
  resourceClaims: Prisma.ResourceClaimCreateManyInput[]
  projects: Prisma.ProjectCreateManyInput[]
  projectResources: Prisma.ProjectResourceCreateManyInput[]
  milestones: Prisma.ProjectMilestoneCreateManyInput[]
  projectProgress: Prisma.ProjectProgressCreateManyInput[]
}

/** Loads joint construction for every street; streets that already have agreements are left alone. */
export async function seedAgreements(prisma: PrismaClient): Promise<AgreementSummary> {
  const summary: AgreementSummary = {
    agreements: 0,
    needs: 0,
    resources: 0,
    needClaims: 0,
    resourceClaims: 0,
    projects: 0,
  }
  const streetOrgs = await prisma.partyOrg.findMany({
    where: { level: 'STREET_WORKING_COMMITTEE' },
    orderBy: { name: 'asc' },
  })
  const now = new Date()
  for (const org of streetOrgs) {
    if (
      await prisma.jointAgreement.findFirst({
        where: {
          region: {
            path: { startsWith: (await prisma.region.findUniqueOrThrow({ where: { id: org.regionId } })).path },
          },
        },
        select: { id: true },
      })
    )
      continue
    const rows = await planStreet(prisma, org, now)
    if (!rows) continue
    await prisma.$transaction([
      prisma.jointAgreement.createMany({ data: rows.agreements }),
      prisma.agreementParty.createMany({ data: rows.parties }),
      prisma.agreementItem.createMany({ data: rows.items }),
      prisma.agreementProgress.createMany({ data: rows.progress }),
      prisma.agreementEvent.createMany({ data: rows.events }),
      prisma.agreementReview.createMany({ data: rows.reviews }),
      prisma.needItem.createMany({ data: rows.needs }),
      prisma.resourceItem.createMany({ data: rows.resources }),
      prisma.needClaim.createMany({ data: rows.needClaims }),
      prisma.resourceClaim.createMany({ data: rows.resourceClaims }),
      prisma.project.createMany({ data: rows.projects }),
      prisma.projectResource.createMany({ data: rows.projectResources }),
      prisma.projectMilestone.createMany({ data: rows.milestones }),
      prisma.projectProgress.createMany({ data: rows.projectProgress }),
    ])
    summary.agreements += rows.agreements.length
    summary.needs += rows.needs.length
    summary.resources += rows.resources.length
    summary.needClaims += rows.needClaims.length
    summary.resourceClaims += rows.resourceClaims.length
    summary.projects += rows.projects.length
  }
  return summary
}

async function planStreet(
  prisma: PrismaClient,
  streetOrg: { id: string; regionId: string; name: string },
  now: Date,
): Promise<Rows | null> {
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
        OR: [
          { roles: { has: 'STREET_OFFICER' }, regionIds: { has: street.id } },
          { roles: { has: 'COMMUNITY_OFFICER' } },
          { roles: { has: 'UNIT_CONTACT' } },
        ],
      },
      orderBy: { username: 'asc' },
      select: { id: true, roles: true, regionIds: true, unitId: true, displayName: true },
    }),
  ])
  if (!communities.length || units.length < 4) return null
  const rnd = seededRandom(0xc0b1 + ([...street.code].reduce((s, ch) => s * 31 + ch.charCodeAt(0), 7) % 100_000))
  const rows: Rows = {
    agreements: [],
    parties: [],
    items: [],
    progress: [],
    events: [],
    reviews: [],
    needs: [],
    resources: [],
    needClaims: [],
    resourceClaims: [],
    projects: [],
    projectResources: [],
    milestones: [],
    projectProgress: [],
  }
  const streetOfficer = users.find((u) => u.roles.includes('STREET_OFFICER'))?.id
  if (!streetOfficer) return null
  const officerOf = (communityId: string) =>
    users.find((u) => u.roles.includes('COMMUNITY_OFFICER') && u.regionIds.includes(communityId))?.id ?? streetOfficer
  const contactOf = (unitId: string) => users.find((u) => u.unitId === unitId)?.id ?? null
  const unitsOf = (communityId: string) => units.filter((u) => u.communityId === communityId)
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY)
  const lastYear = serviceYear(now) - 1

  // ------------------------------------------------------------ agreements (共建协议)
  let kindCursor = 0
  AGREEMENT_PLAN.forEach((status, i) => {
    const streetLevel = i % 4 === 0
    const community = communities[i % communities.length]!
    const orgId = streetLevel ? streetOrg.id : community.partyOrgs[0]?.id
    if (!orgId) return
    const regionId = streetLevel ? street.id : community.id
    const officer = streetLevel ? streetOfficer : officerOf(community.id)
    const pool = streetLevel ? units : unitsOf(community.id)
    const parties = rnd.some(pool, streetLevel ? rnd.int(2, 3) : rnd.int(1, 2))
    if (!parties.length) return
    const id = newId()
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
    const signedAt = status === 'DRAFT' ? null : at(Math.max(startAgo, 0) + 10)
    const activatedAt = status === 'ACTIVE' || status === 'EXPIRED' || status === 'TERMINATED' ? startsAt : null
    const closedAt = status === 'EXPIRED' ? endsAt : status === 'TERMINATED' ? at(40) : null
    const names = parties.map((u) => u.name.replace(/有限公司.*|（.*）/, ''))
    const events: [string, string | null, string | null, Date, string | null, string | null][] = [
      ['CREATE', null, 'DRAFT', createdAt, officer, null],
    ]
    if (signedAt) events.push(['SIGN', 'DRAFT', 'SIGNED', signedAt, officer, null])
    if (activatedAt) events.push(['ACTIVATE', 'SIGNED', 'ACTIVE', activatedAt, officer, null])
    const terminationReason = status === 'TERMINATED' ? TERMINATIONS[i % TERMINATIONS.length]! : null
    rows.agreements.push({
      id,
      title: `${streetLevel ? street.name : community.name}与${names.join('、')}共建协议`,
      summary: '围绕组织共建、资源共享、实事共办，推动党建引领基层治理。',
      partyOrgId: orgId,
      regionId,
      status,
      startsAt,
      endsAt,
      signedAt,
      activatedAt,
      closedAt,
      terminationReason,
      documents: signedAt ? [`https://files.gongzhi.example/agreements/${id}.pdf`] : [],
      createdById: officer,
      createdAt,
      version: events.length - 1 + (closedAt ? 1 : 0),
    })
    for (const u of parties) {
      rows.parties.push({
        id: newId(),
        agreementId: id,
        unitId: u.id,
        unitOrgId: u.partyOrgs[0]?.id ?? null,
        signatoryName: status === 'DRAFT' && rnd.chance(0.5) ? null : (u.partyOrgs[0]?.secretaryName ?? u.contactName),
        createdAt,
      })
    }
    const itemCount = rnd.int(2, 3)
    for (let k = 0; k < itemCount; k++) {
      const kind = KINDS[kindCursor++ % KINDS.length]!
      const [title, target] = rnd.pick(ITEM_TITLES[kind])
      const unit = parties.length > 1 && rnd.chance(0.5) ? rnd.pick(parties) : null
      const running = status === 'ACTIVE' || status === 'EXPIRED' || status === 'TERMINATED'
      const itemId = newId()
      const entries = running ? rnd.int(1, 3) : 0
      let progress = 0
      for (let e = 0; e < entries; e++) {
        progress = Math.min(100, progress + rnd.int(15, 40))
        const when = new Date(Math.min(activatedAt!.getTime() + (e + 1) * 45 * DAY, (closedAt ?? now).getTime() - DAY))
        const recorder = rnd.chance(0.5) ? officer : (contactOf((unit ?? parties[0]!).id) ?? officer)
        rows.progress.push({
          id: newId(),
          itemId,
          progress,
          note: `${title}：已完成阶段任务，进度${progress}%`,
          attachments: [],
          occurredAt: when,
          recordedById: recorder,
          createdAt: when,
        })
        events.push(['PROGRESS', 'ACTIVE', 'ACTIVE', when, recorder, `${title}: ${progress}%`])
      }
      rows.items.push({
        id: itemId,
        agreementId: id,
        kind,
        title,
        description: null,
        unitId: unit?.id ?? null,
        orgLeadName: rnd.personName(),
        orgLeadPhone: rnd.mobile(),
        unitLeadName: rnd.personName(),
        unitLeadPhone: rnd.mobile(),
        target,
        progress,
        version: entries,
        createdAt,
      })
    }
    if (status === 'EXPIRED')
      events.push(['EXPIRE', 'ACTIVE', 'EXPIRED', endsAt, null, `term ended ${endsAt.toISOString()}`])
    if (status === 'TERMINATED')
      events.push(['TERMINATE', 'ACTIVE', 'TERMINATED', closedAt!, officer, terminationReason])
    // 述职评议 for last year, where the agreement ran then
    if (activatedAt && activatedAt.getFullYear() <= lastYear) {
      for (const u of parties) {
        const reportedAt = at(rnd.int(20, 60))
        const score = rnd.int(72, 98)
        rows.reviews.push({
          id: newId(),
          agreementId: id,
          unitId: u.id,
          year: lastYear,
          unitReport: `${u.name}${lastYear}年度履行共建协议情况：按协议开展结对帮扶和资源共享，参与社区志愿服务。`,
          reportedById: contactOf(u.id),
          reportedAt,
          score,
          comment: score >= 90 ? '履约积极，成效明显，评为优秀。' : '能够按协议履约，建议进一步加强资源共享。',
          reviewedById: officer,
          reviewedAt: new Date(reportedAt.getTime() + 5 * DAY),
          version: 1,
          createdAt: reportedAt,
        })
        events.push(
          ['REPORT', null, null, reportedAt, contactOf(u.id), `${lastYear}`],
          ['REVIEW', null, null, new Date(reportedAt.getTime() + 5 * DAY), officer, `${lastYear}: ${score}`],
        )
      }
    }
    events.sort((a, b) => a[3].getTime() - b[3].getTime())
    for (const [action, from, to, when, actorId, note] of events)
      rows.events.push({
        id: newId(),
        agreementId: id,
        actorId,
        action,
        fromStatus: from,
        toStatus: to,
        note,
        createdAt: when,
      })
  })

  // ------------------------------------------------------------ resources (资源清单)
  const resource = (unit: (typeof units)[number], status: ResourceStatus, createdAt: Date) => {
    const spec = RESOURCES[rows.resources.length % RESOURCES.length]!
    const r: Prisma.ResourceItemCreateManyInput & { id: string } = {
      id: newId(),
      title: `${unit.name.slice(0, 12)}${spec.title}`,
      kind: spec.kind,
      unitId: unit.id,
      communityId: unit.communityId,
      capacity: spec.capacity,
      availability: spec.availability,
      status,
      offeredById: contactOf(unit.id) ?? officerOf(unit.communityId),
      closedAt: status === 'WITHDRAWN' ? at(10) : null,
      version: status === 'AVAILABLE' ? 0 : 1,
      createdAt,
    }
    rows.resources.push(r)
    return r
  }
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
  units.slice(0, 8).forEach((u, i) => {
    const status = RESOURCE_PLAN[i % RESOURCE_PLAN.length]!
    const r = resource(u, status, at(rnd.int(60, 200)))
    const claimer = communities[(i + 1) % communities.length]!
    const claim = (s: ClaimStatus, reason: string | null) =>
      rows.resourceClaims.push({
        id: newId(),
        resourceId: r.id,
        communityId: claimer.id,
        status: s,
        reason,
        note: '用于社区活动',
        claimedById: officerOf(claimer.id),
        decidedById: s === 'APPROVED' || s === 'REJECTED' ? officerOf(u.communityId) : null,
        decidedAt: s === 'PENDING' ? null : at(20),
        approvedSlot: s === 'APPROVED' ? true : null,
        activeSlot: s === 'PENDING' || s === 'APPROVED' ? true : null,
        version: s === 'PENDING' ? 0 : 1,
        createdAt: at(30),
      })
    if (status === 'CLAIMED') claim('APPROVED', null)
    if (i === 0) claim('PENDING', null)
    if (i === 2) claim('REJECTED', '场地档期已满')
    if (i === 4) claim('WITHDRAWN', '活动取消')
  })

  // ------------------------------------------------------------ needs, claims and projects
  let projectNo = 0
  communities.forEach((c, ci) => {
    const local = unitsOf(c.id)
    const claimants = local.length >= 2 ? local : units.slice(ci, ci + 2)
    NEED_PLAN.forEach((status, ni) => {
      const category = NEED_CATEGORIES[(ci * 3 + ni) % NEED_CATEGORIES.length]!
      const title = NEED_TITLES[category]![ni % 2]!
      const officer = officerOf(c.id)
      const createdAt = at(150 - ni * 12)
      const needId = newId()
      const winner = claimants[ni % claimants.length]!
      const loser = claimants[(ni + 1) % claimants.length]!
      const claim = (unitId: string, s: ClaimStatus, reason: string | null, when: Date) =>
        rows.needClaims.push({
          id: newId(),
          needId,
          unitId,
          status: s,
          reason,
          note: '我单位可以组织党员志愿者承接',
          claimedById: contactOf(unitId) ?? officer,
          decidedById: s === 'APPROVED' || (s === 'REJECTED' && !reason?.startsWith('已由')) ? officer : null,
          decidedAt: s === 'PENDING' ? null : new Date(when.getTime() + 2 * DAY),
          approvedSlot: s === 'APPROVED' ? true : null,
          activeSlot: s === 'PENDING' || s === 'APPROVED' ? true : null,
          version: s === 'PENDING' ? 0 : 1,
          createdAt: when,
        })
      const claimedAt = new Date(createdAt.getTime() + 3 * DAY)
      let version = 0
      if (status === 'OPEN' && ni === 0) claim(winner.id, 'PENDING', null, claimedAt)
      if (status === 'OPEN' && ni === 3) claim(winner.id, 'WITHDRAWN', '人手不足，暂不承接', claimedAt)
      if (status === 'OPEN' && ni === 7) {
        claim(winner.id, 'PENDING', null, claimedAt)
        claim(loser.id, 'REJECTED', '服务内容与需求不符', claimedAt)
      }
      if (status === 'CLAIMED' || status === 'IN_PROGRESS' || status === 'DONE') {
        claim(winner.id, 'APPROVED', null, claimedAt)
        if (loser.id !== winner.id)
          claim(loser.id, 'REJECTED', '已由其他认领方认领 (another claim was approved)', claimedAt)
        version = 1
      }
      if (status === 'WITHDRAWN') version = 1
      if (status === 'IN_PROGRESS' || status === 'DONE') {
        const projectStatus: ProjectStatus =
          status === 'DONE' ? 'COMPLETED' : projectNo % 3 === 0 ? 'PLANNED' : 'IN_PROGRESS'
        plannedProject(needId, c.id, winner, projectStatus, title, officer)
        version = status === 'DONE' ? 3 : 2
      }
      rows.needs.push({
        id: needId,
        title,
        description: `${c.name}${title}，欢迎驻区单位认领。`,
        category,
        communityId: c.id,
        gridId: c.grids[ni % Math.max(1, c.grids.length)]?.id ?? null,
        urgency: (['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const)[ni % 4],
        beneficiaries: `${rnd.int(10, 60)}位居民`,
        beneficiaryCount: rnd.int(10, 60),
        status,
        raisedById: officer,
        closedAt: status === 'DONE' || status === 'WITHDRAWN' ? at(5) : null,
        version,
        createdAt,
      })
    })
  })

  function plannedProject(
    needId: string | null,
    communityId: string,
    unit: (typeof units)[number],
    status: ProjectStatus,
    title: string,
    officer: string,
    agreementItemId: string | null = null,
  ) {
    const id = newId()
    const n = projectNo++
    const running = status === 'PLANNED' || status === 'IN_PROGRESS'
    const r = resource(unit, running ? 'IN_USE' : 'AVAILABLE', at(140))
    rows.projectResources.push({ id: newId(), projectId: id, resourceId: r.id, createdAt: at(90) })
    const milestoneTitles = ['方案制定', '组织实施', '总结评估']
    const progress =
      status === 'COMPLETED' ? 100 : status === 'PLANNED' ? 0 : status === 'CANCELLED' ? 33 : [34, 50, 67][n % 3]!
    const done = Math.floor((progress * milestoneTitles.length) / 100)
    milestoneTitles.forEach((m, k) => {
      rows.milestones.push({
        id: newId(),
        projectId: id,
        title: m,
        dueAt: at(80 - k * 30),
        doneAt: k < done ? at(85 - k * 30) : null,
        sortOrder: k,
        version: k < done ? 1 : 0,
      })
    })
    const entries: [number, string, Date][] = [[0, '项目立项 (created)', at(90)]]
    if (status !== 'PLANNED')
      entries.push([Math.min(progress, 34), `完成节点 (milestone done): ${milestoneTitles[0]}`, at(85)])
    if (progress > 34)
      entries.push([progress, status === 'COMPLETED' ? '项目全部完成，居民反映良好' : '活动按计划推进', at(20)])
    if (status === 'CANCELLED') entries.push([progress, '项目取消 (cancelled): 场地改造，活动无法开展', at(15)])
    for (const [p, note, when] of entries)
      rows.projectProgress.push({
        id: newId(),
        projectId: id,
        progress: p,
        note,
        recordedById: officer,
        createdAt: when,
      })
    rows.projects.push({
      id,
      title: `${title}项目`,
      description: `由${unit.name}提供资源，承接${title}。`,
      communityId,
      needId,
      agreementItemId,
      status,
      progress,
      leadName: rnd.personName(),
      startsAt: at(90),
      endsAt: at(-60),
      startedAt: status === 'PLANNED' ? null : at(85),
      completedAt: status === 'COMPLETED' ? at(20) : null,
      cancelReason: status === 'CANCELLED' ? '场地改造，活动无法开展' : null,
      createdById: officer,
      version: entries.length - 1,
      createdAt: at(90),
    })
  }

  // one agreement item carried out by a project that was cancelled
  const active = rows.agreements.find((a) => a.status === 'ACTIVE' && a.regionId !== street.id)
  const item = active && rows.items.find((i) => i.agreementId === active.id)
  const unit = active && units.find((u) => u.id === rows.parties.find((p) => p.agreementId === active.id)!.unitId)
  if (active && item && unit)
    plannedProject(null, active.regionId, unit, 'CANCELLED', item.title, officerOf(active.regionId), item.id!)
  return rows
}
