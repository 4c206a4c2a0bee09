import { builder } from '../../builder.js'
import { nodeId } from '../../shared/schema-fields.js'

import { DualReportKindEnum } from './dual-report.schema.js'

export const ServiceItemRef = builder.prismaNode('ServiceItem', {
  nullable: true,
  id: nodeId,
  description: 'An item of the service catalogue members and units pledge from (服务项目清单).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Unique code (编码).' }),
    name: t.exposeString('name', { description: 'Name, e.g. 法律咨询 (名称).' }),
    category: t.exposeString('category', { description: 'Category, e.g. 专业服务 (类别).' }),
    description: t.exposeString('description', { nullable: true, description: 'What it means (说明).' }),
    forKind: t.expose('forKind', {
      type: DualReportKindEnum,
      nullable: true,
      description: 'Who may pledge it; null for members and units (适用对象).',
    }),
    active: t.exposeBoolean('active', { description: 'Offered for new pledges (是否启用).' }),
  }),
})

builder.queryFields((t) => ({
  serviceItems: t.prismaField({
    type: ['ServiceItem'],
    authScopes: { loggedIn: true },
    description: 'The service catalogue to pledge from (服务项目清单).',
    args: { includeInactive: t.arg.boolean({ required: false, description: 'Also withdrawn items (含停用).' }) },
    resolve: (query, _r, { includeInactive }, ctx) =>
      ctx.reader.serviceItem.findMany({
        ...query,
        where: includeInactive ? {} : { active: true },
        orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }],
      }),
  }),
}))
