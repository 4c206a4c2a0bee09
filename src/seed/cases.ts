// Demo cases (群众诉求) for the demo territory: about 30 per street, in every case state and every
// reachable order state, with ratings, an escalation, suspensions and extensions. Everything is
// done through the case and dispatch services, acting as the seeded users, so the rows, versions,
// timelines, feed sequences and approvals are exactly what the API would have produced.
// Deterministic: the same plan, texts and points on every run (timestamps are "now").
import type { PrismaClient } from '../db.js'
import type { Case, DispatchOrder } from '../generated/prisma/client.js'
import type { CaseSource } from '../generated/prisma/enums.js'
import type { Context } from '../context.js'
import {
  acceptCase,
  closeCase,
  decideCaseApproval,
  escalateCase,
  rejectCase,
  reportCase,
  requestCaseApproval,
  resumeCase,
  submitCaseFeedback,
} from '../modules/case/case.service.js'
import {
  arriveOrder,
  completeOrder,
  dispatchCase,
  returnOrder,
  signOrder,
  transferOrder,
  verifyCase,
} from '../modules/case/dispatch.service.js'
import { inLanes, SeedActors } from './actors.js'
import { CATEGORIES } from './catalog.js'
import { COMMUNITIES } from './names.js'
import { seededRandom } from './random.js'

// ---------------------------------------------------------------- what is reported

type Category = 'SANITATION' | 'MUNICIPAL' | 'DISPUTE' | 'SECURITY' | 'PROPERTY' | 'SAFETY' | 'VENDING' | 'NOISE'

/** `{k}` compound, `{b}` building, `{r}` the community's road, `{n}` a house number. */
interface Template {
  title: string
  description: string
  at: 'building' | 'road'
}

const TEMPLATES: Record<Category, Template[]> = {
  SANITATION: [
    {
      title: '{k}{b}旁垃圾堆积',
      description: '{b}西侧垃圾桶满溢，生活垃圾堆在地上三天没人清运，天一热异味很大，还招苍蝇。',
      at: 'building',
    },
    {
      title: '{r}绿化带倾倒建筑垃圾',
      description: '{r}{n}号对面绿化带里有人夜里倾倒装修垃圾，碎砖和编织袋堆了一大片，影响市容。',
      at: 'road',
    },
    {
      title: '{k}地下车库入口卫生死角',
      description: '车库入口坡道边常年积着落叶和外卖餐盒，下雨后污水横流，居民进出很不方便。',
      at: 'building',
    },
  ],
  MUNICIPAL: [
    {
      title: '{r}人行道井盖缺失',
      description: '{r}{n}号门口人行道上一处井盖缺失，只用几根树枝挡着，晚上看不清，老人孩子容易掉下去。',
      at: 'road',
    },
    {
      title: '{k}{b}附近路灯不亮',
      description: '{b}到小区东门一段的路灯坏了一个多星期，晚上漆黑一片，老人下楼散步不安全。',
      at: 'building',
    },
    {
      title: '{r}雨后积水严重',
      description: '每次下雨{r}{n}号路口积水没过脚踝，雨水口被淤泥堵住，电动车经过容易熄火。',
      at: 'road',
    },
  ],
  DISPUTE: [
    {
      title: '{k}{b}楼上漏水邻里纠纷',
      description: '{b}501卫生间漏水渗到401天花板，墙皮大面积脱落，两家协商多次未果，双方情绪激动，请社区调解。',
      at: 'building',
    },
    {
      title: '{k}停车位纠纷',
      description: '两户居民为争抢{b}楼下的停车位多次争吵，昨晚差点动手，担心矛盾激化。',
      at: 'building',
    },
    {
      title: '{k}{b}养犬扰邻纠纷',
      description: '{b}3楼住户养的大型犬经常夜里吠叫，还不牵绳遛狗，邻居多次沟通无果。',
      at: 'building',
    },
  ],
  SECURITY: [
    {
      title: '{k}{b}单元门禁损坏',
      description: '{b}2单元门禁坏了半个月，陌生人随意进出，最近还丢了两辆电动车，居民担心安全。',
      at: 'building',
    },
    {
      title: '{r}夜间有人聚集酗酒',
      description: '{r}{n}号附近小广场每晚有人聚集喝酒喧哗到凌晨，有时还摔酒瓶，过往居民害怕。',
      at: 'road',
    },
  ],
  PROPERTY: [
    {
      title: '{k}物业服务差，电梯频繁故障',
      description: '{b}电梯一个月坏了三次，每次报修物业都拖好几天，楼里老人上下楼非常困难。',
      at: 'building',
    },
    {
      title: '{k}物业不及时清掏化粪池',
      description: '{b}前化粪池满溢，污水流到路面，打了三次物业电话都说安排，一直没人来处理。',
      at: 'building',
    },
    {
      title: '{k}二次供水水质浑浊',
      description: '这几天{b}自来水发黄有异味，怀疑楼顶水箱长期没有清洗，物业不给说法。',
      at: 'building',
    },
  ],
  SAFETY: [
    {
      title: '{k}消防通道被车辆堵塞',
      description: '{b}北侧消防通道长期停满私家车，上次救护车都开不进来，消防车更无法通行。',
      at: 'building',
    },
    {
      title: '{k}{b}楼道堆物',
      description: '{b}2单元楼道里堆满纸箱、旧家具，还有电动车停在楼梯口，安全出口被堵，存在火灾隐患。',
      at: 'building',
    },
    {
      title: '{k}{b}电动车飞线充电',
      description: '有住户从3楼窗户拉电线下来给电动车充电，电线垂在人行道上，雨天很危险。',
      at: 'building',
    },
  ],
  VENDING: [
    {
      title: '{r}早市占道经营',
      description: '每天早上6点到9点，{r}{n}号一带人行道上摆满菜摊，行人只能走机动车道，很危险。',
      at: 'road',
    },
    {
      title: '{k}门口流动摊贩夜间占道',
      description: '晚上8点以后{k}门口烧烤摊占道经营，油烟大、垃圾多，把小区出入口都堵住了。',
      at: 'road',
    },
  ],
  NOISE: [
    {
      title: '{k}广场舞噪声扰民',
      description: '每晚7点到10点{b}楼下广场舞音响开得很大，家里有老人和备考的学生，休息学习受影响。',
      at: 'building',
    },
    {
      title: '{r}沿街商铺夜间施工噪声',
      description: '{r}{n}号一家商铺装修，夜里11点以后还在切割墙面，噪声很大，周边居民无法入睡。',
      at: 'road',
    },
    {
      title: '{k}{b}楼上深夜噪声',
      description: '{b}楼上住户经常半夜拖动家具、敲击地面，楼下老人心脏不好，多次沟通无效。',
      at: 'building',
    },
  ],
}

