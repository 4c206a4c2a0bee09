// The case loop's reference data: case categories and their SLAs, routing rules, and their administration.
import { builder } from '../../builder.js'
import { nodeId, exposeVersion } from '../../shared/schema-fields.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { rowsByIds } from '../../shared/rows-by-id.js'
import { DepartmentRef } from '../directory/directory.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as service from './reference.service.js'

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
    version: exposeVersion(t),
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

const RoutingRuleRef = builder.prismaNode('RoutingRule', {
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
      // ordered by code in SQL, as the database's collation orders codes
      resolve: (query, r, _a, ctx) => rowsByIds(ctx, 'department', query, r.assistDepartmentIds, 'code'),
    }),
    completeSlaHours: t.exposeFloat('completeSlaHours', {
      nullable: true,
      description: 'Completion SLA override, hours (办结时限覆盖).',
    }),
    active: t.exposeBoolean('active', { description: 'In force (是否启用).' }),
    version: exposeVersion(t),
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

// ---------------------------------------------------------------- administration

const sla = {
  sign: 'Hours a department has to sign an order (签收时限，小时).',
  complete: 'Hours to complete an order (办结时限，小时).',
  case: 'Hours from acceptance to the case deadline (案件办理时限，小时).',
}
const CreateCaseCategoryInput = builder.inputType('CreateCaseCategoryInput', {
  description: 'A new case category with its SLAs (新建案件类别); admins.',
  fields: (t) => ({
    code: t.string({ required: true, description: 'Unique code: 2–30 of A–Z, 0–9, _ (类别编码).' }),
    name: t.string({ required: true, description: 'Name (类别名称).' }),
    description: t.string({ required: false, description: 'What belongs here (说明).' }),
    signSlaHours: t.float({ required: true, description: sla.sign }),
    completeSlaHours: t.float({ required: true, description: sla.complete }),
    caseSlaHours: t.float({ required: true, description: sla.case }),
    active: t.boolean({ required: false, description: 'Offered for new reports; default true (是否启用).' }),
  }),
})

const UpdateCaseCategoryInput = stepInputs(CaseCategoryRef, 'The category (类别).')(
  'UpdateCaseCategoryInput',
  'Changes a category or its SLAs (修改案件类别及时限); orders already dispatched keep their deadlines.',
  (t) => ({
    name: t.string({ required: false, description: 'Name (类别名称).' }),
    description: t.string({ required: false, description: 'What belongs here; null clears it (说明).' }),
    signSlaHours: t.float({ required: false, description: sla.sign }),
    completeSlaHours: t.float({ required: false, description: sla.complete }),
    caseSlaHours: t.float({ required: false, description: sla.case }),
    active: t.boolean({ required: false, description: 'Offered for new reports (是否启用).' }),
  }),
)

const rule = {
  lead: 'Lead department (主办部门).',
  assist: 'Assisting departments (协办部门).',
  sla: "Completion SLA override in hours; null uses the category's (办结时限覆盖).",
  active: 'In force (是否启用).',
}
const CreateRoutingRuleInput = builder.inputType('CreateRoutingRuleInput', {
  description: 'A new automatic dispatch rule (新建自动派单规则); admins, street officers for their street.',
  fields: (t) => ({
    categoryId: t.globalID({ required: true, for: CaseCategoryRef, description: 'Case category (类别).' }),
    regionId: t.globalID({
      required: true,
      for: RegionRef,
      description: "Applies to this region's subtree (适用区划).",
    }),
    leadDepartmentId: t.globalID({ required: true, for: DepartmentRef, description: rule.lead }),
    assistDepartmentIds: t.globalIDList({ required: false, for: DepartmentRef, description: rule.assist }),
    completeSlaHours: t.float({ required: false, description: rule.sla }),
    active: t.boolean({ required: false, description: rule.active }),
  }),
})

const UpdateRoutingRuleInput = stepInputs(RoutingRuleRef, 'The rule (规则).')(
  'UpdateRoutingRuleInput',
  'Changes a routing rule (修改自动派单规则).',
  (t) => ({
    leadDepartmentId: t.globalID({ required: false, for: DepartmentRef, description: rule.lead }),
    assistDepartmentIds: t.globalIDList({ required: false, for: DepartmentRef, description: rule.assist }),
    completeSlaHours: t.float({ required: false, description: rule.sla }),
    active: t.boolean({ required: false, description: rule.active }),
  }),
)

const ADMINS = { admin: true }
const categoryMutation = rowMutations('CaseCategory', payload('category', 'The category (类别).'))
categoryMutation('createCaseCategory', {
  description: 'Creates a case category (新建案件类别). Admins.',
  authScopes: ADMINS,
  input: CreateCaseCategoryInput,
  run: service.createCaseCategory,
})
categoryMutation('updateCaseCategory', {
  description: 'Changes a case category or its SLAs (修改案件类别及时限). Admins.',
  authScopes: ADMINS,
  input: UpdateCaseCategoryInput,
  run: service.updateCaseCategory,
})

const ruleMutation = rowMutations('RoutingRule', payload('rule', 'The rule (规则).'))

ruleMutation('createRoutingRule', {
  description: 'Creates a routing rule (新建自动派单规则).',
  authScopes: { admin: true, streetOfficer: true },
  input: CreateRoutingRuleInput,
  run: service.createRoutingRule,
})
ruleMutation('updateRoutingRule', {
  description: 'Changes a routing rule (修改自动派单规则).',
  authScopes: { admin: true, streetOfficer: true },
  input: UpdateRoutingRuleInput,
  run: service.updateRoutingRule,
})
