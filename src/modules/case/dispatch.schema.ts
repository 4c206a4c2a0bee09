import { builder } from '../../builder.js'
import { DispatchMode, DispatchOrderStatus, DispatchRole } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { NotFoundError } from '../../shared/errors.js'
import { payload, payloadRow } from '../../shared/mutations.js'
import { RegionRef } from '../grid/region.schema.js'
import { DepartmentRef, UserRef } from '../directory/directory.schema.js'
import { CaseCategoryRef, CaseRef } from './case.schema.js'
import * as dispatch from './dispatch.service.js'
import { ACTIVE_ORDER, orderOverdue, overdueOrders } from './transitions.js'
import type { Context } from '../../context.js'
import { COUNTED, rootList } from '../../shared/connections.js'

const DispatchOrderStatusEnum = builder.enumType(DispatchOrderStatus, {
  name: 'DispatchOrderStatus',
  description:
    'State of a dispatch order (派单状态): CREATED 待签收, SIGNED 已签收, ON_SITE 已报到, COMPLETED 已办结, RETURNED 已退单, TRANSFERRED 已转单, CANCELLED 已撤销.',
})
const DispatchRoleEnum = builder.enumType(DispatchRole, {
  name: 'DispatchRole',
  description: 'Lead (主办) or assisting (协办) addressee.',
})
const DispatchModeEnum = builder.enumType(DispatchMode, {
  name: 'DispatchMode',
  description: 'MANUAL: the street convenes chosen departments (吹哨); AUTO: by routing rules (自动派单).',
})

export const DispatchOrderRef = builder.prismaNode('DispatchOrder', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'An order to a department or a grid worker to handle (part of) a case (派单 / 工作指令).',
  select: { id: true }, // only the columns a query asks for
  fields: (t) => ({
    case: t.relation('case', { description: 'The case (案件).' }),
    department: t.relation('department', { nullable: true, description: 'Addressed department (承办部门).' }),
    assignee: t.relation('assignee', { nullable: true, description: 'Addressed grid worker (承办网格员).' }),
    role: t.expose('role', { type: DispatchRoleEnum, description: 'Lead or assisting (主办/协办).' }),
    mode: t.expose('mode', { type: DispatchModeEnum, description: 'How it was dispatched (派单方式).' }),
    status: t.expose('status', { type: DispatchOrderStatusEnum, description: 'Current state (状态).' }),
    instructions: t.exposeString('instructions', { nullable: true, description: 'What to do (工作要求).' }),
    signBy: t.expose('signBy', { type: 'DateTime', description: 'Sign before (签收时限).' }),
    completeBy: t.expose('completeBy', { type: 'DateTime', description: 'Complete before (办结时限).' }),
    signedAt: t.expose('signedAt', { type: 'DateTime', nullable: true, description: 'Signed at (签收时间).' }),
    onSiteAt: t.expose('onSiteAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Reported on site at (报到时间).',
    }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: 'Completed at (办结时间).' }),
    result: t.exposeString('result', { nullable: true, description: 'What was done (办理结果).' }),
    returnReason: t.exposeString('returnReason', { nullable: true, description: 'Why it was returned (退单理由).' }),
    transferredFrom: t.relation('transferredFrom', {
      nullable: true,
      description: 'The order this one replaced, when you may see it (转自).',
    }),
    transferredTo: t.relation('transferredTo', {
      nullable: true,
      description: 'The order that replaced this one, when you may see it (转至).',
    }),
    supervisionLevel: t.exposeInt('supervisionLevel', {
      description: 'Supervision level reached, 0 = none (督办级别).',
    }),
    overdue: t.boolean({
      select: { status: true, signBy: true, completeBy: true },
      description: 'Past its sign or completion deadline and not finished (是否超期).',
      resolve: (o) => orderOverdue(o, new Date()),
    }),
    cursor: t.string({
      nullable: true,
      select: { seq: true },
      description: 'Feed cursor of this order, for dispatchOrderCreated(after:) (推送游标).',
      resolve: (o) => (o.seq === null ? null : dispatch.encodeFeedCursor(o.seq)),
    }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Dispatched at (派单时间).' }),
  }),
})

// Supervision (督办), its list and the addressee's answer: supervision.schema.ts