/** What the lead (主办) and assisting (协办) addressees report when they complete an order. */
const RESULTS: Record<Category, [lead: string, assist: string]> = {
  SANITATION: [
    '已组织环卫作业班清运垃圾约3车，现场冲洗消杀完毕，增加了每日清运频次',
    '已约谈周边责任商户，责令其按时按点规范投放',
  ],
  MUNICIPAL: ['已派维修班组到场修复，设施恢复正常使用，并设置了临时警示标志', '已配合停电检修，线路和灯具更换完毕'],
  DISPUTE: [
    '经司法所人民调解员现场调解，双方达成书面调解协议，约定了维修和赔偿方式',
    '社区民警到场维持秩序，对双方进行了法治宣传',
  ],
  SECURITY: ['已加强夜间巡逻防控，督促物业修复门禁并加装监控', '已协助排查周边治安隐患'],
  PROPERTY: ['已约谈物业公司负责人，责令限期整改并纳入物业信用考核', '已协调业委会跟进整改，组织居民监督'],
  SAFETY: ['已组织联合检查，清理占用消防通道的车辆和楼道堆物，设置禁停标识', '已开展消防安全宣传，现场检查了消防设施'],
  VENDING: ['已劝离占道摊贩，引导其进入便民疏导点规范经营', '已检查摊贩经营资质和食品安全'],
  NOISE: ['已现场检测噪声并责令整改，音响音量已调低并约定活动时间', '民警到场劝导，现场已恢复安静'],
}

// ---------------------------------------------------------------- the plan

type Story =
  | 'reported'
  | 'accepted'
  | 'rejected'
  | 'created'
  | 'signed'
  | 'onSite'
  | 'returned'
  | 'transferred'
  | 'resolved'
  | 'resolvedByWorker'
  | 'verified'
  | 'closed'
  | 'closedByOfficer'
  | 'closedByPhone'
  | 'reopened'
  | 'reopenedThenClosed'
  | 'verifyFailed'
  | 'suspended'
  | 'suspendedThenResumed'
  | 'escalated'
  | 'extended'
  | 'extensionPending'
  | 'whistle'

interface Spec {
  story: Story
  category: Category
  template: number
  source: CaseSource
  /** A grid worker files it for a resident (代办); the resident follows and rates it. */
  onBehalf?: boolean
  anonymous?: boolean
  /** For stories that end with a rating. */
  rating?: number
}

