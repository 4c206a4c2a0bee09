// Joint-construction agreements (共建协议): drafted by the officers of a street working committee or
// community committee with one or more resident units, confirmed by the units, signed, activated,
// and expired by the background job at the end of the term or terminated with a reason. Items carry
// the responsible people of both sides, a target and progress entries. Every step is checked against
// AGREEMENT_TRANSITIONS, applied with optimistic concurrency, logged on the agreement's timeline in
// the same transaction and published after commit.
import { filter } from 'graphql-yoga'
import { z } from 'zod'
import type { Context } from '../../context.js'
import type { Prisma, PrismaClient, Tx } from '../../db.js'
import { AgreementItemKind, type AgreementStatus, type JointAgreement } from '../../generated/prisma/client.js'
import type { Logger } from '../../logger.js'
import type { AppPubSub, ReportAudience } from '../../pubsub.js'
import {
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  StaleVersionError,
  ValidationFailedError,
} from '../../shared/errors.js'
import { announce } from '../../shared/announce.js'
import { check, defineWorkflow, planTransition, refusal } from '../../shared/state-machine.js'
import { parseInput, phoneNumber } from '../../shared/validate.js'
import { agreementActors } from './agreement.access.js'
import { AGREEMENT_TRANSITIONS, type AgreementAction, type AgreementActor } from './transitions.js'

export const version = z.number().int().min(0)
export const note = z.string().trim().max(1000).nullish()
export const reason = z.string().trim().min(2, 'give a reason').max(1000)
const title = z.string().trim().min(2, 'at least 2 characters').max(100)
const personName = z.string().trim().min(2, 'at least 2 characters').max(30)
const documents = z.array(z.url('not a URL').max(500)).max(20)

// ---------------------------------------------------------------- timeline and notifications

export async function appendAgreementEvent(
  tx: Tx,
  e: {
    agreementId: string
    actorId: string | null
    action: string
    from: string | null
    to: string | null
    note?: string | null
    at?: Date
  },
) {
  await tx.agreementEvent.create({
    data: {
      agreementId: e.agreementId,
      actorId: e.actorId,
      action: e.action,
      fromStatus: e.from,
      toStatus: e.to,
      note: e.note ?? null,
      ...(e.at ? { createdAt: e.at } : {}),
    },
  })
}

/**
 * Whoever may read the agreement (agreementRule in agreement.policy.ts): officers of its region, of each party
 * unit's community and of every region above them; the contacts of each party unit.
 */
async function audiences(prisma: PrismaClient, agreementId: string): Promise<ReportAudience[]> {
  const a = await prisma.jointAgreement.findUniqueOrThrow({
    where: { id: agreementId },
    select: {
      region: { select: { path: true } },
      parties: { select: { unitId: true, unit: { select: { community: { select: { path: true } } } } } },
    },
  })
  const regions = new Set(
    [a.region.path, ...a.parties.map((p) => p.unit.community.path)].flatMap((path) => path.split('/').filter(Boolean)),
  )
  return [...[...regions].map((id) => `region:${id}` as const), ...a.parties.map((p) => `unit:${p.unitId}` as const)]
}

/** Publishes after commit: call once the transaction has resolved (a failure is logged: see announce). */
export async function publishAgreements(
  deps: { prisma: PrismaClient; pubsub: AppPubSub; log?: Logger },
  ...ids: string[]
) {
  await announce(deps.log, 'JointAgreement', async () => {
    for (const id of ids)
      for (const a of await audiences(deps.prisma, id)) deps.pubsub.publish('agreement:updated', a, { id })
  })
}

// ---------------------------------------------------------------- loading and applying

const WITH_PARTIES = { parties: { select: { unitId: true, signatoryName: true } } } as const

/** An agreement item as the viewer may read it, NotFound otherwise. */
async function loadItem(ctx: Context, id: string) {
  const item = await ctx.reader.agreementItem.findUnique({ where: { id } })
  if (!item) throw new NotFoundError('AgreementItem', id)
  return item
}

type Data = Prisma.JointAgreementUncheckedUpdateManyInput
type AgreementWithParties = Prisma.JointAgreementGetPayload<{ include: typeof WITH_PARTIES }>

/** Each step is planned and applied at the version the client read (see defineWorkflow); published after commit. */
const { plan, step, find, load, inputStep } = defineWorkflow<
  AgreementStatus,
  AgreementAction,
  AgreementActor,
  Data,
  AgreementWithParties,
  JointAgreement
