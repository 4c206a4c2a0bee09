import { builder } from '../../builder.js'
import { nodeId } from '../../shared/schema-fields.js'
import * as cases from './case.service.js'
import { caseMutation, caseStepInput } from './case.schema.js'

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

const CaseFeedbackInput = caseStepInput(
  'SubmitCaseFeedbackInput',
  "The reporter's rating: 3 or more closes the case, less reopens it (反馈评价).",
  (t) => ({
    satisfaction: t.int({ required: true, description: 'Satisfaction 1–5 (满意度).' }),
    comment: t.string({ required: false, description: 'Comment (评价内容).' }),
  }),
)

caseMutation('submitCaseFeedback', {
  description: 'The reporter rates the handling (反馈评价); officers may record it for hotline callers.',
  authScopes: { loggedIn: true },
  input: CaseFeedbackInput,
  run: cases.submitCaseFeedback,
})
