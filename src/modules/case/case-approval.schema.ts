import { builder } from '../../builder.js'
import { nodeId, exposeVersion } from '../../shared/schema-fields.js'
import { ApprovalKind, ApprovalStatus } from '../../generated/prisma/enums.js'
import { payload, rowMutations } from '../../shared/mutations.js'
import * as cases from './case.service.js'
import { CaseRef, caseMutation } from './case.schema.js'

const ApprovalKindEnum = builder.enumType(ApprovalKind, {
  name: 'ApprovalKind',
  description: 'What an approval is for (审批类型): SUSPEND 挂起, EXTEND 延期.',
})
const ApprovalStatusEnum = builder.enumType(ApprovalStatus, {
  name: 'ApprovalStatus',
  description: 'State of an approval (审批状态): PENDING 待审批, APPROVED 已批准, REJECTED 已驳回.',
})

const CaseApprovalRef = builder.prismaNode('CaseApproval', {
  nullable: true,
  id: nodeId,
  description: 'A request to suspend (挂起) or extend (延期) a case, and its logged decision.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ApprovalKindEnum, description: 'Suspend or extend (类型).' }),
    status: t.expose('status', { type: ApprovalStatusEnum, description: 'Decision state (审批状态).' }),
    reason: t.exposeString('reason', { description: 'Why it is asked (申请理由).' }),
    extendHours: t.exposeFloat('extendHours', {
      nullable: true,
      description: 'For extensions: hours asked (延期小时数).',
    }),
    decisionNote: t.exposeString('decisionNote', { nullable: true, description: "Decider's note (审批意见)." }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, description: 'When decided (审批时间).' }),
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When asked (申请时间).' }),
  }),
})

const RequestApprovalInput = builder.inputType('RequestCaseApprovalInput', {
  description: 'Asks to suspend (挂起) or extend (延期) a case; a street officer decides.',
  fields: (t) => ({
    caseId: t.globalID({ required: true, for: CaseRef, description: 'The case (案件).' }),
    kind: t.field({ type: ApprovalKindEnum, required: true, description: 'Suspend or extend (类型).' }),
    reason: t.string({ required: true, description: 'Why (理由).' }),
    extendHours: t.float({ required: false, description: 'For extensions: hours (延期小时数).' }),
  }),
})

const DecideApprovalInput = builder.inputType('DecideCaseApprovalInput', {
  description: 'Approves or rejects a pending request (审批挂起或延期).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: CaseApprovalRef, description: 'The approval request (申请).' }),
    version: t.int({ required: true, description: 'The request version you read (申请版本号).' }),
    caseVersion: t.int({ required: true, description: 'The case version you read (案件版本号).' }),
    approve: t.boolean({ required: true, description: 'Approve (批准) or reject (驳回).' }),
    note: t.string({ required: false, description: 'Decision note (审批意见).' }),
  }),
})

rowMutations('CaseApproval', payload('approval', 'The request (申请).'))('requestCaseApproval', {
  description: 'Asks to suspend or extend a case (申请挂起或延期).',
  authScopes: { loggedIn: true },
  input: RequestApprovalInput,
  run: cases.requestCaseApproval,
})
caseMutation('decideCaseApproval', {
  description: 'Approves or rejects a suspension or extension (审批挂起或延期).',
  authScopes: { streetOfficer: true },
  input: DecideApprovalInput,
  run: cases.decideCaseApproval,
})
