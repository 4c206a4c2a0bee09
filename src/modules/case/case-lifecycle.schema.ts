// A case's workflow: its timeline, the steps from report to close, the reporter's rating and the
// suspension or extension requests a street officer decides.
import { builder } from '../../builder.js'
import { nodeId, exposeVersion } from '../../shared/schema-fields.js'
import { seesPerson } from '../../auth/personal-data.js'
import { withNote, payload, rowMutations } from '../../shared/mutations.js'
import { GridRef } from '../grid/grid.schema.js'
import { UserRef } from '../directory/directory.schema.js'
import * as cases from './case.service.js'
import * as dispatch from './dispatch.service.js'
import { CASE_REPORTER, CaseSourceEnum, caseMutation, caseStepInput, reporterOf, CaseRef } from './case.schema.js'
import { DispatchOrderRef } from './dispatch.schema.js'
import { CaseCategoryRef } from './reference.schema.js'
import { ApprovalKind, ApprovalStatus } from '../../generated/prisma/enums.js'

builder.prismaNode('CaseEvent', {
  nullable: true,
  id: nodeId,
  description: "One step of a case's timeline (办理记录): who did what, from which state to which.",
  select: { id: true, actorId: true, case: { select: CASE_REPORTER } },
  fields: (t) => ({
    action: t.exposeString('action', { description: 'What was done, e.g. ACCEPT, DISPATCH, SIGN (动作).' }),
    fromStatus: t.exposeString('fromStatus', { nullable: true, description: 'State before (原状态).' }),
    toStatus: t.exposeString('toStatus', { nullable: true, description: 'State after (新状态).' }),
    note: t.exposeString('note', { nullable: true, description: 'Reason, result or comment (说明).' }),
    actor: t.relation('actor', {
      nullable: true,
      description:
        'Who did it; null for the system, and for the reporter of an anonymous case unless you may see them (操作人).',
      authScopes: async (e, _a, ctx) =>
        !e.case || e.actorId !== e.case.reporterId || !e.case.anonymous || seesPerson(ctx, reporterOf(e.case)),
      unauthorizedResolver: () => null,
    }),
    order: t.relation('order', { nullable: true, description: 'The order it concerns, if any (相关派单).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

// ---------------------------------------------------------------- mutations

const ReportCaseInput = builder.inputType('ReportCaseInput', {
  description: 'A new case (上报案件). The grid is found from the point when not given.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'Short title (标题).' }),
    description: t.string({ required: true, description: 'What is wrong (问题描述).' }),
    categoryId: t.globalID({ required: true, for: CaseCategoryRef, description: 'Category (类别).' }),
    source: t.field({
      type: CaseSourceEnum,
      required: true,
      description: 'Channel: grid workers PATROL, residents RESIDENT/ONLINE, officers any (来源).',
    }),
    lng: t.float({ required: true, description: 'Longitude, WGS84 (经度).' }),
    lat: t.float({ required: true, description: 'Latitude, WGS84 (纬度).' }),
    address: t.string({ required: false, description: 'Address (地址).' }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'Grid, when known (网格).' }),
    attachments: t.stringList({ required: false, description: 'Photo and document URLs (附件地址).' }),
    anonymous: t.boolean({ required: false, description: 'Hide the reporter from handlers (匿名).' }),
    reporterName: t.string({ required: false, description: 'Contact name, e.g. a hotline caller (联系人).' }),
    reporterPhone: t.string({ required: false, description: 'Contact phone (联系电话).' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Client-chosen key: a retried request with the same key returns the same case (幂等键).',
    }),
    onBehalfOfId: t.globalID({
      required: false,
      for: UserRef,
      description:
        'Grid workers and officers: the resident whose problem this is; they follow and rate it (代办：居民账号).',
    }),
  }),
})

const withReason = (t: Parameters<typeof withNote>[0]) => ({
  reason: t.string({ required: true, description: 'Reason (理由).' }),
})

const AcceptCaseInput = caseStepInput('AcceptCaseInput', 'Accepts a reported or reopened case (受理).', withNote)
const RejectCaseInput = caseStepInput(
  'RejectCaseInput',
  'Rejects a reported case with a reason (不予受理).',
  withReason,
)
const CloseCaseInput = caseStepInput('CloseCaseInput', 'Closes a verified case without feedback (结案).', withNote)
const EscalateCaseInput = caseStepInput(
  'EscalateCaseInput',
  'Hands the case to the next region level up (上报上级).',
  withReason,
)
const ResumeCaseInput = caseStepInput(
  'ResumeCaseInput',
  'Resumes a suspended case; deadlines move by the time suspended (恢复办理).',
  withNote,
)

const VerifyCaseInput = caseStepInput(
  'VerifyCaseInput',
  'The result of the on-site check of a resolved case (核查).',
  (t) => ({
    passed: t.boolean({ required: true, description: 'Done properly; false sends it back to handling (核查通过).' }),
    note: t.string({ required: false, description: 'Findings; required when not passed (核查意见).' }),
    redo: t.globalIDList({
      required: false,
      for: DispatchOrderRef,
      description:
        'When not passed: the completed DispatchOrders whose work is not done; each goes back to its addressee as a new order to sign for and complete (返工派单). By default the latest completed lead order (主办).',
    }),
  }),
)

caseMutation('reportCase', {
  description: 'Reports a case (上报案件). Retrying with the same idempotencyKey returns the same case.',
  authScopes: { loggedIn: true },
  input: ReportCaseInput,
  run: cases.reportCase,
})
caseMutation('acceptCase', {
  description: 'Accepts a case (受理).',
  authScopes: { officer: true },
  input: AcceptCaseInput,
  run: cases.acceptCase,
})
caseMutation('rejectCase', {
  description: 'Rejects a case with a reason (不予受理).',
  authScopes: { officer: true },
  input: RejectCaseInput,
  run: cases.rejectCase,
})
caseMutation('verifyCase', {
  description:
    'Records the on-site check of a resolved case (核查); a failed check sends the work back to its addressees as new orders (返工).',
  authScopes: { officer: true, gridWorker: true },
  input: VerifyCaseInput,
  run: dispatch.verifyCase,
})
caseMutation('closeCase', {
  description: 'Closes a verified case without feedback (结案).',
  authScopes: { officer: true },
  input: CloseCaseInput,
  run: cases.closeCase,
})
caseMutation('escalateCase', {
  description: 'Escalates a case to the next region level (上报上级).',
  authScopes: { officer: true },
  input: EscalateCaseInput,
  run: cases.escalateCase,
})
caseMutation('resumeCase', {
  description: 'Resumes a suspended case (恢复办理).',
  authScopes: { officer: true },
  input: ResumeCaseInput,
  run: cases.resumeCase,
})

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