builder.prismaNode('RoutingRule', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'Automatic dispatch rule: category × region → lead department and assisting ones (自动派单规则).',
  fields: (t) => ({
    category: t.relation('category', { description: 'Case category (类别).' }),
    region: t.relation('region', { description: "Applies to this region's subtree (适用区划)." }),
    leadDepartment: t.relation('leadDepartment', { description: 'Lead department (主办部门).' }),
    assistDepartments: t.prismaField({
      type: ['Department'],
      description: 'Assisting departments (协办部门).',
      resolve: (query, r, _a, ctx) =>
        ctx.reader.department.findMany({
          ...query,
          where: { id: { in: r.assistDepartmentIds } },
          orderBy: { code: 'asc' },
        }),
    }),
    completeSlaHours: t.exposeFloat('completeSlaHours', {
      nullable: true,
      description: 'Completion SLA override, hours (办结时限覆盖).',
    }),
    active: t.exposeBoolean('active', { description: 'In force (是否启用).' }),
  }),
})

const OrderScope = builder.enumType('DispatchOrderScope', {
  description: 'Which orders to list (派单范围).',
  values: {
    MINE: { description: 'Addressed to me as a grid worker (派给我的).' },
    MY_DEPARTMENT: { description: 'Addressed to my department (派给本部门的).' },
    VISIBLE: { description: 'Every order I may see (全部可见).' },
  } as const,
})

const OrderFilter = builder.inputType('DispatchOrderFilter', {
  description: 'Filters for dispatch orders (派单筛选).',
  fields: (t) => ({
    scope: t.field({ type: OrderScope, required: false, defaultValue: 'VISIBLE', description: 'Which orders (范围).' }),
    status: t.field({ type: [DispatchOrderStatusEnum], required: false, description: 'Any of these states (状态).' }),
    caseId: t.globalID({ required: false, for: CaseRef, description: 'Orders of this case (案件).' }),
    overdue: t.boolean({ required: false, description: 'Only overdue ones (仅超期).' }),
  }),
})

/** Orders still to be handled (待办): not yet completed, returned, transferred or cancelled. */
const OPEN_ORDERS: Prisma.DispatchOrderWhereInput = { status: { in: [...ACTIVE_ORDER] } }

// A department's load as a dispatcher reads it (部门待办与超期), counted under the read policy: an
// officer counts the orders of the cases in their region, a department its own.
builder.prismaObjectFields('Department', (t) => ({
  openOrderCount: t.relationCount('dispatchOrders', {
    where: OPEN_ORDERS,
    description: 'Orders addressed to this department still to be handled, of those you may see (待办派单数).',
  }),
  overdueOrderCount: t.relationCount('dispatchOrders', {
    where: () => overdueOrders(new Date()),
    description:
      'Orders addressed to this department past their sign or completion deadline, of those you may see (超期派单数).',
  }),
}))

builder.queryFields((t) => ({
  dispatchOrders: t.prismaConnection(
    {
      type: 'DispatchOrder',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: 'Dispatch orders you may see, newest first (派单列表).',
      args: { filter: t.arg({ type: OrderFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList(
        'dispatchOrder',
        ({ filter: f }: { filter?: typeof OrderFilter.$inferInput | null }, ctx: Context) => {
          const and: Prisma.DispatchOrderWhereInput[] = [
            f?.scope === 'MINE' ? { assigneeId: ctx.viewer?.userId ?? '' } : {},
            f?.scope === 'MY_DEPARTMENT'
              ? { departmentId: ctx.viewer?.departmentId ?? '00000000-0000-0000-0000-000000000000' }
              : {},
            f?.status?.length ? { status: { in: f.status } } : {},
            f?.caseId ? { caseId: f.caseId.id } : {},
            f?.overdue ? overdueOrders(new Date()) : {},
          ]
          return {
            where: { AND: and },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.DispatchOrderOrderByWithRelationInput[],
          }
        },
      ),
    },
    COUNTED,
  ),
  routingRules: t.prismaConnection(
    {
      type: 'RoutingRule',
      cursor: 'id',
      authScopes: { officer: true, departmentStaff: true },
      description: 'Automatic dispatch rules (自动派单规则).',
      args: {
        categoryId: t.arg.globalID({
          required: false,
          for: CaseCategoryRef,
          description: 'Only this category (类别).',
        }),
      },
      ...rootList('routingRule', ({ categoryId }: { categoryId?: { id: string } | null }, _ctx: Context) => ({
        where: (categoryId ? { categoryId: categoryId.id } : {}) satisfies Prisma.RoutingRuleWhereInput,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.RoutingRuleOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
}))

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
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
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
      version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
      note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
    }),
  })
const SignInput = orderInput('SignDispatchOrderInput', 'Signs for an order (签收).')
const ArriveInput = orderInput('ReportOnSiteInput', 'Reports arrival on site (报到).')

const CompleteInput = builder.inputType('CompleteDispatchOrderInput', {
  description: 'Completes an order with its result (办结).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DispatchOrderRef, description: 'The order (派单).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    result: t.string({ required: true, description: 'What was done (办理结果).' }),
  }),
})

const CancelInput = builder.inputType('CancelDispatchOrderInput', {
  description: 'Withdraws an order that was sent by mistake or is no longer needed (撤单).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DispatchOrderRef, description: 'The order (派单).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    reason: t.string({ required: true, description: 'Why it is withdrawn (撤单理由).' }),
  }),
})