/** One street's cases, in an order whose first 15 already reach every case and order state. */
const PLAN: Spec[] = [
  { story: 'reported', category: 'SANITATION', template: 0, source: 'RESIDENT' },
  { story: 'accepted', category: 'PROPERTY', template: 0, source: 'ONLINE' },
  { story: 'rejected', category: 'DISPUTE', template: 1, source: 'RESIDENT' },
  { story: 'created', category: 'SANITATION', template: 1, source: 'PATROL' },
  { story: 'signed', category: 'MUNICIPAL', template: 0, source: 'RESIDENT' },
  { story: 'onSite', category: 'VENDING', template: 0, source: 'HOTLINE' },
  { story: 'returned', category: 'NOISE', template: 1, source: 'ONLINE' },
  { story: 'transferred', category: 'MUNICIPAL', template: 1, source: 'PATROL' },
  { story: 'resolved', category: 'SANITATION', template: 2, source: 'PATROL' },
  { story: 'verified', category: 'NOISE', template: 0, source: 'RESIDENT' },
  { story: 'closed', category: 'MUNICIPAL', template: 0, source: 'RESIDENT', rating: 5 },
  { story: 'reopened', category: 'SANITATION', template: 0, source: 'RESIDENT', rating: 2 },
  { story: 'suspended', category: 'DISPUTE', template: 0, source: 'RESIDENT' },
  { story: 'escalated', category: 'PROPERTY', template: 1, source: 'HOTLINE' },
  { story: 'extended', category: 'MUNICIPAL', template: 2, source: 'PATROL' },
  { story: 'whistle', category: 'SAFETY', template: 0, source: 'PATROL' },
  { story: 'reported', category: 'NOISE', template: 2, source: 'HOTLINE', anonymous: true },
  { story: 'reported', category: 'MUNICIPAL', template: 1, source: 'PATROL' },
  { story: 'accepted', category: 'SAFETY', template: 2, source: 'PATROL' },
  { story: 'rejected', category: 'VENDING', template: 1, source: 'ONLINE' },
  { story: 'resolvedByWorker', category: 'SAFETY', template: 1, source: 'PATROL' },
  { story: 'verified', category: 'SECURITY', template: 1, source: 'HOTLINE' },
  { story: 'closed', category: 'SANITATION', template: 1, source: 'PATROL', onBehalf: true, rating: 4 },
  { story: 'closed', category: 'DISPUTE', template: 1, source: 'RESIDENT', rating: 3 },
  { story: 'closedByOfficer', category: 'VENDING', template: 0, source: 'HOTLINE' },
  { story: 'closedByPhone', category: 'NOISE', template: 0, source: 'HOTLINE', rating: 5 },
  { story: 'reopenedThenClosed', category: 'PROPERTY', template: 2, source: 'ONLINE', rating: 1 },
  { story: 'verifyFailed', category: 'MUNICIPAL', template: 0, source: 'RESIDENT' },
  { story: 'extensionPending', category: 'SECURITY', template: 0, source: 'PATROL' },
  { story: 'suspendedThenResumed', category: 'DISPUTE', template: 2, source: 'ONLINE', rating: 5 },
]

const COMMENTS: Record<number, string> = {
  1: '物业还是老样子，问题没有实质改变',
  2: '清理后第二天又堆起来了，没有根治',
  3: '基本解决了，希望以后能常态化管理',
  4: '问题解决了，就是等了两天',
  5: '处理很及时，工作人员态度也好，非常满意',
}

// ---------------------------------------------------------------- the territory, read back

interface GridInfo {
  id: string
  code: string
  minLng: number
  minLat: number
  maxLng: number
  maxLat: number
  leader: string
  fullTime: Worker
  workers: Worker[]
  buildings: { name: string; compound: string }[]
}
interface CommunityInfo {
  id: string
  road: string
  officer: string
  grids: GridInfo[]
}
interface Street {
  index: number
  officer: string
  residents: { id: string; username: string }[]
  communities: CommunityInfo[]
  /** Department by code suffix (HW, ZF, ZJ …): the street's own first, else the district's. */
  dept(abbr: string): { id: string; staff: string }
  /** Username of a department's staff account. */
  staffOf(departmentId: string): string
}

