import { builder } from '../../builder.js'
import { payload, rowMutations, stepInputs, withNote } from '../../shared/mutations.js'
import { DepartmentRef, UserRef } from '../directory/directory.schema.js'
import { caseMutation, caseStepInput } from './case.schema.js'
import * as dispatch from './dispatch.service.js'
import { DispatchModeEnum, DispatchOrderRef, DispatchRoleEnum } from './dispatch.schema.js'

// ---------------------------------------------------------------- mutations

const TargetInput = builder.inputType('DispatchTargetInput', {
  description: "One addressee of a dispatch: a department or a grid worker of the case's grid (派单对象).",
  fields: (t) => ({
    departmentId: t.globalID({ required: false, for: DepartmentRef, description: 'Department (部门).' }),
    assigneeId: t.globalID({ required: false, for: UserRef, description: 'Grid worker (网格员).' }),
    role: t.field({ type: DispatchRoleEnum, required: true, description: 'Lead or assisting (主办/协办).' }),
    instructions: t.string({ required: false, description: 'What this addressee should do (工作要求).' }),
  }),
})

const DispatchCaseInput = caseStepInput(
  'DispatchCaseInput',
  'Dispatches an accepted case (派单): AUTO by routing rules, or MANUAL to chosen addressees (吹哨).',
  (t) => ({
    mode: t.field({ type: DispatchModeEnum, required: true, description: 'AUTO or MANUAL (派单方式).' }),
    targets: t.field({ type: [TargetInput], required: false, description: 'For MANUAL: the addressees (派单对象).' }),
    instructions: t.string({ required: false, description: 'Instructions for every order (统一工作要求).' }),
  }),
)

const orderStepInput = stepInputs(DispatchOrderRef, 'The order (派单).')
const SignInput = orderStepInput('SignDispatchOrderInput', 'Signs for an order (签收).', withNote)
const ArriveInput = orderStepInput('ReportOnSiteInput', 'Reports arrival on site (报到).', withNote)
const CompleteInput = orderStepInput(
  'CompleteDispatchOrderInput',
  'Completes an order with its result (办结).',
  (t) => ({
    result: t.string({ required: true, description: 'What was done (办理结果).' }),
  }),
)
const CancelInput = orderStepInput(
  'CancelDispatchOrderInput',
  'Withdraws an order that was sent by mistake or is no longer needed (撤单).',
  (t) => ({ reason: t.string({ required: true, description: 'Why it is withdrawn (撤单理由).' }) }),
)
const ReturnInput = orderStepInput(
  'ReturnDispatchOrderInput',
  'Sends an order back to the dispatcher with a reason (退单).',
  (t) => ({ reason: t.string({ required: true, description: 'Why it is not yours (退单理由).' }) }),
)
const TransferInput = orderStepInput(
  'TransferDispatchOrderInput',
  'Moves an order to another addressee (转单); the old order is kept as TRANSFERRED.',
  (t) => ({
    to: t.field({ type: TargetInput, required: true, description: 'The new addressee (新承办对象).' }),
    reason: t.string({ required: true, description: 'Why (转单理由).' }),
  }),
)

/** Who handles an order: its department's staff, its grid worker, or an admin. */
const HANDLER = { departmentStaff: true, gridWorker: true, admin: true }

caseMutation('dispatchCase', {
  description: 'Dispatches a case to departments and/or grid workers (派单 / 吹哨). Every order is pushed live.',
  authScopes: { officer: true },
  input: DispatchCaseInput,
  run: (ctx, { id, ...input }) => dispatch.dispatchCase(ctx, { ...input, caseId: id }),
})

const orderMutation = rowMutations('DispatchOrder', payload('order', 'The order after the change (变更后的派单).'))
orderMutation('signDispatchOrder', {
  description: 'Signs for an order (签收).',
  authScopes: HANDLER,
  input: SignInput,
  run: dispatch.signOrder,
})
orderMutation('reportOnSite', {
  description: 'Reports arrival on site (报到).',
  authScopes: HANDLER,
  input: ArriveInput,
  run: dispatch.arriveOrder,
})
orderMutation('completeDispatchOrder', {
  description: 'Completes an order (办结); the last one resolves the case.',
  authScopes: HANDLER,
  input: CompleteInput,
  run: dispatch.completeOrder,
})
orderMutation('returnDispatchOrder', {
  description: 'Returns an order to the dispatcher (退单).',
  authScopes: HANDLER,
  input: ReturnInput,
  run: dispatch.returnOrder,
})
orderMutation('cancelDispatchOrder', {
  description:
    'Withdraws an order (撤单): the addressee is told live; a case left with no open or completed order awaits a new dispatch.',
  authScopes: { officer: true },
  input: CancelInput,
  run: dispatch.cancelOrder,
})
orderMutation('transferDispatchOrder', {
  description: 'Moves an order to another addressee (转单).',
  authScopes: { officer: true },
  input: TransferInput,
  run: dispatch.transferOrder,
})
