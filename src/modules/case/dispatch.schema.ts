import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg, anyStatus } from '../../shared/schema-fields.js'
import { DispatchMode, DispatchOrderStatus, DispatchRole } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { NotFoundError } from '../../shared/errors.js'
import { RegionRef } from '../grid/region.schema.js'
import { CaseRef } from './case.schema.js'
import * as dispatch from './dispatch.service.js'
import { ACTIVE_ORDER, orderOverdue, overdueOrders } from './transitions.js'
import type { Context } from '../../context.js'
import { COUNTED, rootList } from '../../shared/connections.js'

const DispatchOrderStatusEnum = builder.enumType(DispatchOrderStatus, {
  name: 'DispatchOrderStatus',
  description:
    'State of a dispatch order (派单状态): CREATED 待签收, SIGNED 已签收, ON_SITE 已报到, COMPLETED 已办结, RETURNED 已退单, TRANSFERRED 已转单, CANCELLED 已撤销.',
})
export const DispatchRoleEnum = builder.enumType(DispatchRole, {
  name: 'DispatchRole',
  description: 'Lead (主办) or assisting (协办) addressee.',
})
export const DispatchModeEnum = builder.enumType(DispatchMode, {
  name: 'DispatchMode',
  description: 'MANUAL: the street convenes chosen departments (吹哨); AUTO: by routing rules (自动派单).',
})

export const DispatchOrderRef = builder.prismaNode('DispatchOrder', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Dispatched at (派单时间).' }),
  }),
})

// Supervision (督办), its list and the addressee's answer: supervision.schema.ts

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
    status: anyStatus(t, DispatchOrderStatusEnum),
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
      args: { filter: filterArg(t.arg, OrderFilter) },
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
