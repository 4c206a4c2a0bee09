// The service catalogue (服务项目清单) members and units pledge from, and its administration.
import { builder } from '../../builder.js'
import { nodeId, exposeVersion } from '../../shared/schema-fields.js'
import { DualReportKind } from '../../generated/prisma/enums.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import * as service from './catalog.service.js'

// the reports' kind is declared here, with the catalogue they pledge from: dual-report.schema.ts imports this file
export const DualReportKindEnum = builder.enumType(DualReportKind, {
  name: 'DualReportKind',
  description: 'Who reports (双报到类型): MEMBER 在职党员到居住社区报到, UNIT 单位党组织到所在社区报到.',
})

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
    version: exposeVersion(t),
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

// ---------------------------------------------------------------- administration

const d = {
  name: 'Name (名称).',
  category: 'Category, e.g. 专业服务 (类别).',
  description: 'What it is (说明).',
  forKind: 'Who may pledge it; null for members and units (适用对象).',
  sortOrder: 'Position in the catalogue (排序).',
  active: 'Offered for new pledges (是否启用).',
}
const CreateServiceItemInput = builder.inputType('CreateServiceItemInput', {
  description: 'A new item of the service catalogue (新增服务项目); admins.',
  fields: (t) => ({
    code: t.string({ required: true, description: 'Unique code: 2–30 of A–Z, 0–9, _ - (编码).' }),
    name: t.string({ required: true, description: d.name }),
    category: t.string({ required: true, description: d.category }),
    description: t.string({ required: false, description: d.description }),
    forKind: t.field({ type: DualReportKindEnum, required: false, description: d.forKind }),
    sortOrder: t.int({ required: false, description: d.sortOrder }),
    active: t.boolean({ required: false, description: d.active }),
  }),
})

const itemStepInput = stepInputs(ServiceItemRef, 'The item (服务项目).')
const UpdateServiceItemInput = itemStepInput(
  'UpdateServiceItemInput',
  'Changes an item of the service catalogue (修改服务项目); null clears an optional field.',
  (t) => ({
    name: t.string({ required: false, description: d.name }),
    category: t.string({ required: false, description: d.category }),
    description: t.string({ required: false, description: d.description }),
    forKind: t.field({ type: DualReportKindEnum, required: false, description: d.forKind }),
    sortOrder: t.int({ required: false, description: d.sortOrder }),
    active: t.boolean({ required: false, description: d.active }),
  }),
)

const itemMutation = rowMutations('ServiceItem', payload('item', 'The item (服务项目).'))
itemMutation('createServiceItem', {
  description: 'Adds an item to the service catalogue (新增服务项目). Admins.',
  authScopes: { admin: true },
  input: CreateServiceItemInput,
  run: service.createServiceItem,
})
itemMutation('updateServiceItem', {
  description: 'Changes an item of the service catalogue (修改服务项目). Admins.',
  authScopes: { admin: true },
  input: UpdateServiceItemInput,
  run: service.updateServiceItem,
})