const ReturnInput = builder.inputType('ReturnDispatchOrderInput', {
  description: 'Sends an order back to the dispatcher with a reason (退单).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DispatchOrderRef, description: 'The order (派单).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    reason: t.string({ required: true, description: 'Why it is not yours (退单理由).' }),
  }),
})

const TransferInput = builder.inputType('TransferDispatchOrderInput', {
  description: 'Moves an order to another addressee (转单); the old order is kept as TRANSFERRED.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DispatchOrderRef, description: 'The order (派单).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
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

// ---------------------------------------------------------------- subscriptions

const FeedEventRef = builder.objectRef<{ id: string; seq: bigint }>('DispatchOrderFeedEvent').implement({
  description: 'A new dispatch order and its feed cursor (新派单推送).',
  fields: (t) => ({
    cursor: t.string({
      description: 'Pass as `after` when reconnecting to receive what you missed (断线续传游标).',
      resolve: (e) => dispatch.encodeFeedCursor(e.seq),
    }),
    order: t.prismaField({
      type: 'DispatchOrder',
      description: 'The order (派单).',
      resolve: async (query, e, _a, ctx) => {
        const o = await ctx.reader.dispatchOrder.findUnique({ ...query, where: { id: e.id } })
        if (!o) throw new NotFoundError('DispatchOrder', e.id)
        return o
      },
    }),
  }),
})

builder.subscriptionFields((t) => ({
  dispatchOrderCreated: t.field({
    type: FeedEventRef,
    description:
      'New orders addressed to you, live (新派单实时推送): your department (department staff), yourself (grid workers), or a region you serve (officers, with regionId). ' +
      'Pass `after` (the cursor of the last order you saw) to first receive every order you missed, in order, then the live ones — no gap, no duplicate.',
    authScopes: { loggedIn: true },
    args: {
      after: t.arg.string({ required: false, description: 'Cursor of the last order seen (上次收到的游标).' }),
      regionId: t.arg.globalID({
        required: false,
        for: RegionRef,
        description: 'Officers: watch this region of yours (区划，干部用).',
      }),
    },
    subscribe: async (_root, { after, regionId }, ctx) => {
      const scope = await dispatch.feedScope(ctx, regionId?.id ?? null)
      return ctx.feeds.dispatch.subscribe(scope, after ? dispatch.decodeFeedCursor(after) : null)
    },
    resolve: (e: { id: string; seq: bigint }) => e,
  }),
  dispatchOrderUpdated: t.prismaField({
    type: 'DispatchOrder',
    description: 'Changes to orders addressed to you or in a region you serve (派单状态变更推送).',
    authScopes: { loggedIn: true },
    args: {
      regionId: t.arg.globalID({
        required: false,
        for: RegionRef,
        description: 'Officers: watch this region of yours (区划，干部用).',
      }),
    },
    subscribe: async (_root, { regionId }, ctx) => {
      const scope = await dispatch.feedScope(ctx, regionId?.id ?? null)
      return ctx.pubsub.subscribe('dispatch:updated', scope.audience) as never
    },
    resolve: async (query, e: { id: string }, _a, ctx) => {
      const o = await ctx.reader.dispatchOrder.findUnique({ ...query, where: { id: e.id } })
      if (!o) throw new NotFoundError('DispatchOrder', e.id)
      return o
    },
  }),
}))
