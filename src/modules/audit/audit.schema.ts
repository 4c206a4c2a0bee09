import { encodeGlobalID } from '@pothos/plugin-relay'
import { builder } from '../../builder.js'
import { nodeId, filterArg } from '../../shared/schema-fields.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { RoleEnum, UserRef } from '../directory/directory.schema.js'

builder.prismaNode('AuditEntry', {
  nullable: true,
  id: nodeId,
  description: 'One mutation call: who, what, which row, when and how it ended; no input values (审计日志条目).',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When the call ended (时间).' }),
    actor: t.relation('actor', {
      nullable: true,
      description: 'The signed-in account, or null for an anonymous caller (操作人).',
    }),
    actorRoles: t.field({
      type: [RoleEnum],
      resolve: (e) => e.actorRoles,
      description: 'The roles the caller acted with (操作人角色).',
    }),
    requestId: t.exposeString('requestId', {
      description: 'The request id, as in the server log and the x-request-id header (请求编号).',
    }),
    operation: t.exposeString('operation', { description: 'The mutation, e.g. dispatchCase (操作).' }),
    targetType: t.exposeString('targetType', { nullable: true, description: 'Type of the row acted on (对象类型).' }),
    targetId: t.id({
      nullable: true,
      description: 'Global ID of the row acted on (对象 ID).',
      resolve: (e) => (e.targetType && e.targetId ? encodeGlobalID(e.targetType, e.targetId) : null),
    }),
    inputFields: t.exposeStringList('inputFields', {
      description: 'Names of the input fields given, never their values (提交的字段名).',
    }),
    outcome: t.exposeString('outcome', { description: 'OK, or the error code, e.g. common/stale-version (结果).' }),
    durationMs: t.exposeInt('durationMs', { description: 'Time taken in milliseconds (耗时毫秒).' }),
  }),
})

const AuditFilter = builder.inputType('AuditFilter', {
  description: 'Filters for the audit log (审计日志筛选).',
  fields: (t) => ({
    actorId: t.globalID({ required: false, for: UserRef, description: 'Only calls by this account (操作人).' }),
    operation: t.string({ required: false, description: 'Only this mutation, e.g. deactivateUser (操作).' }),
    targetId: t.globalID({ required: false, description: 'Only calls on this row (对象).' }),
    failedOnly: t.boolean({ required: false, description: 'Only calls that did not succeed (仅失败).' }),
    from: t.field({ type: 'DateTime', required: false, description: 'At or after (起).' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Before (止).' }),
  }),
})

builder.queryFields((t) => ({
  auditEntries: t.prismaConnection(
    {
      type: 'AuditEntry',
      cursor: 'id',
      authScopes: { admin: true },
      description: 'The audit log, newest first; admins only (审计日志，仅管理员).',
      args: { filter: filterArg(t.arg, AuditFilter) },
      ...rootList('auditEntry', ({ filter }: { filter?: typeof AuditFilter.$inferInput | null }, _ctx: Context) => ({
        where: {
          ...(filter?.actorId ? { actorId: filter.actorId.id } : {}),
          ...(filter?.operation ? { operation: filter.operation.slice(0, 100) } : {}),
          ...(filter?.targetId ? { targetId: filter.targetId.id, targetType: filter.targetId.typename } : {}),
          ...(filter?.failedOnly ? { outcome: { not: 'OK' } } : {}),
          ...(filter?.from || filter?.to
            ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
            : {}),
        } satisfies Prisma.AuditEntryWhereInput,
        orderBy: [{ id: 'desc' }] satisfies Prisma.AuditEntryOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
}))