/** Street `s` (0-based) as seeded by seedDemo, or null when it does not exist. */
async function loadStreet(prisma: PrismaClient, s: number): Promise<Street | null> {
  const tag = s === 0 ? '' : `.${s + 1}`
  const officer = await prisma.user.findUnique({
    where: { username: `street.officer${tag}` },
    select: { username: true, regionIds: true },
  })
  const streetId = officer?.regionIds[0]
  if (!officer || !streetId) return null
  const street = await prisma.region.findUniqueOrThrow({ where: { id: streetId } })
  const [communities, users, departments, people] = await Promise.all([
    prisma.region.findMany({
      where: { parentId: street.id, level: 'COMMUNITY' },
      orderBy: { code: 'asc' },
      include: {
        grids: {
          orderBy: { code: 'asc' },
          include: {
            assignments: {
              where: { endedAt: null, role: { in: ['LEADER', 'FULL_TIME'] } },
              include: { user: { select: { id: true, username: true } } },
            },
            buildings: { orderBy: { name: 'asc' }, include: { compound: { select: { name: true } } } },
          },
        },
      },
    }),
    prisma.user.findMany({
      where: { active: true, roles: { hasSome: ['COMMUNITY_OFFICER', 'DEPARTMENT_STAFF'] } },
      orderBy: { username: 'asc' },
      select: { username: true, roles: true, regionIds: true, departmentId: true },
    }),
    prisma.department.findMany({
      where: { regionId: { in: [street.id, ...(street.parentId ? [street.parentId] : [])] } },
    }),
    prisma.user.findMany({
      where: { username: { startsWith: `resident${tag}.` }, roles: { has: 'RESIDENT' }, active: true },
      orderBy: { username: 'asc' },
      select: { id: true, username: true },
    }),
  ])
  // `resident.` also prefixes street 2's `resident.2.1`: keep this street's own
  const residents = people.filter((u) => new RegExp(`^resident${tag.replace('.', '\\.')}\\.\\d+$`).test(u.username))
  const staffOf = new Map<string, string>()
  for (const u of users) if (u.departmentId && !staffOf.has(u.departmentId)) staffOf.set(u.departmentId, u.username)
  const community = communities
    .map((c): CommunityInfo => {
      const road = COMMUNITIES.find((x) => x.name === c.name)?.road ?? c.name
      const off = users.find((u) => u.roles.includes('COMMUNITY_OFFICER') && u.regionIds.includes(c.id))
      if (!off) throw new Error(`demo cases: community ${c.code} has no officer`)
      return {
        id: c.id,
        road,
        officer: off.username,
        grids: c.grids.map((g) => {
          const leader = g.assignments.find((a) => a.role === 'LEADER')?.user
          const fullTime = g.assignments.find((a) => a.role === 'FULL_TIME')?.user
          if (!leader || !fullTime) throw new Error(`demo cases: grid ${g.code} lacks a leader or a full-time worker`)
          return {
            id: g.id,
            code: g.code,
            minLng: g.minLng,
            minLat: g.minLat,
            maxLng: g.maxLng,
            maxLat: g.maxLat,
            leader: leader.username,
            fullTime,
            workers: [leader, fullTime],
            buildings: g.buildings.map((b) => ({ name: b.name, compound: b.compound?.name ?? '' })),
          }
        }),
      }
    })
    .filter((c) => c.grids.length > 0)
  if (!community.length || !residents.length) return null
  return {
    index: s,
    officer: officer.username,
    residents,
    communities: community,
    dept(abbr) {
      const d =
        departments.find((x) => x.regionId === street.id && x.code.endsWith(abbr)) ??
        departments.find((x) => x.regionId === street.parentId && x.code.endsWith(abbr))
      const staff = d && staffOf.get(d.id)
      if (!d || !staff) throw new Error(`demo cases: no department (with staff) for ${abbr}`)
      return { id: d.id, staff }
    },
    staffOf(departmentId) {
      const staff = staffOf.get(departmentId)
      if (!staff) throw new Error(`demo cases: department ${departmentId} has no staff account`)
      return staff
    },
  }
}

const ACTIVE: readonly DispatchOrder['status'][] = ['CREATED', 'SIGNED', 'ON_SITE']

/** An order by its addressee (department code suffix, or a grid worker) or the order row itself. */
type Target = { dept: string } | { worker: Worker } | DispatchOrder
interface Worker {
  id: string
  username: string
}

/**
 * One case being driven through the services. It keeps the rows the services return, so each
 * step costs only the service's own queries: the case row (re-read only after an order completes,
 * which may resolve it) and the case's orders (re-read after dispatching or transferring).
 */
class Run {
  #c!: Case
  #caseStale = false
  #orders: DispatchOrder[] | null = null

  constructor(
    readonly a: SeedActors,
    readonly st: Street,
    readonly spec: Spec,
    readonly community: CommunityInfo,
    readonly grid: GridInfo,
    readonly rater: string,
  ) {}

  get prisma() {
    return this.a.prisma
  }
  get officer() {
    return this.community.officer
  }
  /** Who checks the work on site: the grid leader for patrol finds, else the community officer. */
  get verifier() {
    return this.spec.source === 'PATROL' ? this.grid.leader : this.officer
  }

  /** The case as the next case transition must see it (id, version). */
  async case(): Promise<Case> {
    if (this.#caseStale) {
      this.#c = await this.prisma.case.findUniqueOrThrow({ where: { id: this.#c.id } })
      this.#caseStale = false
    }
    return this.#c
  }

