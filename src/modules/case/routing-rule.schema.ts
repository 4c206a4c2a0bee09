import { builder } from '../../builder.js'
import { nodeId } from '../../shared/schema-fields.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { CaseCategoryRef } from './category.schema.js'
import type { Context } from '../../context.js'
import { COUNTED, rootList } from '../../shared/connections.js'

export const RoutingRuleRef = builder.prismaNode('RoutingRule', {
  nullable: true,
  id: nodeId,
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

builder.queryFields((t) => ({
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