>({
  entity: 'JointAgreement',
  table: AGREEMENT_TRANSITIONS,
  // with every party: a readable agreement's parties are all readable
  read: (ctx, id) => ctx.reader.jointAgreement.findUnique({ where: { id }, include: WITH_PARTIES }),
  actors: agreementActors,
  delegate: (tx) => tx.jointAgreement,
  log: (tx, a, e) => appendAgreementEvent(tx, { agreementId: a.id, ...e }),
  publish: (ctx, a) => publishAgreements(ctx, a.id),
})

/** The agreement as the viewer may read it (NotFound otherwise), with every party. */
export const findAgreement = find

/** The agreement as the viewer may read it (NotFound otherwise), with every party, and how the viewer relates to it. */
export const loadAgreement = load

// ---------------------------------------------------------------- parties and items

const partySchema = z.object({
  unitId: z.string(),
  unitOrgId: z.string().nullish(),
  signatoryName: personName.nullish(),
})
type PartyInput = z.output<typeof partySchema>

/** Units in the party organisation's area, each with its unit party organisation (the given one or its own). */
async function partyRows(ctx: Context, regionId: string, parties: PartyInput[], path = 'parties') {
  const region = await ctx.prisma.region.findUniqueOrThrow({ where: { id: regionId }, select: { path: true } })
  const units = await ctx.prisma.residentUnit.findMany({
    where: { id: { in: parties.map((p) => p.unitId) } },
    include: {
      community: { select: { path: true } },
      partyOrgs: { where: { level: 'UNIT_ORG', active: true }, orderBy: { createdAt: 'asc' }, select: { id: true } },
    },
  })
  const seen = new Set<string>()
  return parties.map((p, i) => {
    const at = `${path}.${i}`
    const unit = units.find((u) => u.id === p.unitId)
    if (!unit) throw new ValidationFailedError([{ path: `${at}.unitId`, message: 'no such resident unit' }])
    if (!unit.community.path.startsWith(region.path))
      throw new ValidationFailedError([
        { path: `${at}.unitId`, message: "the unit is outside the party organisation's area" },
      ])
    if (seen.has(unit.id))
      throw new ValidationFailedError([{ path: `${at}.unitId`, message: 'the unit is named twice' }])
    seen.add(unit.id)
    if (p.unitOrgId && !unit.partyOrgs.some((o) => o.id === p.unitOrgId))
      throw new ValidationFailedError([
        { path: `${at}.unitOrgId`, message: 'not an active party organisation of this unit' },
      ])
    return {
      unitId: unit.id,
      unitOrgId: p.unitOrgId ?? unit.partyOrgs[0]?.id ?? null,
      signatoryName: p.signatoryName ?? null,
    }
  })
}

const itemSchema = z.object({
  kind: z.enum(AgreementItemKind),
  title,
  description: z.string().trim().max(2000).nullish(),
  unitId: z.string().nullish(),
  orgLeadName: personName,
  orgLeadPhone: phoneNumber.nullish(),
  unitLeadName: personName,
  unitLeadPhone: phoneNumber.nullish(),
  target: z.string().trim().min(2, 'at least 2 characters').max(500),
})
type ItemInput = z.output<typeof itemSchema>

function itemRows(items: ItemInput[], unitIds: string[], path = 'items') {
  return items.map((it, i) => {
    if (it.unitId && !unitIds.includes(it.unitId))
      throw new ValidationFailedError([
        { path: `${path}.${i}.unitId`, message: 'the unit is not a party to the agreement' },
      ])
    return {
      ...it,
      unitId: it.unitId ?? null,
      description: it.description ?? null,
      orgLeadPhone: it.orgLeadPhone ?? null,
      unitLeadPhone: it.unitLeadPhone ?? null,
    }
  })
}

function checkTerm(startsAt: Date, endsAt: Date) {
  if (endsAt <= startsAt)
    throw new ValidationFailedError([{ path: 'endsAt', message: 'the term must end after it starts' }])
}

// ---------------------------------------------------------------- create and edit the draft

const createSchema = z.object({
  partyOrgId: z.string(),
  title,
  summary: z.string().trim().max(4000).nullish(),
  startsAt: z.date(),
  endsAt: z.date(),
  documents: documents.nullish(),
  parties: z.array(partySchema).min(1, 'at least one resident unit').max(20),
  items: z.array(itemSchema).max(30).nullish(),
  note,
})