  /** Runs a case transition as `who` at the current version and keeps the case it returns. */
  async #step(who: string, f: (ctx: Context, c: Case) => Promise<Case>) {
    this.#c = await f(await this.a.as(who), await this.case())
    return this.#c
  }

  report(who: string, input: Omit<Parameters<typeof reportCase>[1], 'source'>) {
    return this.a.as(who).then(async (ctx) => {
      this.#c = await reportCase(ctx, { ...input, source: this.spec.source })
    })
  }

  accept(who = this.officer, note?: string) {
    return this.#step(who, (ctx, c) => acceptCase(ctx, { id: c.id, version: c.version, note }))
  }

  reject(reason: string) {
    return this.#step(this.officer, (ctx, c) => rejectCase(ctx, { id: c.id, version: c.version, reason }))
  }

  async dispatchAuto(who = this.officer) {
    this.#orders = null
    return this.#step(who, (ctx, c) =>
      dispatchCase(ctx, {
        caseId: c.id,
        version: c.version,
        mode: 'AUTO',
        instructions: '请按时限签收并到场处置，办结后上传现场照片',
      }),
    )
  }

  /** 吹哨: addressees by department suffix, or a grid worker of the case's grid. */
  async whistle(
    who: string,
    targets: { dept?: string; worker?: Worker; role: 'LEAD' | 'ASSIST'; instructions?: string }[],
    instructions?: string,
  ) {
    this.#orders = null
    return this.#step(who, (ctx, c) =>
      dispatchCase(ctx, {
        caseId: c.id,
        version: c.version,
        mode: 'MANUAL',
        instructions,
        targets: targets.map((t) => ({
          departmentId: t.dept ? this.st.dept(t.dept).id : null,
          assigneeId: t.worker?.id ?? null,
          role: t.role,
          instructions: t.instructions,
        })),
      }),
    )
  }

  /** The case's orders, newest first. */
  async orders(): Promise<DispatchOrder[]> {
    this.#orders ??= await this.prisma.dispatchOrder.findMany({
      where: { caseId: this.#c.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    })
    return this.#orders
  }

  /** The order meant: given, or the addressee's active one (else its newest). */
  async order(to: Target): Promise<DispatchOrder> {
    const orders = await this.orders()
    if ('caseId' in to) return orders.find((o) => o.id === to.id) ?? to
    const mine = orders.filter((o) =>
      'dept' in to ? o.departmentId === this.st.dept(to.dept).id : o.assigneeId === to.worker.id,
    )
    const o = mine.find((x) => ACTIVE.includes(x.status)) ?? mine[0]
    if (!o) throw new Error(`demo cases: no order for ${JSON.stringify(to)} on "${this.#c.title}"`)
    return o
  }

  /** Runs an order transition as the order's addressee (or `who`) and keeps the row it returns. */
  async #orderStep(to: Target, f: (ctx: Context, o: DispatchOrder) => Promise<DispatchOrder>, who?: string) {
    const o = await this.order(to)
    const ctx = await this.a.as(
      who ?? (o.assigneeId ? this.workerName(o.assigneeId) : this.st.staffOf(o.departmentId!)),
    )
    const row = await f(ctx, o)
    if (this.#orders) this.#orders = this.#orders.map((x) => (x.id === row.id ? row : x))
    return row
  }

  workerName(userId: string) {
    const w = this.grid.workers.find((x) => x.id === userId)
    if (!w) throw new Error(`demo cases: ${userId} is no worker of grid ${this.grid.code}`)
    return w.username
  }

  sign(to: Target, note?: string) {
    return this.#orderStep(to, (ctx, o) => signOrder(ctx, { id: o.id, version: o.version, note }))
  }

  arrive(to: Target, note?: string) {
    return this.#orderStep(to, (ctx, o) => arriveOrder(ctx, { id: o.id, version: o.version, note }))
  }

  complete(to: Target, result?: string) {
    const [lead, assist] = RESULTS[this.spec.category]
    this.#caseStale = true // the last completion resolves the case
    return this.#orderStep(to, (ctx, o) =>
      completeOrder(ctx, { id: o.id, version: o.version, result: result ?? (o.role === 'LEAD' ? lead : assist) }),
    )
  }

  /** Takes every active order to COMPLETED, the lead last: its completion resolves the case. The lead
   *  reports on site (报到) first; assisting addressees may complete straight after signing. */
  async workAll() {
    const active = (await this.orders())
      .filter((o) => ACTIVE.includes(o.status))
      .sort((x, y) => Number(x.role === 'LEAD') - Number(y.role === 'LEAD'))
    for (let o of active) {
      if (o.status === 'CREATED') o = await this.sign(o)
      if (o.status === 'SIGNED' && o.role === 'LEAD') o = await this.arrive(o, '已到达现场')
      await this.complete(o)
    }
  }

  returnOrder(to: Target, reason: string) {
    return this.#orderStep(to, (ctx, o) => returnOrder(ctx, { id: o.id, version: o.version, reason }))
  }

  async transfer(from: Target, to: { dept: string; role: 'LEAD' | 'ASSIST' }, reason: string) {
    await this.#orderStep(
      from,
      (ctx, o) =>
        transferOrder(ctx, {
          id: o.id,
          version: o.version,
          to: { departmentId: this.st.dept(to.dept).id, role: to.role },
          reason,
        }),
      this.officer,
    )
    this.#orders = null
  }

  verify(passed: boolean, note: string, who = this.verifier) {
    if (!passed) this.#orders = null // a failed check sends the work back as new orders
    return this.#step(who, (ctx, c) => verifyCase(ctx, { id: c.id, version: c.version, passed, note }))
  }

  rate(who: string, satisfaction: number, comment = COMMENTS[satisfaction]) {
    return this.#step(who, (ctx, c) => submitCaseFeedback(ctx, { id: c.id, version: c.version, satisfaction, comment }))
  }

  close(note: string) {
    return this.#step(this.officer, (ctx, c) => closeCase(ctx, { id: c.id, version: c.version, note }))
  }

  escalate(reason: string) {
    return this.#step(this.officer, (ctx, c) => escalateCase(ctx, { id: c.id, version: c.version, reason }))
  }

  /** Someone handling the case asks; the street officer decides (or nobody yet). */
  async approval(
    asker: string,
    kind: 'SUSPEND' | 'EXTEND',
    reason: string,
    decision: { approve: boolean; note: string } | null,
    extendHours?: number,
  ) {
    const req = await requestCaseApproval(await this.a.as(asker), {
      caseId: (await this.case()).id,
      kind,
      reason,
      extendHours,
    })
    if (decision)
      await this.#step(this.st.officer, (ctx, c) =>
        decideCaseApproval(ctx, { id: req.id, version: req.version, caseVersion: c.version, ...decision }),
      )
  }

  resume(note: string) {
    return this.#step(this.officer, (ctx, c) => resumeCase(ctx, { id: c.id, version: c.version, note }))
  }
}

