import { builder } from '../../builder.js'
import { readVersion, timelineNote } from '../../shared/schema-fields.js'
import { payload, payloadRow } from '../../shared/mutations.js'
import { DepartmentRef, UserRef } from '../directory/directory.schema.js'
import { CaseRef } from './case.schema.js'
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

const DispatchCaseInput = builder.inputType('DispatchCaseInput', {
  description: 'Dispatches an accepted case (派单): AUTO by routing rules, or MANUAL to chosen addressees (吹哨).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: CaseRef, description: 'The case (案件).' }),
    version: readVersion(t),
    mode: t.field({ type: DispatchModeEnum, required: true, description: 'AUTO or MANUAL (派单方式).' }),
    targets: t.field({ type: [TargetInput], required: false, description: 'For MANUAL: the addressees (派单对象).' }),
    instructions: t.string({ required: false, description: 'Instructions for every order (统一工作要求).' }),
  }),
})

const orderInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.globalID({ required: true, for: DispatchOrderRef, description: 'The order (派单).' }),
      version: readVersion(t),
      note: timelineNote(t),
    }),
  })
const SignInput = orderInput('SignDispatchOrderInput', 'Signs for an order (签收).')
const ArriveInput = orderInput('ReportOnSiteInput', 'Reports arrival on site (报到).')

const CompleteInput = builder.inputType('CompleteDispatchOrderInput', {
  description: 'Completes an order with its result (办结).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DispatchOrderRef, description: 'The order (派单).' }),
    version: readVersion(t),
    result: t.string({ required: true, description: 'What was done (办理结果).' }),
  }),
})

const CancelInput = builder.inputType('CancelDispatchOrderInput', {
  description: 'Withdraws an order that was sent by mistake or is no longer needed (撤单).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DispatchOrderRef, description: 'The order (派单).' }),
    version: readVersion(t),
    reason: t.string({ required: true, description: 'Why it is withdrawn (撤单理由).' }),
  }),
})

const ReturnInput = builder.inputType('ReturnDispatchOrderInput', {
  description: 'Sends an order back to the dispatcher with a reason (退单).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DispatchOrderRef, description: 'The order (派单).' }),
    version: readVersion(t),
    reason: t.string({ required: true, description: 'Why it is not yours (退单理由).' }),
  }),
})

const TransferInput = builder.inputType('TransferDispatchOrderInput', {
  description: 'Moves an order to another addressee (转单); the old order is kept as TRANSFERRED.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DispatchOrderRef, description: 'The order (派单).' }),
    version: readVersion(t),
    to: t.field({ type: TargetInput, required: true, description: 'The new addressee (新承办对象).' }),
    reason: t.string({ required: true, description: 'Why (转单理由).' }),
  }),
})

const orderResult = payload('order', 'The order after the change (变更后的派单).')
type TargetArg = {
  departmentId?: { typename: string; id: string } | null
  assigneeId?: { typename: string; id: string } | null
  role: 'LEAD' | 'ASSIST'
  instructions?: string | null
}
const target = (t: TargetArg) => ({
  role: t.role,
  instructions: t.instructions,
  departmentId: t.departmentId?.id ?? null,
  assigneeId: t.assigneeId?.id ?? null,
})

builder.mutationFields((t) => ({
  dispatchCase: t.prismaField({
    type: CaseRef,
    description: 'Dispatches a case to departments and/or grid workers (派单 / 吹哨). Every order is pushed live.',
    authScopes: { officer: true },
    errors: payload('case', 'The case after the change (变更后的案件).'),
    args: { input: t.arg({ type: DispatchCaseInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(
        query,
        await dispatch.dispatchCase(ctx, {
          caseId: input.id.id,
          version: input.version,
          mode: input.mode,
          instructions: input.instructions,
          targets: input.targets?.map(target),
        }),
        (q) => ctx.reader.case.findUnique(q),
      ),
  }),
  signDispatchOrder: t.prismaField({
    type: DispatchOrderRef,
    description: 'Signs for an order (签收).',
    authScopes: { departmentStaff: true, gridWorker: true, admin: true },
    errors: orderResult,
    args: { input: t.arg({ type: SignInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await dispatch.signOrder(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.dispatchOrder.findUnique(q),
      ),
  }),
  reportOnSite: t.prismaField({
    type: DispatchOrderRef,
    description: 'Reports arrival on site (报到).',
    authScopes: { departmentStaff: true, gridWorker: true, admin: true },
    errors: orderResult,
    args: { input: t.arg({ type: ArriveInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await dispatch.arriveOrder(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.dispatchOrder.findUnique(q),
      ),
  }),
  completeDispatchOrder: t.prismaField({
    type: DispatchOrderRef,
    description: 'Completes an order (办结); the last one resolves the case.',
    authScopes: { departmentStaff: true, gridWorker: true, admin: true },
    errors: orderResult,
    args: { input: t.arg({ type: CompleteInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await dispatch.completeOrder(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.dispatchOrder.findUnique(q),
      ),
  }),
  returnDispatchOrder: t.prismaField({
    type: DispatchOrderRef,
    description: 'Returns an order to the dispatcher (退单).',
    authScopes: { departmentStaff: true, gridWorker: true, admin: true },
    errors: orderResult,
    args: { input: t.arg({ type: ReturnInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await dispatch.returnOrder(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.dispatchOrder.findUnique(q),
      ),
  }),
  cancelDispatchOrder: t.prismaField({
    type: DispatchOrderRef,
    authScopes: { officer: true },
    errors: orderResult,
    description:
      'Withdraws an order (撤单): the addressee is told live; a case left with no open or completed order awaits a new dispatch.',
    args: { input: t.arg({ type: CancelInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await dispatch.cancelOrder(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.dispatchOrder.findUnique(q),
      ),
  }),
  transferDispatchOrder: t.prismaField({
    type: DispatchOrderRef,
    description: 'Moves an order to another addressee (转单).',
    authScopes: { officer: true },
    errors: orderResult,
    args: { input: t.arg({ type: TransferInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(
        query,
        await dispatch.transferOrder(ctx, {
          id: input.id.id,
          version: input.version,
          reason: input.reason,
          to: target(input.to),
        }),
        (q) => ctx.reader.dispatchOrder.findUnique(q),
      ),
  }),
}))