export async function createJointAgreement(ctx: Context, input: z.input<typeof createSchema>): Promise<JointAgreement> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(createSchema, input)
  const org = await ctx.prisma.partyOrg.findUnique({ where: { id: data.partyOrgId } })
  if (!org) throw new NotFoundError('PartyOrg', data.partyOrgId)
  const verdict = check(
    AGREEMENT_TRANSITIONS,
    'CREATE',
    'NEW',
    await agreementActors(ctx, { regionId: org.regionId, parties: [] }),
  )
  if (!verdict.ok) throw refusal('JointAgreement', 'NEW', 'CREATE', verdict.reason)
  if (!org.active || (org.level !== 'STREET_WORKING_COMMITTEE' && org.level !== 'COMMUNITY_COMMITTEE')) {
    throw new ValidationFailedError([
      {
        path: 'partyOrgId',
        message: 'agreements are signed by an active street working committee or community committee',
      },
    ])
  }
  checkTerm(data.startsAt, data.endsAt)
  const parties = await partyRows(ctx, org.regionId, data.parties)
  const items = itemRows(
    data.items ?? [],
    parties.map((p) => p.unitId),
  )
  const a = await ctx.prisma.$transaction(async (tx) => {
    const created = await tx.jointAgreement.create({
      data: {
        title: data.title,
        summary: data.summary ?? null,
        partyOrgId: org.id,
        regionId: org.regionId,
        startsAt: data.startsAt,
        endsAt: data.endsAt,
        documents: data.documents ?? [],
        createdById: viewer.userId,
      },
    })
    await tx.agreementParty.createMany({ data: parties.map((p) => ({ ...p, agreementId: created.id })) })
    if (items.length)
      await tx.agreementItem.createMany({ data: items.map((it) => ({ ...it, agreementId: created.id })) })
    await appendAgreementEvent(tx, {
      agreementId: created.id,
      actorId: viewer.userId,
      action: 'CREATE',
      from: null,
      to: 'DRAFT',
      note: data.note,
    })
    return created
  })
  await publishAgreements(ctx, a.id)
  return a
}

const updateSchema = z.object({
  id: z.string(),
  version,
  title: title.nullish(),
  summary: z.string().trim().max(4000).nullish(),
  startsAt: z.date().nullish(),
  endsAt: z.date().nullish(),
  documents: documents.nullish(),
  note,
})

export async function updateJointAgreement(ctx: Context, input: z.input<typeof updateSchema>) {
  const data = parseInput(updateSchema, input)
  const { row: a, actors } = await loadAgreement(ctx, data.id)
  plan(a, actors, data.version, 'UPDATE')
  checkTerm(data.startsAt ?? a.startsAt, data.endsAt ?? a.endsAt)
  const changes: Data = {}
  if (data.title) changes.title = data.title
  if (data.summary !== undefined) changes.summary = data.summary
  if (data.startsAt) changes.startsAt = data.startsAt
  if (data.endsAt) changes.endsAt = data.endsAt
  if (data.documents) changes.documents = data.documents
  const changed = Object.keys(changes)
  if (!changed.length) throw new ValidationFailedError([{ path: 'input', message: 'nothing to change' }])
  return step(ctx, a, actors, data.version, 'UPDATE', {
    note: `${changed.join(', ')}${data.note ? `: ${data.note}` : ''}`,
    data: changes,
  })
}

export async function addAgreementParty(
  ctx: Context,
  input: { id: string; version: number; party: z.input<typeof partySchema> },
) {
  const data = parseInput(z.object({ id: z.string(), version, party: partySchema }), input)
  const { row: a, actors } = await loadAgreement(ctx, data.id)
  plan(a, actors, data.version, 'ADD_PARTY')
  if (a.parties.some((p) => p.unitId === data.party.unitId))
    throw new ValidationFailedError([{ path: 'party.unitId', message: 'the unit is already a party' }])
  const [row] = await partyRows(ctx, a.regionId, [data.party], 'party')
  const unit = await ctx.prisma.residentUnit.findUniqueOrThrow({ where: { id: row!.unitId }, select: { name: true } })
  return step(ctx, a, actors, data.version, 'ADD_PARTY', { note: unit.name }, async (tx, _move, updated) => {
    await tx.agreementParty.create({ data: { ...row!, agreementId: a.id } })
    return updated
  })
}

