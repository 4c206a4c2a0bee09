// The addressee's side of a supervision notice (督办): the department (or grid worker) an overdue
// order is addressed to signs for the notice (签收督办) and answers it (答复: why the work is late, what
// it will do, by when). Each step once, in order, at the version read, with a step on the case's
// timeline; who did it and when are kept for assessment (签收率、答复率).
import { z } from 'zod'
import type { Context } from '../../context.js'
import type { Prisma, Supervision, SupervisionStatus } from '../../generated/prisma/client.js'
import { NotFoundError } from '../../shared/errors.js'
import { applyTransition } from '../../shared/state-machine.js'
import { parseInput } from '../../shared/validate.js'
import { actorsFor } from './case.access.js'
import { appendEvent } from './case.service.js'
import { AfterCommit } from './notify.js'
import type { Actor } from './transitions.js'
import { SUPERVISION_TRANSITIONS, type SupervisionAction } from './supervision.transitions.js'

/** Loads a supervision the viewer may read (else NotFound, as for one that does not exist) and how the viewer relates to it. */
async function loadSupervision(ctx: Context, id: string) {
  const s = await ctx.reader.supervision.findUnique({ where: { id } })
  if (!s) throw new NotFoundError('Supervision', id)
  // who may act is decided on the trusted rows: the order and case behind a readable supervision
  const [c, order] = await Promise.all([
    ctx.prisma.case.findUniqueOrThrow({ where: { id: s.caseId } }),
    s.orderId
      ? ctx.prisma.dispatchOrder.findUniqueOrThrow({
          where: { id: s.orderId },
          select: { departmentId: true, assigneeId: true },
        })
      : null,
  ])
  // a notice on the case itself has no addressee: nobody signs for or answers it
  const actors = order ? await actorsFor(ctx, c, order) : []
  return { s, actors }
}

async function transitionSupervision(
  ctx: Context,
  input: { id: string; version: number },
  action: SupervisionAction,
  step: { data: Prisma.SupervisionUncheckedUpdateManyInput; note: string | null },
): Promise<Supervision> {
  const { s, actors } = await loadSupervision(ctx, input.id)
  const actorId = ctx.viewer?.userId ?? null
  const after = new AfterCommit()
  const updated = await applyTransition<
    SupervisionStatus,
    SupervisionAction,
    Actor,
    Prisma.SupervisionUncheckedUpdateManyInput,
    Supervision,
    Supervision
  >(
    ctx.prisma,
    (tx) => tx.supervision,
    {
      entity: 'Supervision',
      table: SUPERVISION_TRANSITIONS,
      action,
      row: s,
      actors,
      version: input.version,
      data: step.data,
    },
    async (tx, move, row) => {
      await appendEvent(tx, {
        caseId: s.caseId,
        orderId: s.orderId,
        actorId,
        action: `SUPERVISION_${action}`,
        from: move.from,
        to: move.to,
        note: step.note,
      })
      after.caseUpdated(s.caseId)
      return row
    },
  )
  await after.flush(ctx.pubsub, ctx.log)
  return updated
}

const acknowledgeSchema = z.object({ note: z.string().trim().max(1000).nullish() })

/** 签收督办: the addressee confirms it has received the notice. */
export async function acknowledgeSupervision(
  ctx: Context,
  input: { id: string; version: number; note?: string | null },
) {
  const data = parseInput(acknowledgeSchema, { note: input.note })
  return transitionSupervision(ctx, input, 'ACKNOWLEDGE', {
    data: { acknowledgedAt: new Date(), acknowledgedById: ctx.viewer?.userId ?? null },
    note: data.note || null,
  })
}

/** The longest promise an answer may make: beyond it, the work needs an extension (延期), not an answer. */
const MAX_PROMISE_DAYS = 366

const answerSchema = (now: Date) =>
  z.object({
    answer: z.string().trim().min(5, 'say why the work is late and what will be done').max(5000),
    promisedBy: z
      .date()
      .min(now, 'the promised date must lie in the future')
      .max(
        new Date(now.getTime() + MAX_PROMISE_DAYS * 86_400_000),
        `the promised date must lie within ${MAX_PROMISE_DAYS} days`,
      )
      .nullish(),
  })

/** 答复: the addressee explains the delay and what it will do (and by when); once, after signing for it. */
export async function answerSupervision(
  ctx: Context,
  input: { id: string; version: number; answer: string; promisedBy?: Date | null },
) {
  const now = new Date()
  const data = parseInput(answerSchema(now), { answer: input.answer, promisedBy: input.promisedBy })
  return transitionSupervision(ctx, input, 'ANSWER', {
    data: {
      answer: data.answer,
      promisedBy: data.promisedBy ?? null,
      answeredAt: now,
      answeredById: ctx.viewer?.userId ?? null,
    },
    note: data.promisedBy ? `${data.answer} (promised by ${data.promisedBy.toISOString()})` : data.answer,
  })
}
