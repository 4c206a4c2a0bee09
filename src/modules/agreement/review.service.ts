// Yearly review (述职评议) per agreement, unit and year: the unit's contact writes its own report,
// the officers of the agreement's region score it (0–100) and comment. One review row per
// (agreement, unit, year), created by whichever side writes first and versioned afterwards.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { mapPrismaError } from '../../db.js'
import type { AgreementReview, Prisma } from '../../generated/prisma/client.js'
import { ForbiddenError, InvalidTransitionError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { parseInput } from '../../shared/validate.js'
import { updateVersioned } from '../../shared/versioned.js'
import { appendAgreementEvent, loadAgreement, publishAgreements, version } from './agreement.service.js'

const year = z.number().int().min(2000).max(2100)

/** Reviews are for agreements that were signed: not drafts. */
const REVIEWABLE = new Set(['SIGNED', 'ACTIVE', 'EXPIRED', 'TERMINATED'])

/** A year of the agreement's term (UTC years, so a term starting on 1 January in China counts from the year before), not yet to come. */
function checkYear(a: { startsAt: Date; endsAt: Date }, y: number) {
  if (y < a.startsAt.getUTCFullYear() || y > a.endsAt.getUTCFullYear()) {
    throw new ValidationFailedError([
      {
        path: 'year',
        message: `not a year of the agreement's term (${a.startsAt.getUTCFullYear()}–${a.endsAt.getUTCFullYear()})`,
      },
    ])
  }
  if (y > new Date().getUTCFullYear())
    throw new ValidationFailedError([{ path: 'year', message: 'the year has not come yet' }])
}

async function upsertReview(
  ctx: Context,
  agreementId: string,
  unitId: string,
  y: number,
  v: number | null | undefined,
  data: Prisma.AgreementReviewUncheckedUpdateManyInput,
  event: { action: string; note: string },
): Promise<AgreementReview> {
  const existing = await ctx.prisma.agreementReview.findUnique({
    where: { agreementId_unitId_year: { agreementId, unitId, year: y } },
  })
  const review = await ctx.prisma
    .$transaction(async (tx) => {
      let written: AgreementReview
      if (existing) {
        if (v == null)
          throw new ValidationFailedError([
            { path: 'version', message: 'the review exists: give the version you read' },
          ])
        written = await updateVersioned(tx.agreementReview, 'AgreementReview', existing.id, v, data)
      } else {
        written = await tx.agreementReview.create({
          data: { ...(data as Prisma.AgreementReviewUncheckedCreateInput), agreementId, unitId, year: y },
        })
      }
      await appendAgreementEvent(tx, {
        agreementId,
        actorId: ctx.viewer?.userId ?? null,
        action: event.action,
        from: null,
        to: null,
        note: event.note,
      })
      return written
    })
    .catch((e) => mapPrismaError(e, 'AgreementReview'))
  await publishAgreements(ctx, agreementId)
  return review
}

const reportSchema = z.object({
  agreementId: z.string(),
  year,
  report: z.string().trim().min(10, 'at least 10 characters').max(10_000),
  version: version.nullish(),
})

/** The unit's contact reports on the year's work under the agreement (单位述职). */
export async function submitAgreementReport(ctx: Context, input: z.input<typeof reportSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(reportSchema, input)
  const { row: a, actors } = await loadAgreement(ctx, data.agreementId)
  const unitId = ctx.access.contactUnit()
  if (!actors.includes('UNIT') || !unitId) throw new ForbiddenError('Only the contact of a party unit reports for it')
  if (!REVIEWABLE.has(a.status)) throw new InvalidTransitionError('JointAgreement', a.status, 'REPORT')
  checkYear(a, data.year)
  return upsertReview(
    ctx,
    a.id,
    unitId,
    data.year,
    data.version,
    { unitReport: data.report, reportedById: viewer.userId, reportedAt: new Date() },
    { action: 'REPORT', note: `${data.year}` },
  )
}

const scoreSchema = z.object({
  agreementId: z.string(),
  unitId: z.string(),
  year,
  score: z.number().int().min(0, '0–100').max(100, '0–100'),
  comment: z.string().trim().min(2, 'at least 2 characters').max(4000),
  version: version.nullish(),
})

/** The officers of the agreement's region score a unit's year and comment (社区评议). */
export async function reviewAgreementUnit(ctx: Context, input: z.input<typeof scoreSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(scoreSchema, input)
  const { row: a, actors } = await loadAgreement(ctx, data.agreementId)
  if (!actors.includes('ORG_OFFICER'))
    throw new ForbiddenError("Only the officers of the agreement's region review its units")
  if (!REVIEWABLE.has(a.status)) throw new InvalidTransitionError('JointAgreement', a.status, 'REVIEW')
  if (!a.parties.some((p) => p.unitId === data.unitId)) throw new NotFoundError('AgreementParty', data.unitId)
  checkYear(a, data.year)
  return upsertReview(
    ctx,
    a.id,
    data.unitId,
    data.year,
    data.version,
    { score: data.score, comment: data.comment, reviewedById: viewer.userId, reviewedAt: new Date() },
    { action: 'REVIEW', note: `${data.year}: ${data.score}` },
  )
}
