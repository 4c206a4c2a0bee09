// Administration of the case loop's reference data: categories and their SLAs, routing rules.
import { builder } from '../../builder.js'
import { exposeVersion } from '../../shared/schema-fields.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { DepartmentRef } from '../directory/directory.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { CaseCategoryRef } from './category.schema.js'
import { RoutingRuleRef } from './routing-rule.schema.js'
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