export async function addAgreementItem(
  ctx: Context,
  input: { id: string; version: number; item: z.input<typeof itemSchema> },
) {
  const data = parseInput(z.object({ id: z.string(), version, item: itemSchema }), input)
  const { row: a, actors } = await loadAgreement(ctx, data.id)
  plan(a, actors, data.version, 'ADD_ITEM')
  const [row] = itemRows(
    [data.item],
    a.parties.map((p) => p.unitId),
    'item',
  )
  return step(
    ctx,
    a,
    actors,
    data.version,
    'ADD_ITEM',
    { note: `${row!.kind}: ${row!.title}` },
    async (tx, _move, updated) => {
      await tx.agreementItem.create({ data: { ...row!, agreementId: a.id } })
      return updated
    },
  )
}

export async function cancelAgreementItem(ctx: Context, input: { itemId: string; version: number; reason: string }) {
  const data = parseInput(z.object({ itemId: z.string(), version, reason }), input)
  const item = await loadItem(ctx, data.itemId)
  const { row: a, actors } = await loadAgreement(ctx, item.agreementId)
  plan(a, actors, data.version, 'CANCEL_ITEM')
  if (item.cancelledAt) throw new ValidationFailedError([{ path: 'itemId', message: 'the item is already cancelled' }])
  return step(
    ctx,
    a,
    actors,
    data.version,
    'CANCEL_ITEM',
    { note: `${item.title}: ${data.reason}` },
    async (tx, _move, updated) => {
      await tx.agreementItem.update({
        where: { id: item.id },
        data: { cancelledAt: new Date(), version: { increment: 1 } },
      })
      return updated
    },
  )
}

/** A party unit's contact confirms the draft for their unit by naming its signatory. */
export async function confirmAgreementParty(
  ctx: Context,
  input: { id: string; version: number; signatoryName: string },
) {
  const data = parseInput(z.object({ id: z.string(), version, signatoryName: personName }), input)
  const { row: a, actors } = await loadAgreement(ctx, data.id)
  plan(a, actors, data.version, 'CONFIRM')
  const unitId = ctx.access.contactUnit()!
  return step(ctx, a, actors, data.version, 'CONFIRM', { note: data.signatoryName }, async (tx, _move, updated) => {
    await tx.agreementParty.update({
      where: { agreementId_unitId: { agreementId: a.id, unitId } },
      data: { signatoryName: data.signatoryName },
    })
    return updated
  })
}

// ---------------------------------------------------------------- sign, activate, terminate

export async function signJointAgreement(
  ctx: Context,
  input: { id: string; version: number; signedAt?: Date | null; documents?: string[] | null; note?: string | null },
) {
  const data = parseInput(
    z.object({ id: z.string(), version, signedAt: z.date().nullish(), documents: documents.nullish(), note }),
    input,
  )
  const { row: a, actors } = await loadAgreement(ctx, data.id)
  plan(a, actors, data.version, 'SIGN')
  const now = new Date()
  const signedAt = data.signedAt ?? now
  if (signedAt > now) throw new ValidationFailedError([{ path: 'signedAt', message: 'cannot be in the future' }])
  const items = await ctx.prisma.agreementItem.count({ where: { agreementId: a.id, cancelledAt: null } })
  if (!items)
    throw new ValidationFailedError([{ path: 'id', message: 'an agreement needs at least one item to be signed' }])
  const unconfirmed = a.parties.filter((p) => !p.signatoryName)
  if (unconfirmed.length) {
    const names = await ctx.prisma.residentUnit.findMany({
      where: { id: { in: unconfirmed.map((p) => p.unitId) } },
      select: { name: true },
    })
    throw new ValidationFailedError([
      {
        path: 'id',
        message: `every unit names its signatory first (confirm or add with signatoryName): ${names.map((n) => n.name).join(', ')}`,
      },
    ])
  }
  return step(ctx, a, actors, data.version, 'SIGN', {
    note: data.note,
    data: { signedAt, documents: [...a.documents, ...(data.documents ?? [])] },
  })
}

export async function activateJointAgreement(
  ctx: Context,
  input: { id: string; version: number; note?: string | null },
) {
  const data = parseInput(z.object({ id: z.string(), version, note }), input)
  const { row: a, actors } = await loadAgreement(ctx, data.id)
  plan(a, actors, data.version, 'ACTIVATE')
  const now = new Date()
  if (a.endsAt <= now)
    throw new ValidationFailedError([
      { path: 'id', message: `the term ended at ${a.endsAt.toISOString()}: it expires instead` },
    ])
  return step(ctx, a, actors, data.version, 'ACTIVATE', { note: data.note, data: { activatedAt: now } })
}