// ---------------------------------------------------------------- the stories

/** Takes a reported case to its planned state. */
async function tell(r: Run): Promise<unknown> {
  const { spec } = r
  const { rater } = r
  const handled = async () => {
    await r.accept()
    await r.dispatchAuto()
    await r.workAll()
  }
  // the lead department of the category's routing rule, which automatic dispatch addresses
  const lead = () => ({ dept: CATEGORIES.find((x) => x.code === spec.category)!.lead })
  switch (spec.story) {
    case 'reported':
      return
    case 'accepted':
      return r.accept(r.officer, '已受理，将尽快派单处置')
    case 'rejected':
      return r.reject(
        spec.category === 'DISPUTE'
          ? '经核实为产权车位租赁合同纠纷，属民事合同关系，不属于受理范围，已告知可申请人民调解或向人民法院起诉'
          : '重复上报：同一地点的占道经营问题已在办理中，已并入原案件跟踪',
      )
    case 'created':
      await r.accept()
      return r.dispatchAuto()
    case 'signed':
      await r.accept()
      await r.dispatchAuto()
      await r.sign(lead(), '已签收，安排维修班组')
      return
    case 'onSite':
      await r.accept()
      await r.dispatchAuto()
      await r.sign(lead())
      await r.arrive(lead(), '执法队员已到现场')
      await r.sign({ dept: 'SJ' }, '已签收，配合检查经营资质')
      return
    case 'returned':
      // Sent to the wrong department: returned, waiting for the dispatcher to send it on.
      await r.accept()
      await r.whistle(r.officer, [{ dept: 'ZF', role: 'LEAD' }], '请核查夜间施工噪声并依法处置')
      await r.returnOrder({ dept: 'ZF' }, '夜间施工噪声属生态环境部门执法职责，建议转生态环境分局办理')
      return
    case 'transferred':
      await r.accept()
      await r.whistle(r.officer, [{ dept: 'SW', role: 'LEAD' }], '请尽快修复路灯')
      await r.sign({ dept: 'SW' })
      await r.returnOrder({ dept: 'SW' }, '该路段路灯由供电所管护，不属于水务站职责')
      await r.transfer({ dept: 'SW' }, { dept: 'GD', role: 'LEAD' }, '按管护范围转供电所办理')
      await r.sign({ dept: 'GD' }, '已签收，明日安排检修')
      return
    case 'resolved':
      return handled()
    case 'resolvedByWorker':
      // Small enough for the grid itself: the full-time worker is the lead.
      await r.accept()
      await r.whistle(r.officer, [
        { worker: r.grid.fullTime, role: 'LEAD', instructions: '请上门劝导住户清理楼道堆物' },
      ])
      await r.sign({ worker: r.grid.fullTime })
      await r.arrive({ worker: r.grid.fullTime }, '已上门')
      await r.complete({ worker: r.grid.fullTime }, '已上门劝导，住户自行清理了纸箱和旧家具，电动车已移至集中充电棚')
      return
    case 'verified':
      await handled()
      return r.verify(true, '现场核查，问题已解决')
    case 'closed':
      await handled()
      await r.verify(true, '现场核查，问题已解决')
      return r.rate(rater, spec.rating ?? 5)
    case 'closedByOfficer':
      await handled()
      await r.verify(true, '现场核查，摊贩已全部劝离')
      return r.close('来电人未留联系方式，经现场核查后结案')
    case 'closedByPhone':
      await handled()
      await r.verify(true, '夜间回访现场，噪声已明显降低')
      return r.rate(r.officer, spec.rating ?? 5, '电话回访：来电人表示满意')
    case 'reopened':
      await handled()
      await r.verify(true, '现场核查已清理干净')
      return r.rate(rater, spec.rating ?? 2)
    case 'reopenedThenClosed':
      await handled()
      await r.verify(true, '现场核查，物业已作出整改承诺')
      await r.rate(rater, spec.rating ?? 1)
      await r.accept(r.officer, '群众不满意，重新受理并跟踪整改')
      await r.dispatchAuto()
      await r.workAll()
      await r.verify(true, '复查：整改已落实')
      return r.rate(rater, 4, '这次物业真的整改了，谢谢社区')
    case 'verifyFailed':
      await handled()
      // the failed check sends the lead's work back to it as a new order (返工)
      await r.verify(false, '现场复核：井盖只是临时遮挡，尚未更换，请更换标准井盖并复核周边井盖')
      await r.sign(lead(), '已签收，井盖已订货')
      return
    case 'suspended':
      await r.accept()
      await r.dispatchAuto()
      await r.sign({ dept: 'SF' })
      await r.approval(r.st.dept('SF').staff, 'SUSPEND', '楼上住户外出务工，春节后返回，届时再组织调解', {
        approve: true,
        note: '同意挂起，返回后第一时间调解',
      })
      return
    case 'suspendedThenResumed':
      await r.accept()
      await r.dispatchAuto()
      await r.sign({ dept: 'SF' })
      await r.approval(r.st.dept('SF').staff, 'SUSPEND', '需等待宠物管理新规出台后依规处理', {
        approve: true,
        note: '同意',
      })
      await r.resume('新规已出台，恢复办理')
      await r.workAll()
      await r.verify(true, '回访双方，已签订文明养犬承诺书')
      return r.rate(rater, spec.rating ?? 5)
    case 'escalated':
      // Beyond the community's reach: the street convenes the departments (吹哨报到).
      await r.accept()
      await r.escalate('涉及物业、住建多个部门，社区层面协调不动，提请街道吹哨')
      await r.whistle(
        r.st.officer,
        [
          { dept: 'ZJ', role: 'LEAD', instructions: '请督促物业公司限期清掏并建立定期维护制度' },
          { dept: 'MZ', role: 'ASSIST' },
          { dept: 'HW', role: 'ASSIST', instructions: '请先行对溢出路面的污水进行清理消杀' },
        ],
        '街道吹哨，请相关部门48小时内到场报到',
      )
      await r.sign({ dept: 'ZJ' })
      await r.sign({ dept: 'HW' })
      await r.arrive({ dept: 'HW' }, '环卫所已到场')
      return
    case 'extended':
      await r.accept()
      await r.dispatchAuto()
      await r.sign({ dept: 'SW' })
      await r.arrive({ dept: 'SW' }, '已到场疏通雨水口')
      await r.approval(
        r.st.dept('SW').staff,
        'EXTEND',
        '需更换整段排水管，申请延期10天',
        { approve: false, note: '延期过长，请先临时疏通，压缩到3天内' },
        240,
      )
      await r.approval(
        r.st.dept('SW').staff,
        'EXTEND',
        '已临时疏通，更换排水管材料采购中，申请延期72小时',
        { approve: true, note: '同意延期72小时' },
        72,
      )
      return
    case 'extensionPending':
      await r.accept()
      await r.dispatchAuto()
      await r.sign({ dept: 'PCS' })
      await r.arrive({ dept: 'PCS' })
      await r.approval(r.st.dept('PCS').staff, 'EXTEND', '门禁维修需物业报业委会审批维修基金，申请延期48小时', null, 48)
      return
    case 'whistle':
      // 街道吹哨、部门报到: the street officer convenes several departments and the grid.
      await r.accept()
      await r.whistle(
        r.st.officer,
        [
          { dept: 'YJ', role: 'LEAD', instructions: '牵头组织消防通道联合整治' },
          { dept: 'XF', role: 'ASSIST', instructions: '现场检查消防设施并开展宣传' },
          { dept: 'ZF', role: 'ASSIST', instructions: '对占用消防通道车辆依法处置' },
          { worker: r.grid.fullTime, role: 'ASSIST', instructions: '逐户通知车主挪车' },
        ],
        '消防通道堵塞，街道吹哨，请各部门报到',
      )
      await r.sign({ dept: 'YJ' })
      await r.arrive({ dept: 'YJ' }, '应急办已到场牵头')
      await r.sign({ dept: 'XF' })
      await r.sign({ worker: r.grid.fullTime })
      await r.arrive({ worker: r.grid.fullTime }, '网格员已到场，正在联系车主')
      return
  }
}

