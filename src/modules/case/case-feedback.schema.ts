import { builder } from '../../builder.js'
import { nodeId, readVersion } from '../../shared/schema-fields.js'
import { payloadRow } from '../../shared/mutations.js'
import * as cases from './case.service.js'

import { CaseRef, caseResult } from './case.schema.js'

builder.prismaNode('CaseFeedback', {
  nullable: true,
  id: nodeId,
  description: "The reporter's rating of the handling (反馈评价).",
  fields: (t) => ({
    satisfaction: t.exposeInt('satisfaction', { description: 'Satisfaction 1–5 (满意度).' }),
    comment: t.exposeString('comment', { nullable: true, description: 'Comment (评价内容).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

const CaseFeedbackInput = builder.inputType('SubmitCaseFeedbackInput', {
  description: "The reporter's rating: 3 or more closes the case, less reopens it (反馈评价).",
  fields: (t) => ({
    id: t.globalID({ required: true, for: CaseRef, description: 'The case (案件).' }),
    version: readVersion(t),
    satisfaction: t.int({ required: true, description: 'Satisfaction 1–5 (满意度).' }),
    comment: t.string({ required: false, description: 'Comment (评价内容).' }),
  }),
})

builder.mutationFields((t) => ({
  submitCaseFeedback: t.prismaField({
    type: CaseRef,
    description: 'The reporter rates the handling (反馈评价); officers may record it for hotline callers.',
    authScopes: { loggedIn: true },
    errors: caseResult,
    args: { input: t.arg({ type: CaseFeedbackInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await cases.submitCaseFeedback(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.case.findUnique(q),
      ),
  }),
}))
