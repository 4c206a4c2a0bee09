// Administration of the case loop's reference data: categories and their SLAs, routing rules.
import { builder } from '../../builder.js'
import { readVersion, exposeVersion } from '../../shared/schema-fields.js'
import type { Context } from '../../context.js'
import { payload } from '../../shared/mutations.js'
import { decodeId } from '../../shared/relay.js'
import { DepartmentRef } from '../directory/directory.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { CaseCategoryRef } from './category.schema.js'
import * as service from './reference.service.js'

for (const model of ['CaseCategory', 'RoutingRule'] as const) {
  builder.prismaObjectField(model, 'version', (t) => exposeVersion(t))
}

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

const UpdateCaseCategoryInput = builder.inputType('UpdateCaseCategoryInput', {
  description: 'Changes a category or its SLAs (修改案件类别及时限); orders already dispatched keep their deadlines.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: CaseCategoryRef, description: 'The category (类别).' }),
    version: readVersion(t),
    name: t.string({ required: false, description: 'Name (类别名称).' }),
    description: t.string({ required: false, description: 'What belongs here; null clears it (说明).' }),
    signSlaHours: t.float({ required: false, description: sla.sign }),
    completeSlaHours: t.float({ required: false, description: sla.complete }),
    caseSlaHours: t.float({ required: false, description: sla.case }),
    active: t.boolean({ required: false, description: 'Offered for new reports (是否启用).' }),
  }),
})

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

const UpdateRoutingRuleInput = builder.inputType('UpdateRoutingRuleInput', {
  description: 'Changes a routing rule (修改自动派单规则).',
  fields: (t) => ({
    id: t.globalID({ required: true, description: 'The rule (规则).' }),
    version: readVersion(t),
    leadDepartmentId: t.globalID({ required: false, for: DepartmentRef, description: rule.lead }),
    assistDepartmentIds: t.globalIDList({ required: false, for: DepartmentRef, description: rule.assist }),
    completeSlaHours: t.float({ required: false, description: rule.sla }),
    active: t.boolean({ required: false, description: rule.active }),
  }),
})

const ADMINS = { admin: true }
/** The rule as the payload's selection asks for it, in one read (relations joined). */
const withSelection = (ctx: Context, query: object, rule: { id: string }) =>
  ctx.reader.routingRule.findUniqueOrThrow({ ...query, where: { id: rule.id } })
builder.mutationFields((t) => ({
  createCaseCategory: t.field({
    type: CaseCategoryRef,
    description: 'Creates a case category (新建案件类别). Admins.',
    authScopes: ADMINS,
    errors: payload('category', 'The category (类别).'),
    args: { input: t.arg({ type: CreateCaseCategoryInput, required: true }) },
    resolve: (_r, { input }, ctx) => service.createCaseCategory(ctx, input),
  }),
  updateCaseCategory: t.field({
    type: CaseCategoryRef,
    description: 'Changes a case category or its SLAs (修改案件类别及时限). Admins.',
    authScopes: ADMINS,
    errors: payload('category', 'The category (类别).'),
    args: { input: t.arg({ type: UpdateCaseCategoryInput, required: true }) },
    resolve: (_r, { input }, ctx) => service.updateCaseCategory(ctx, { ...input, id: input.id.id }),
  }),
  createRoutingRule: t.prismaField({
    type: 'RoutingRule',
    description: 'Creates a routing rule (新建自动派单规则).',
    authScopes: { admin: true, streetOfficer: true },
    errors: payload('rule', 'The rule (规则).'),
    args: { input: t.arg({ type: CreateRoutingRuleInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      withSelection(
        ctx,
        query,
        await service.createRoutingRule(ctx, {
          ...input,
          categoryId: input.categoryId.id,
          regionId: input.regionId.id,
          leadDepartmentId: input.leadDepartmentId.id,
          assistDepartmentIds: input.assistDepartmentIds?.map((d) => d.id),
        }),
      ),
  }),
  updateRoutingRule: t.prismaField({
    type: 'RoutingRule',
    description: 'Changes a routing rule (修改自动派单规则).',
    authScopes: { admin: true, streetOfficer: true },
    errors: payload('rule', 'The rule (规则).'),
    args: { input: t.arg({ type: UpdateRoutingRuleInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      withSelection(
        ctx,
        query,
        await service.updateRoutingRule(ctx, {
          ...input,
          id: decodeId(input.id, 'RoutingRule'),
          leadDepartmentId: input.leadDepartmentId?.id,
          assistDepartmentIds: input.assistDepartmentIds?.map((d) => d.id),
        }),
      ),
  }),
}))
