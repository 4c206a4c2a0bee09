// A year of case history (群众诉求) for statistics and assessment, in seconds rather than hours: the
// workflow histories the services produced for street 1's demo cases (src/seed/cases.ts) are the
// templates, replayed into the past and into every street. A clone copies its template case and every
// row that hangs off it (timeline, orders with their transfer links, supervisions, feedback,
// approvals) with new ids, moved to the same place in its street (grid, community, departments, the
// users in the same position) and in time: it starts at a chosen instant of its month, deadlines move
// by the same amount, and what happened is stretched so that the template's milliseconds become
// minutes to days — some orders finish on time, some late — in the template's order and never after
// `now`. Its states are therefore exactly a sequence the services produced, i.e. the transition tables'.
// Webhook deliveries and audit entries are not copied: nothing was sent, nobody called the API.
// Set-based SQL, one transaction per street; deterministic (seeded PRNG) for the same `now`.
import { Prisma, type PrismaClient, type Tx } from '../db.js'
import type { CaseStatus } from '../generated/prisma/enums.js'
import { ORDER_SEQ_LOCK } from '../modules/case/order-sequencer.js'
import { seedDemoCases } from './cases.js'
import { seededRandom } from './random.js'

export interface HistoryOptions {
  /** Calendar months (Asia/Shanghai) before the current one to fill; the current one is filled up to `now`. Default 12. */
  months?: number
  /** Cases per street per full month (the current month gets its share so far). Default 100. */
  perStreetMonth?: number
  /** The end of the history; default the current time. */
  now?: Date
}

export interface HistorySummary {
  streets: number
  skipped: number
  cases: number
  orders: number
  events: number
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** China Standard Time, UTC+8 all year: month boundaries and the hours people report at. */
const CST = 8 * HOUR
/** Cases reported earlier than this before `now` are mostly finished; later ones may be in any state. */
const RECENT = 42 * DAY
/** A clone's whole history lasts between these (log-uniform), unless `now` comes first. */
const SHORTEST = 15 * 60_000
const LONGEST = 10 * DAY
/** Relative weight of each hour of the day (CST) at which a case is reported. */
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 10, 12, 14, 14, 12, 11, 10, 10, 8, 6, 4, 2]
/** What old months hold: finished cases, a few never rated. */
const SETTLED: [CaseStatus, number][] = [
  ['CLOSED', 0.85],
  ['REJECTED', 0.1],
  ['VERIFIED', 0.05],
]

// ---------------------------------------------------------------- the calendar

/** Start (UTC ms) of the CST calendar month `offset` months after the one holding `t`. */
export function cstMonthStart(t: number, offset = 0): number {
  const d = new Date(t + CST)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1) - CST
}

/** The months to fill: `months` whole CST months before the current one, then the current one up to `now`. */
export function historyMonths(now: number, months: number): { start: number; end: number; share: number }[] {
  const out = []
  for (let m = -months; m <= 0; m++) {
    const start = cstMonthStart(now, m)
    const next = cstMonthStart(now, m + 1)
    out.push({ start, end: Math.min(next, now), share: (Math.min(next, now) - start) / (next - start) })
  }
  return out
}

// ---------------------------------------------------------------- templates

interface Template {
  id: string
  status: CaseStatus
  /** Milliseconds from the case's creation to the last thing that happened to it. */
  span: number
  /** Every id it references that lives in a street (regions, grids, departments, users). */
  refs: Set<string>
  /** The notes of its timeline and supervisions, by row id (they may name ids and the street). */
  notes: { id: string; note: string }[]
}

type TemplateRow = Awaited<ReturnType<typeof loadTemplateRows>>[number]