// ---------------------------------------------------------------- entry point

/** Cases driven at once: each case's steps are sequential, cases are independent. Stays well
 *  inside a default pool of 10 connections and Prisma's 2 s wait for a transaction slot. */
const CONCURRENCY = 6

/**
 * Reports and handles `perStreet` demo cases (default 30, the whole plan; more repeats it with other
 * texts) in each of the first `streets` streets (default 1: larger scales are for benchmarks) through
 * the services, as the seeded users. A street that already has cases is left alone.
 * Everything but timestamps, ids and the interleaving of the feed sequence is the same on every run.
 */
export async function seedDemoCases(
  prisma: PrismaClient,
  opts: { perStreet?: number; streets?: number } = {},
): Promise<{ cases: number; orders: number }> {
  const perStreet = opts.perStreet ?? PLAN.length
  const streets = opts.streets ?? 1
  if (!Number.isInteger(perStreet) || perStreet < 0)
    throw new RangeError(`perStreet must be a non-negative integer, got ${perStreet}`)
  if (!Number.isInteger(streets) || streets < 0)
    throw new RangeError(`streets must be a non-negative integer, got ${streets}`)
  const categories = new Map(
    (await prisma.caseCategory.findMany({ select: { id: true, code: true } })).map((c) => [c.code, c.id]),
  )
  const actors = new SeedActors(prisma)
  let cases = 0
  let orders = 0
  for (let s = 0; s < streets; s++) {
    const st = await loadStreet(prisma, s)
    if (!st) break
    const communityIds = st.communities.map((c) => c.id)
    if (await prisma.case.findFirst({ where: { regionId: { in: communityIds } }, select: { id: true } })) continue
    const runs = planStreet(st, perStreet, actors, categories)
    await inLanes(
      runs.map(({ run, reporter, input }) => async () => {
        await run.report(reporter, input)
        await tell(run)
      }),
      CONCURRENCY,
    )
    cases += runs.length
    orders += await prisma.dispatchOrder.count({ where: { case: { regionId: { in: communityIds } } } })
  }
  return { cases, orders }
}

