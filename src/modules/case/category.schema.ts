import { builder } from '../../builder.js'
import { nodeId } from '../../shared/schema-fields.js'

export const CaseCategoryRef = builder.prismaNode('CaseCategory', {
  nullable: true,
  id: nodeId,
  description: 'Case category with its service-level agreement (案件类别及时限).',
  select: { id: true }, // only the columns a query asks for
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Unique code (类别编码).' }),
    name: t.exposeString('name', { description: 'Name, e.g. 环境卫生 (类别名称).' }),
    description: t.exposeString('description', { nullable: true, description: 'What belongs here (说明).' }),
    signSlaHours: t.exposeFloat('signSlaHours', { description: 'Hours to sign an order (签收时限，小时).' }),
    completeSlaHours: t.exposeFloat('completeSlaHours', {
      description: 'Hours to complete an order (办结时限，小时).',
    }),
    caseSlaHours: t.exposeFloat('caseSlaHours', {
      description: 'Hours from report to the case deadline (案件办理时限，小时).',
    }),
    active: t.exposeBoolean('active', { description: 'Offered for new reports (是否启用).' }),
  }),
})

builder.queryFields((t) => ({
  caseCategories: t.prismaField({
    type: ['CaseCategory'],
    authScopes: { loggedIn: true },
    description: 'Case categories with their SLAs (案件类别).',
    args: { includeInactive: t.arg.boolean({ required: false, description: 'Also inactive ones (含停用).' }) },
    resolve: (query, _r, { includeInactive }, ctx) =>
      ctx.reader.caseCategory.findMany({
        ...query,
        where: includeInactive ? {} : { active: true },
        orderBy: { code: 'asc' },
      }),
  }),
}))
