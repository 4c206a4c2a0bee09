import { builder } from '../../builder.js'
import { nodeId, exposeVersion } from '../../shared/schema-fields.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { payload, rowMutations } from '../../shared/mutations.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import * as reviews from './review.service.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { JointAgreementRef } from './agreement.schema.js'

builder.prismaNode('AgreementReview', {
  nullable: true,
  id: nodeId,
  description:
    "Yearly review (述职评议) of a unit under an agreement: the unit's own report, the community's score and comments. Visible to the unit and the officers of the region, not to other units.",
  fields: (t) => ({
    agreement: t.relation('agreement', { description: 'The agreement (所属协议).' }),
    unit: t.relation('unit', { description: 'The unit reviewed (述职单位).' }),
    year: t.exposeInt('year', { description: 'The year reviewed (评议年度).' }),
    unitReport: t.exposeString('unitReport', { nullable: true, description: "The unit's own report (单位述职报告)." }),
    reportedAt: t.expose('reportedAt', { type: 'DateTime', nullable: true, description: 'Reported at (述职时间).' }),
    score: t.exposeInt('score', { nullable: true, description: 'Score given by the officers, 0–100 (评议得分).' }),
    comment: t.exposeString('comment', { nullable: true, description: "The officers' comments (评议意见)." }),
    reviewedAt: t.expose('reviewedAt', { type: 'DateTime', nullable: true, description: 'Scored at (评议时间).' }),
    version: exposeVersion(t),
  }),
})

builder.queryFields((t) => ({
  agreementReviews: t.prismaConnection(
    {
      type: 'AgreementReview',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: "Yearly reviews you may see (述职评议列表): a unit contact its own unit's, officers their region's.",
      args: {
        unitId: t.arg.globalID({ required: false, for: ResidentUnitRef, description: 'Of this unit (单位).' }),
        year: t.arg.int({ required: false, description: 'Of this year (年度).' }),
      },
      ...rootList(
        'agreementReview',
        (args: { unitId?: { id: string } | null; year?: number | null }, _ctx: Context) => ({
          where: {
            AND: [args.unitId ? { unitId: args.unitId.id } : {}, args.year ? { year: args.year } : {}],
          } satisfies Prisma.AgreementReviewWhereInput,
          orderBy: [{ year: 'desc' }, { id: 'desc' }] satisfies Prisma.AgreementReviewOrderByWithRelationInput[],
        }),
      ),
    },
    COUNTED,
  ),
}))

const SubmitAgreementReportInput = builder.inputType('SubmitAgreementReportInput', {
  description: "A party unit's contact writes the unit's yearly report under an agreement (单位述职).",
  fields: (t) => ({
    agreementId: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    year: t.int({ required: true, description: 'The year reported on (述职年度).' }),
    report: t.string({ required: true, description: 'The report (述职报告).' }),
    version: t.int({ required: false, description: 'The version you read, when the review exists (评议版本号).' }),
  }),
})

const ReviewAgreementUnitInput = builder.inputType('ReviewAgreementUnitInput', {
  description: "Officers of the agreement's region score a unit's year and comment (评议打分).",
  fields: (t) => ({
    agreementId: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    unitId: t.globalID({ required: true, for: ResidentUnitRef, description: 'The party unit (共建单位).' }),
    year: t.int({ required: true, description: 'The year reviewed (评议年度).' }),
    score: t.int({ required: true, description: 'Score, 0–100 (得分).' }),
    comment: t.string({ required: true, description: 'Comments (评议意见).' }),
    version: t.int({ required: false, description: 'The version you read, when the review exists (评议版本号).' }),
  }),
})

const reviewMutation = rowMutations('AgreementReview', payload('review', 'The review after the change (变更后的评议).'))
reviewMutation('submitAgreementReport', {
  description: "A party unit's contact writes its yearly report (单位述职).",
  authScopes: { unitContact: true },
  input: SubmitAgreementReportInput,
  run: reviews.submitAgreementReport,
})
reviewMutation('reviewAgreementUnit', {
  description: "Officers of the agreement's region score a unit's year (评议打分).",
  authScopes: { officer: true },
  input: ReviewAgreementUnitInput,
  run: reviews.reviewAgreementUnit,
})
