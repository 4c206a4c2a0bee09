import { builder } from '../../builder.js'
import { nodeId } from '../../shared/schema-fields.js'
import { seesPerson } from '../../auth/personal-data.js'
import { withNote } from '../../shared/mutations.js'
import { GridRef } from '../grid/grid.schema.js'
import { UserRef } from '../directory/directory.schema.js'
import * as cases from './case.service.js'
import * as dispatch from './dispatch.service.js'
import { CASE_REPORTER, CaseSourceEnum, caseMutation, caseStepInput, reporterOf } from './case.schema.js'
import { DispatchOrderRef } from './dispatch.schema.js'
import { CaseCategoryRef } from './category.schema.js'

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