/** Every case of one street, with its reporter and report, decided up front (the PRNG's order is fixed). */
function planStreet(st: Street, perStreet: number, actors: SeedActors, categories: Map<string, string>) {
  const rnd = seededRandom(0xca5e + st.index)
  const tag = `s${st.index + 1}`
  return Array.from({ length: perStreet }, (_, i) => {
    const spec = PLAN[i % PLAN.length]!
    const round = Math.floor(i / PLAN.length)
    const community = st.communities[i % st.communities.length]!
    const grid = community.grids[Math.floor(i / st.communities.length) % community.grids.length]!
    const categoryId = categories.get(spec.category)
    if (!categoryId) throw new Error(`demo cases: category ${spec.category} is not seeded (seedCaseCatalog)`)
    const templates = TEMPLATES[spec.category]
    const tpl = templates[(spec.template + round) % templates.length]!
    const building = grid.buildings.length ? rnd.pick(grid.buildings) : { name: '1号楼', compound: community.road }
    const no = rnd.int(8, 187)
    const fill = (x: string) =>
      x
        .replaceAll('{k}', building.compound)
        .replaceAll('{b}', building.name)
        .replaceAll('{r}', community.road)
        .replaceAll('{n}', String(no))
    const address =
      tpl.at === 'building'
        ? `${building.compound}${building.name}${rnd.int(1, 3)}单元`
        : `${community.road}${no}号附近`
    // a point well inside the grid, so the service finds the grid from it
    const lng = round6(grid.minLng + (0.2 + 0.6 * rnd.next()) * (grid.maxLng - grid.minLng))
    const lat = round6(grid.minLat + (0.2 + 0.6 * rnd.next()) * (grid.maxLat - grid.minLat))
    const resident = st.residents[i % st.residents.length]!
    const fromResident = spec.source === 'RESIDENT' || spec.source === 'ONLINE'
    const reporter =
      spec.source === 'PATROL'
        ? grid.leader
        : spec.source === 'HOTLINE'
          ? i % 2
            ? st.officer
            : community.officer
          : resident.username
    // residents rate their own cases (also those a grid worker filed for them); officers rate the rest after a call back
    const rater = fromResident || spec.onBehalf ? resident.username : community.officer
    const input = {
      title: fill(tpl.title),
      description: fill(tpl.description),
      categoryId,
      lng,
      lat,
      address,
      attachments:
        spec.source === 'PATROL' || i % 4 === 0 ? [`https://oss.gongzhi.example/demo/${tag}/case-${i + 1}.jpg`] : [],
      anonymous: spec.anonymous ?? false,
      reporterName: spec.source === 'HOTLINE' ? `${'王李张刘陈杨'[i % 6]}${i % 2 ? '先生' : '女士'}` : null,
      reporterPhone: spec.source === 'HOTLINE' ? rnd.mobile() : null,
      onBehalfOfId: spec.onBehalf ? resident.id : null,
      idempotencyKey: fromResident ? `demo-${tag}-case-${i + 1}` : null,
    }
    return { run: new Run(actors, st, spec, community, grid, rater), reporter, input }
  })
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6