function loadTemplateRows(prisma: PrismaClient, communityIds: string[]) {
  return prisma.case.findMany({
    where: { regionId: { in: communityIds } },
    include: { events: true, orders: true, supervisions: true, feedbacks: true, approvals: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  })
}

function toTemplate(c: TemplateRow): Template {
  const happened = [
    c.updatedAt,
    c.suspendedAt,
    c.closedAt,
    ...c.events.map((e) => e.createdAt),
    ...c.orders.flatMap((o) => [o.createdAt, o.updatedAt, o.signedAt, o.onSiteAt, o.completedAt, o.lastSupervisedAt]),
    ...c.supervisions.flatMap((s) => [s.createdAt, s.acknowledgedAt, s.answeredAt]),
    ...c.feedbacks.map((f) => f.createdAt),
    ...c.approvals.flatMap((a) => [a.createdAt, a.decidedAt]),
  ]
  const span = Math.max(0, ...happened.map((t) => (t ? t.getTime() - c.createdAt.getTime() : 0)))
  const refs = new Set<string>(
    [
      c.gridId,
      c.regionId,
      c.handlingRegionId,
      c.createdById,
      c.reporterId,
      ...c.events.map((e) => e.actorId),
      ...c.orders.flatMap((o) => [o.departmentId, o.assigneeId, o.dispatcherId]),
      ...c.supervisions.flatMap((s) => [s.regionId, s.acknowledgedById, s.answeredById]),
      ...c.feedbacks.map((f) => f.authorId),
      ...c.approvals.flatMap((a) => [a.requestedById, a.decidedById]),
    ].filter((x): x is string => !!x),
  )
  const notes = [...c.events, ...c.supervisions].flatMap((r) => (r.note ? [{ id: r.id, note: r.note }] : []))
  return { id: c.id, status: c.status, span, refs, notes }
}

// ---------------------------------------------------------------- the territory

interface StreetPlace {
  index: number
  id: string
  name: string
  communities: { id: string; grids: { id: string }[] }[]
  /** Street-level departments in code order. */
  departments: { id: string; code: string }[]
}

/** The demo streets in order (street.officer, street.officer.2 …), as cases.ts finds them. */
async function loadStreets(prisma: PrismaClient): Promise<StreetPlace[]> {
  const officers = await prisma.user.findMany({
    where: { username: { startsWith: 'street.officer' }, roles: { has: 'STREET_OFFICER' } },
    select: { username: true, regionIds: true },
  })
  const byIndex = new Map<number, string>()
  for (const o of officers) {
    const m = /^street\.officer(?:\.(\d+))?$/.exec(o.username)
    if (m && o.regionIds[0]) byIndex.set(m[1] ? Number(m[1]) - 1 : 0, o.regionIds[0])
  }
  const streets: StreetPlace[] = []
  for (let s = 0; byIndex.has(s); s++) {
    const region = await prisma.region.findUniqueOrThrow({
      where: { id: byIndex.get(s)! },
      include: {
        children: {
          where: { level: 'COMMUNITY' },
          orderBy: { code: 'asc' },
          include: { grids: { orderBy: { code: 'asc' }, select: { id: true } } },
        },
        departments: { orderBy: { code: 'asc' }, select: { id: true, code: true } },
      },
    })
    streets.push({
      index: s,
      id: region.id,
      name: region.name,
      communities: region.children.map((c) => ({ id: c.id, grids: c.grids })),
      departments: region.departments,
    })
  }
  return streets
}

interface Directory {
  users: Map<string, { id: string; username: string; roles: string[]; departmentId: string | null }>
  byUsername: Map<string, string>
}

async function loadDirectory(prisma: PrismaClient): Promise<Directory> {
  const users = await prisma.user.findMany({ select: { id: true, username: true, roles: true, departmentId: true } })
  return { users: new Map(users.map((u) => [u.id, u])), byUsername: new Map(users.map((u) => [u.username, u.id])) }
}

/**
 * Street 1's ids → street `to`'s: the street, its communities and grids by position, its
 * departments by code order, its users by the demo's naming (demo.ts: streets 2..N insert `.<n>`,
 * codes carry the street number). District-level rows (district, its departments, admin) map to
 * themselves. Ids with no counterpart are left out: templates naming them are not cloned there.
 */
function streetMap(
  from: StreetPlace,
  to: StreetPlace,
  dir: Directory,
  codes: Map<string, string>,
): Map<string, string> {
  const map = new Map<string, string>([[from.id, to.id]])
  from.communities.forEach((c, ci) => {
    const tc = to.communities[ci]
    if (!tc) return
    map.set(c.id, tc.id)
    c.grids.forEach((g, gi) => {
      if (tc.grids[gi]) map.set(g.id, tc.grids[gi]!.id)
    })
  })
  if (from.departments.length === to.departments.length)
    from.departments.forEach((d, i) => {
      map.set(d.id, to.departments[i]!.id)
    })
  const fromDepts = new Set(from.departments.map((d) => d.id))
  const tag = to.index === 0 ? '' : `.${to.index + 1}`
  for (const u of dir.users.values()) {
    let name: string | null
    const worker = /^grid\.worker\.(.+)\.([a-z]+)$/.exec(u.username)
    const staff = /^dept\.(.+)$/.exec(u.username)
    if (worker) {
      const grid = codes.get(worker[1]!)
      name = grid && map.has(grid) ? `grid.worker.${codes.get(map.get(grid)!)}.${worker[2]}` : null
    } else if (staff && u.departmentId) {
      name = fromDepts.has(u.departmentId)
        ? map.has(u.departmentId)
          ? `dept.${codes.get(map.get(u.departmentId)!)}`
          : null
        : u.username
    } else if (u.roles.includes('ADMIN')) {
      name = u.username
    } else {
      const m = /^(street\.officer|community\.officer|unit\.contact|party\.member|resident)(\.\d+)?$/.exec(u.username)
      name = m ? `${m[1]}${tag}${m[2] ?? ''}` : null
    }
    const id = name === null ? undefined : dir.byUsername.get(name)
    if (id) map.set(u.id, id)
  }
  return map
}

// ---------------------------------------------------------------- the plan

interface Clone {
  tpl: Template
  at: number
  k: number
}

/** Picks an instant in [start, end) at an hour people report at (CST). */
function reportInstant(rnd: ReturnType<typeof seededRandom>, start: number, end: number): number {
  const total = HOUR_WEIGHTS.reduce((a, b) => a + b, 0)
  for (let attempt = 0; attempt < 20; attempt++) {
    const dayStart = Math.floor((start + CST + rnd.next() * (end - start)) / DAY) * DAY - CST
    let w = rnd.next() * total
    let hour = 0
    while (w >= HOUR_WEIGHTS[hour]!) w -= HOUR_WEIGHTS[hour++]!
    const t = dayStart + hour * HOUR + Math.floor(rnd.next() * HOUR)
    if (t >= start && t < end) return t
  }
  return start + Math.floor(rnd.next() * (end - start))
}

/**
 * The clones of one street: per month its count of cases at reporting hours; templates by age —
 * settled ones (SETTLED) before the last RECENT weeks, then more and more open ones towards now,
 * cycling through the open states so that each appears — and a stretch per clone that ends it
 * before `now`.
 */
function planStreet(s: number, templates: Template[], now: number, months: number, perStreetMonth: number): Clone[] {
  const rnd = seededRandom(0x4157 + s)
  const byStatus = new Map<CaseStatus, Template[]>()
  for (const t of templates) byStatus.set(t.status, [...(byStatus.get(t.status) ?? []), t])
  const settled = SETTLED.filter(([st]) => byStatus.has(st))
  const settledWeight = settled.reduce((a, [, w]) => a + w, 0)
  const open = [...byStatus.keys()].filter((st) => !SETTLED.some(([x]) => x === st) || st === 'VERIFIED')
  const openCycle = open
    .map((st) => ({ st, key: rnd.next() }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.st)
  let cycle = 0
  const pickSettled = (): Template => {
    if (!settled.length) return rnd.pick(templates)
    let w = rnd.next() * settledWeight
    for (const [st, weight] of settled) {
      if (w < weight) return rnd.pick(byStatus.get(st)!)
      w -= weight
    }
    return rnd.pick(byStatus.get(settled[0]![0])!)
  }
  const clones: Clone[] = []
  for (const month of historyMonths(now, months)) {
    const count = Math.ceil(perStreetMonth * month.share)
    // leave a minute before `now`, so that even a clone reported last has something to stretch into
    const end = Math.min(month.end, now - 60_000)
    if (end <= month.start) continue
    for (let i = 0; i < count; i++) {
      const at = reportInstant(rnd, month.start, end)
      const age = now - at
      const openOdds = age < RECENT ? 0.25 + 0.55 * (1 - age / RECENT) : 0
      const tpl =
        openCycle.length && rnd.chance(openOdds)
          ? rnd.pick(byStatus.get(openCycle[cycle++ % openCycle.length]!)!)
          : pickSettled()
      const lasts = Math.min(SHORTEST * (LONGEST / SHORTEST) ** rnd.next(), now - 1_000 - at)
      clones.push({ tpl, at, k: tpl.span > 0 ? lasts / tpl.span : 1 })
    }
  }
  return clones.sort((a, b) => a.at - b.at)
}

// ---------------------------------------------------------------- writing

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g

/** A template's notes as written in street `to`: ids through the map, street 1's name as the street's. Order ids stay, the SQL maps them per clone. */
function streetNotes(
  templates: Template[],
  map: Map<string, string>,
  from: StreetPlace,
  to: StreetPlace,
  orderIds: Set<string>,
) {
  const ids: string[] = []
  const notes: string[] = []
  const orderRefs: (string | null)[] = []
  for (const t of templates) {
    for (const n of t.notes) {
      let orderRef: string | null = null
      let note = n.note.replace(UUID, (id) => {
        if (orderIds.has(id)) {
          orderRef ??= id
          return id
        }
        return map.get(id) ?? id
      })
      if (from.id !== to.id) note = note.replaceAll(from.name, to.name)
      if (note !== n.note || orderRef) {
        ids.push(n.id)
        notes.push(note)
        orderRefs.push(orderRef)
      }
    }
  }
  return { ids, notes, orderRefs }
}

const sql = Prisma.sql
/** UTC milliseconds of a `timestamp(3)` (stored in UTC). */
const ms = (x: Prisma.Sql) => sql`(extract(epoch from ${x}) * 1000)::bigint`
/** The `timestamp(3)` of UTC milliseconds. */
const ts = (m: Prisma.Sql) => sql`(timestamp '1970-01-01' + (${m})::float8 * interval '1 millisecond')`
/** A happened-at instant of the template, on clone `c`'s stretched clock (never before its creation). */
const stretched = (x: Prisma.Sql) =>
  sql`(CASE WHEN ${x} IS NULL THEN NULL ELSE c.at + floor(greatest(${ms(x)} - c.t0, 0) * c.k)::bigint END)`
const happened = (x: Prisma.Sql) => ts(stretched(x))
/** A deadline of the template, moved as far as the clone's creation was. */
const moved = (x: Prisma.Sql) => ts(sql`${ms(x)} + c.shift`)
/** A street-1 id in the clone's street. */
const ref = (x: Prisma.Sql) => sql`(SELECT r."to" FROM h_ref r WHERE r."from" = ${x})`
/** A UUID v7 for a row created at `m` ms: `n` (unique within the statement) orders rows of the same millisecond. */
const v7 = (m: Prisma.Sql, n: Prisma.Sql) =>
  sql`(lpad(to_hex(${m}), 12, '0') || '7' || lpad(to_hex((${n})::bigint >> 16 & 4095), 3, '0') || '8' || lpad(to_hex((${n})::bigint & 65535), 4, '0') || substr(md5(random()::text), 1, 11))::uuid`

async function writeStreet(tx: Tx, clones: Clone[], map: Map<string, string>, notes: ReturnType<typeof streetNotes>) {
  await tx.$executeRaw`CREATE TEMP TABLE h_clone (id uuid PRIMARY KEY, tpl uuid NOT NULL, at bigint NOT NULL, k float8 NOT NULL, t0 bigint NOT NULL, shift bigint NOT NULL) ON COMMIT DROP`
  await tx.$executeRaw`CREATE TEMP TABLE h_ref ("from" uuid PRIMARY KEY, "to" uuid NOT NULL) ON COMMIT DROP`
  await tx.$executeRaw`CREATE TEMP TABLE h_note (id uuid PRIMARY KEY, note text NOT NULL, order_ref uuid) ON COMMIT DROP`
  await tx.$executeRaw`CREATE TEMP TABLE h_order (clone uuid NOT NULL, tpl uuid NOT NULL, id uuid NOT NULL, at bigint NOT NULL, PRIMARY KEY (clone, tpl)) ON COMMIT DROP`
  await tx.$executeRaw`INSERT INTO h_ref SELECT * FROM unnest(${[...map.keys()]}::uuid[], ${[...map.values()]}::uuid[])`
  await tx.$executeRaw`INSERT INTO h_note SELECT * FROM unnest(${notes.ids}::uuid[], ${notes.notes}::text[], ${notes.orderRefs}::uuid[])`
  await tx.$executeRaw`
    INSERT INTO h_clone
    SELECT ${v7(sql`x.at`, sql`x.n`)}, x.tpl, x.at, x.k, ${ms(sql`t."createdAt"`)}, x.at - ${ms(sql`t."createdAt"`)}
    FROM unnest(${clones.map((c) => c.tpl.id)}::uuid[], ${clones.map((c) => String(c.at))}::bigint[], ${clones.map((c) => c.k)}::float8[]) WITH ORDINALITY AS x(tpl, at, k, n)
    JOIN "Case" t ON t.id = x.tpl`
  await tx.$executeRaw`ANALYZE h_clone`
  const cases = await tx.$executeRaw`
    INSERT INTO "Case" (id, title, description, "categoryId", source, status, "suspendedFrom", "suspendedAt", "gridId", "regionId", "handlingRegionId",
      lng, lat, address, attachments, "reporterId", anonymous, "reporterName", "reporterPhone", "createdById", "idempotencyKey", deadline,
      "escalationLevel", version, "closedAt", "createdAt", "updatedAt")
    SELECT c.id, t.title, t.description, t."categoryId", t.source, t.status, t."suspendedFrom", ${happened(sql`t."suspendedAt"`)}, g1.id, ${ref(sql`t."regionId"`)}, ${ref(sql`t."handlingRegionId"`)},
      round((t.lng + g1."minLng" - g0."minLng")::numeric, 6)::float8, round((t.lat + g1."minLat" - g0."minLat")::numeric, 6)::float8,
      t.address, t.attachments, ${ref(sql`t."reporterId"`)}, t.anonymous, t."reporterName", t."reporterPhone", ${ref(sql`t."createdById"`)}, NULL, ${moved(sql`t.deadline`)},
      t."escalationLevel", t.version, ${happened(sql`t."closedAt"`)}, ${ts(sql`c.at`)}, ${happened(sql`t."updatedAt"`)}
    FROM h_clone c JOIN "Case" t ON t.id = c.tpl JOIN "Grid" g0 ON g0.id = t."gridId" JOIN "Grid" g1 ON g1.id = ${ref(sql`t."gridId"`)}`
  await tx.$executeRaw`
    INSERT INTO h_order
    SELECT x.clone, x.tpl, ${v7(sql`x.at`, sql`row_number() OVER (ORDER BY x.at, x.t_at, x.tpl)`)}, x.at
    FROM (SELECT c.id AS clone, o.id AS tpl, ${stretched(sql`o."createdAt"`)} AS at, o."createdAt" AS t_at FROM h_clone c JOIN "DispatchOrder" o ON o."caseId" = c.tpl) x`
  await tx.$executeRaw`ANALYZE h_order`
  const orders = await tx.$executeRaw`
    INSERT INTO "DispatchOrder" (id, seq, "caseId", "departmentId", "assigneeId", role, mode, status, instructions, "dispatcherId", "signBy", "completeBy",
      "signedAt", "onSiteAt", "completedAt", result, "returnReason", "transferredFromId", "supervisionLevel", "lastSupervisedAt", version, "createdAt", "updatedAt")
    SELECT m.id, NULL, c.id, ${ref(sql`o."departmentId"`)}, ${ref(sql`o."assigneeId"`)}, o.role, o.mode, o.status, o.instructions, ${ref(sql`o."dispatcherId"`)},
      ${moved(sql`o."signBy"`)}, ${moved(sql`o."completeBy"`)}, ${happened(sql`o."signedAt"`)}, ${happened(sql`o."onSiteAt"`)}, ${happened(sql`o."completedAt"`)},
      o.result, o."returnReason", tf.id, o."supervisionLevel", ${happened(sql`o."lastSupervisedAt"`)}, o.version, ${ts(sql`m.at`)}, ${happened(sql`o."updatedAt"`)}
    FROM h_order m JOIN h_clone c ON c.id = m.clone JOIN "DispatchOrder" o ON o.id = m.tpl
    LEFT JOIN h_order tf ON tf.clone = m.clone AND tf.tpl = o."transferredFromId"`
  const events = await tx.$executeRaw`
    INSERT INTO "CaseEvent" (id, "caseId", "orderId", "actorId", action, "fromStatus", "toStatus", note, "createdAt")
    SELECT ${v7(sql`x.at`, sql`x.n`)}, x.clone, x.order_id, x.actor, x.action, x.from_status, x.to_status, x.note, ${ts(sql`x.at`)}
    FROM (
      SELECT c.id AS clone, om.id AS order_id, ${ref(sql`e."actorId"`)} AS actor, e.action, e."fromStatus" AS from_status, e."toStatus" AS to_status,
        CASE WHEN n.id IS NULL THEN e.note WHEN rm.id IS NULL THEN n.note ELSE replace(n.note, n.order_ref::text, rm.id::text) END AS note,
        ${stretched(sql`e."createdAt"`)} AS at,
        row_number() OVER (ORDER BY ${stretched(sql`e."createdAt"`)}, e."createdAt", e.id) AS n
      FROM h_clone c JOIN "CaseEvent" e ON e."caseId" = c.tpl
      LEFT JOIN h_order om ON om.clone = c.id AND om.tpl = e."orderId"
      LEFT JOIN h_note n ON n.id = e.id
      LEFT JOIN h_order rm ON rm.clone = c.id AND rm.tpl = n.order_ref
    ) x`
  await tx.$executeRaw`
    INSERT INTO "Supervision" (id, "caseId", "orderId", kind, level, "regionId", note, "createdAt", status, "acknowledgedAt", "acknowledgedById", answer, "promisedBy", "answeredAt", "answeredById", version)
    SELECT ${v7(stretched(sql`s."createdAt"`), sql`row_number() OVER (ORDER BY c.at, s."createdAt", s.id)`)}, c.id, om.id, s.kind, s.level, ${ref(sql`s."regionId"`)}, COALESCE(n.note, s.note),
      ${happened(sql`s."createdAt"`)}, s.status, ${happened(sql`s."acknowledgedAt"`)}, ${ref(sql`s."acknowledgedById"`)}, s.answer, ${moved(sql`s."promisedBy"`)},
      ${happened(sql`s."answeredAt"`)}, ${ref(sql`s."answeredById"`)}, s.version
    FROM h_clone c JOIN "Supervision" s ON s."caseId" = c.tpl
    LEFT JOIN h_order om ON om.clone = c.id AND om.tpl = s."orderId"
    LEFT JOIN h_note n ON n.id = s.id`
  await tx.$executeRaw`
    INSERT INTO "CaseFeedback" (id, "caseId", "authorId", satisfaction, comment, "createdAt")
    SELECT ${v7(stretched(sql`f."createdAt"`), sql`row_number() OVER (ORDER BY c.at, f."createdAt", f.id)`)}, c.id, ${ref(sql`f."authorId"`)}, f.satisfaction, f.comment, ${happened(sql`f."createdAt"`)}
    FROM h_clone c JOIN "CaseFeedback" f ON f."caseId" = c.tpl`
  await tx.$executeRaw`
    INSERT INTO "CaseApproval" (id, "caseId", kind, status, reason, "extendHours", "requestedById", "decidedById", "decisionNote", "decidedAt", version, "createdAt")
    SELECT ${v7(stretched(sql`a."createdAt"`), sql`row_number() OVER (ORDER BY c.at, a."createdAt", a.id)`)}, c.id, a.kind, a.status, a.reason, a."extendHours",
      ${ref(sql`a."requestedById"`)}, ${ref(sql`a."decidedById"`)}, a."decisionNote", ${happened(sql`a."decidedAt"`)}, a.version, ${happened(sql`a."createdAt"`)}
    FROM h_clone c JOIN "CaseApproval" a ON a."caseId" = c.tpl`
  // The feed sequence, as dispatch.service.ts assigns it: under its lock, at the end of the transaction, above every
  // committed one; in creation order among the clones.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ORDER_SEQ_LOCK})`
  await tx.$executeRaw`
    UPDATE "DispatchOrder" d SET seq = b.top + x.n
    FROM (SELECT id, row_number() OVER (ORDER BY at, id) AS n FROM h_order) x, (SELECT COALESCE(max(seq), 0) AS top FROM "DispatchOrder") b
    WHERE d.id = x.id`
  return { cases, orders, events }
}

// ---------------------------------------------------------------- entry point

/**
 * Fills `months` CST months before the current one, and the current one up to `now`, with
 * `perStreetMonth` cases per street and month (the current month pro rata), cloned from street 1's
 * cases (seeded with seedDemoCases first when it has none). A street that already has cases created
 * before the current month is skipped; each street is one transaction, street 1 last, so a failed
 * run can simply be run again.
 */
export async function seedHistory(prisma: PrismaClient, opts: HistoryOptions = {}): Promise<HistorySummary> {
  const months = opts.months ?? 12
  const perStreetMonth = opts.perStreetMonth ?? 100
  const now = (opts.now ?? new Date()).getTime()
  if (!Number.isInteger(months) || months < 0)
    throw new RangeError(`months must be a non-negative integer, got ${months}`)
  if (!Number.isInteger(perStreetMonth) || perStreetMonth < 0)
    throw new RangeError(`perStreetMonth must be a non-negative integer, got ${perStreetMonth}`)
  const summary: HistorySummary = { streets: 0, skipped: 0, cases: 0, orders: 0, events: 0 }
  const streets = await loadStreets(prisma)
  const first = streets[0]
  if (!first || perStreetMonth === 0) return summary
  const before = new Date(cstMonthStart(now))
  const todo: StreetPlace[] = []
  for (const st of [...streets.slice(1), first]) {
    const old = await prisma.case.findFirst({
      where: { regionId: { in: st.communities.map((c) => c.id) }, createdAt: { lt: before } },
      select: { id: true },
    })
    if (old) summary.skipped++
    else todo.push(st)
  }
  if (!todo.length) return summary

  const communityIds = first.communities.map((c) => c.id)
  if (!(await prisma.case.findFirst({ where: { regionId: { in: communityIds } }, select: { id: true } })))
    await seedDemoCases(prisma)
  const rows = await loadTemplateRows(prisma, communityIds)
  if (!rows.length) throw new Error('history: street 1 has no cases to replay (seedDemoCases seeded none)')
  const templates = rows.map(toTemplate)
  const orderIds = new Set(rows.flatMap((r) => r.orders.map((o) => o.id)))
  const dir = await loadDirectory(prisma)
  const codes = new Map<string, string>()
  for (const g of await prisma.grid.findMany({ select: { id: true, code: true } })) {
    codes.set(g.id, g.code)
    codes.set(g.code, g.id)
  }
  for (const d of await prisma.department.findMany({ select: { id: true, code: true } })) {
    codes.set(d.id, d.code)
    codes.set(d.code, d.id)
  }
  const district = new Set(
    (await prisma.region.findMany({ where: { level: { in: ['CITY', 'DISTRICT'] } }, select: { id: true } })).map(
      (r) => r.id,
    ),
  )
  for (const d of await prisma.department.findMany({
    where: { regionId: { in: [...district] } },
    select: { id: true },
  }))
    district.add(d.id)

  const referenced = new Set(templates.flatMap((t) => [...t.refs]))
  for (const st of todo) {
    const map = new Map(
      [...streetMap(first, st, dir, codes), ...[...district].map((id): [string, string] => [id, id])].filter(([id]) =>
        referenced.has(id),
      ),
    )
    const usable = templates.filter((t) => [...t.refs].every((id) => map.has(id)))
    if (!usable.length) throw new Error(`history: no template case maps onto street ${st.index + 1}`)
    const clones = planStreet(st.index, usable, now, months, perStreetMonth)
    if (!clones.length) continue
    const notes = streetNotes(usable, map, first, st, orderIds)
    try {
      const n = await prisma.$transaction((tx) => writeStreet(tx, clones, map, notes), {
        maxWait: 30_000,
        timeout: 600_000,
      })
      summary.streets++
      summary.cases += n.cases
      summary.orders += n.orders
      summary.events += n.events
    } catch (e) {
      throw new Error(
        `history: street ${st.index + 1} failed after ${summary.streets} committed: ${(e as Error).message}`,
        { cause: e },
      )
    }
  }
  return summary
}
