// The module's timeline (VolunteerEvent) and its notifications, shared by every workflow.
import type { Context } from '../../context.js'
import type { Tx } from '../../db.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { ReportAudience } from '../../pubsub.js'
import { announce } from '../../shared/announce.js'
import { defineWorkflow, type StatefulRow, type Workflow } from '../../shared/state-machine.js'

export type VolunteerEntity =
  | 'VolunteerActivity'
  | 'ActivitySignup'
  | 'Redemption'
  | 'MicroWish'
  | 'VolunteerTeam'
  | 'RewardItem'

export interface VolunteerEventInput {
  entity: VolunteerEntity
  entityId: string
  actorId: string | null
  action: string
  from?: string | null
  to?: string | null
  note?: string | null
}

/** The link column of each kind of row: an event's read policy follows its row through it. */
const LINK = {
  VolunteerActivity: 'activityId',
  ActivitySignup: 'signupId',
  Redemption: 'redemptionId',
  MicroWish: 'wishId',
  VolunteerTeam: 'teamId',
  RewardItem: 'rewardItemId',
} as const satisfies Record<VolunteerEntity, keyof Prisma.VolunteerEventUncheckedCreateInput>

/** `entity`/`entityId` and the one matching link (a CHECK in the database holds them together). */
const eventLink = (entity: VolunteerEntity, entityId: string) =>
  ({ entity, entityId, [LINK[entity]]: entityId }) as Pick<
    Prisma.VolunteerEventUncheckedCreateInput,
    'entity' | 'entityId' | (typeof LINK)[VolunteerEntity]
  >

export const eventRow = (e: VolunteerEventInput): Prisma.VolunteerEventUncheckedCreateInput => ({
  ...eventLink(e.entity, e.entityId),
  actorId: e.actorId,
  action: e.action,
  fromStatus: e.from ?? null,
  toStatus: e.to ?? null,
  note: e.note ?? null,
})

export async function appendEvent(tx: Tx, e: VolunteerEventInput) {
  await tx.volunteerEvent.create({ data: eventRow(e) })
}

/** A volunteer workflow (see defineWorkflow): its timeline events go to VolunteerEvent. */
export function volunteerWorkflow<
  S extends string,
  A extends string,
  Actor extends string,
  Data extends object,
  R extends StatefulRow<S>,
  Row extends StatefulRow<S> = R,
>(w: Omit<Workflow<S, A, Actor, Data, R, Row>, 'entity' | 'log'> & { entity: VolunteerEntity }) {
  return defineWorkflow<S, A, Actor, Data, R, Row>({
    ...w,
    log: (tx, row, e) => appendEvent(tx, { entity: w.entity, entityId: row.id, ...e }),
  })
}

/** Publishes after commit: anyone watching the activity (status, places taken). */
export function publishActivity(ctx: Pick<Context, 'pubsub'>, activityId: string) {
  ctx.pubsub.publish('activity:updated', activityId, { id: activityId })
}

/**
 * Publishes after commit: officers of every region above the wish's community, the wisher, the
 * claimer (and their unit). A failure is logged (see announce).
 */
export async function publishWish(ctx: Context, wishId: string) {
  await announce(ctx.log, 'MicroWish', async () => {
    const w = await ctx.prisma.microWish.findUnique({
      where: { id: wishId },
      select: {
        wisherId: true,
        createdById: true,
        claimedById: true,
        claimerUnitId: true,
        community: { select: { path: true } },
      },
    })
    if (!w) return
    const out = new Set<ReportAudience>(
      w.community.path
        .split('/')
        .filter(Boolean)
        .map((id) => `region:${id}` as const),
    )
    for (const u of [w.wisherId, w.createdById, w.claimedById]) if (u) out.add(`user:${u}`)
    if (w.claimerUnitId) out.add(`unit:${w.claimerUnitId}`)
    for (const a of out) ctx.pubsub.publish('wish:updated', a, { id: wishId })
  })
}