export const terminateJointAgreement = inputStep(
  z.object({ id: z.string(), version, reason }),
  'TERMINATE',
  (data) => ({
    note: data.reason,
    data: { terminationReason: data.reason, closedAt: new Date() },
  }),
)

// ---------------------------------------------------------------- progress on items

const progressSchema = z.object({
  itemId: z.string(),
  version,
  progress: z.number().int().min(0, '0–100').max(100, '0–100'),
  note: z.string().trim().min(2, 'say what was done').max(1000),
  attachments: z.array(z.url('not a URL').max(500)).max(10).nullish(),
  occurredAt: z.date().nullish(),
})

/**
 * Either side reports progress on an item of an ACTIVE agreement, at the item's version. The
 * agreement keeps its state and version; the entry goes on its timeline.
 */
export async function recordAgreementProgress(ctx: Context, input: z.input<typeof progressSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(progressSchema, input)
  const item = await loadItem(ctx, data.itemId)
  const { row: a, actors } = await loadAgreement(ctx, item.agreementId)
  // a unit reports on its own items and on the ones common to every unit
  const mine = actors.filter((x) => x !== 'UNIT' || !item.unitId || item.unitId === ctx.access.contactUnit())
  planTransition({
    entity: 'AgreementItem',
    table: AGREEMENT_TRANSITIONS,
    action: 'PROGRESS',
    row: { id: item.id, version: item.version, status: a.status },
    actors: mine,
    version: data.version,
  })
  if (item.cancelledAt) throw new ValidationFailedError([{ path: 'itemId', message: 'the item is cancelled' }])
  const now = new Date()
  const occurredAt = data.occurredAt ?? now
  if (occurredAt > now) throw new ValidationFailedError([{ path: 'occurredAt', message: 'cannot be in the future' }])
  const updated = await ctx.prisma.$transaction(async (tx) => {
    const [row] = await tx.agreementItem.updateManyAndReturn({
      where: { id: item.id, version: data.version, cancelledAt: null, agreement: { status: 'ACTIVE' } },
      data: { progress: data.progress, version: { increment: 1 } },
    })
    if (!row) {
      const current = await tx.agreementItem.findUniqueOrThrow({
        where: { id: item.id },
        select: { version: true, agreement: { select: { status: true } } },
      })
      if (current.version !== data.version) throw new StaleVersionError('AgreementItem', data.version, current.version)
      throw new InvalidTransitionError('JointAgreement', current.agreement.status, 'PROGRESS')
    }
    await tx.agreementProgress.create({
      data: {
        itemId: item.id,
        progress: data.progress,
        note: data.note,
        attachments: data.attachments ?? [],
        occurredAt,
        recordedById: viewer.userId,
      },
    })
    await appendAgreementEvent(tx, {
      agreementId: a.id,
      actorId: viewer.userId,
      action: 'PROGRESS',
      from: a.status,
      to: a.status,
      note: `${item.title}: ${data.progress}% — ${data.note}`,
    })
    return row
  })
  await publishAgreements(ctx, a.id)
  return updated
}

// ---------------------------------------------------------------- subscriptions

/**
 * Officers watch a region of theirs (their first region by default); unit contacts their unit's
 * agreements. Every event passes the viewer's read policy, asked of the database for each event,
 * before the agreement is re-read through the selection (also through the reader).
 */
export async function subscribeAgreements(ctx: Context, regionId: string | null) {
  const viewer = ctx.access.requireViewer()
  const readable = filter(
    async (e: { id: string }) => (await ctx.reader.jointAgreement.count({ where: { id: e.id } })) > 0,
  )
  if (regionId) {
    const region = await ctx.prisma.region.findUnique({ where: { id: regionId }, select: { id: true } })
    if (!region) throw new NotFoundError('Region', regionId)
    if (!(await ctx.access.managesRegion(regionId)))
      throw new ForbiddenError('You can only watch the agreements of your own region')
    return readable(ctx.pubsub.subscribe('agreement:updated', `region:${regionId}`))
  }
  const unit = ctx.access.contactUnit()
  if (unit) return readable(ctx.pubsub.subscribe('agreement:updated', `unit:${unit}`))
  const own = viewer.regionIds[0]
  if (own && (await ctx.access.managesRegion(own)))
    return readable(ctx.pubsub.subscribe('agreement:updated', `region:${own}`))
  throw new ForbiddenError('Only officers and unit contacts watch agreements')
}
