// Administration of accounts, departments and resident units: inputs and mutations (the types
// are in directory.schema.ts). Rules are in account.service.ts.
import { builder } from '../../builder.js'
import { exposeVersion } from '../../shared/schema-fields.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { RegionRef } from '../grid/region.schema.js'
import { DepartmentRef, ResidentUnitRef, RoleEnum, UnitKindEnum, UserRef } from './directory.schema.js'
import * as service from './account.service.js'

for (const model of ['User', 'Department', 'ResidentUnit'] as const) {
  builder.prismaObjectField(model, 'version', (t) => exposeVersion(t))
}

const grantFields = {
  roles: 'Roles, replacing the current ones (角色，整体替换).',
  regionIds: 'Regions an officer serves (负责区划).',
  departmentId: 'For department staff: the department (所属部门).',
  unitId: 'For unit contacts: the unit (所属驻区单位).',
}

const CreateUserInput = builder.inputType('CreateUserInput', {
  description:
    'A new account (新建账号). Street officers grant roles other than ADMIN and STREET_OFFICER, within their street.',
  fields: (t) => ({
    username: t.string({ required: true, description: 'Login name: 3–40 of a–z, 0–9, . _ - (登录名).' }),
    displayName: t.string({ required: true, description: 'Name (姓名).' }),
    phone: t.string({ required: false, description: 'Phone (电话).' }),
    roles: t.field({ type: [RoleEnum], required: true, description: grantFields.roles }),
    regionIds: t.globalIDList({ required: false, for: RegionRef, description: grantFields.regionIds }),
    departmentId: t.globalID({ required: false, for: DepartmentRef, description: grantFields.departmentId }),
    unitId: t.globalID({ required: false, for: ResidentUnitRef, description: grantFields.unitId }),
  }),
})

const userStepInput = stepInputs(UserRef, 'The account (账号).')
const UpdateUserInput = userStepInput('UpdateUserInput', "Changes an account's name or phone (修改账号信息).", (t) => ({
  displayName: t.string({ required: false, description: 'Name (姓名).' }),
  phone: t.string({ required: false, description: 'Phone; null clears it (电话).' }),
}))

const SetUserGrantsInput = userStepInput(
  'SetUserGrantsInput',
  'Sets what an account may do: its roles and scopes, as a whole (设置账号角色与范围). Effective at once, open sockets included.',
  (t) => ({
    roles: t.field({ type: [RoleEnum], required: true, description: grantFields.roles }),
    regionIds: t.globalIDList({ required: false, for: RegionRef, description: grantFields.regionIds }),
    departmentId: t.globalID({ required: false, for: DepartmentRef, description: grantFields.departmentId }),
    unitId: t.globalID({ required: false, for: ResidentUnitRef, description: grantFields.unitId }),
  }),
)

const VersionedUserInput = userStepInput('UserVersionInput', 'An account at the version you read (账号及版本号).')

const departmentName = 'Name, e.g. 城管执法中队 (名称).'
const CreateDepartmentInput = builder.inputType('CreateDepartmentInput', {
  description: 'A new department of a district or street (新建职能部门).',
  fields: (t) => ({
    code: t.string({ required: true, description: 'Unique code: 2–30 of A–Z, 0–9, _ - (部门编码).' }),
    name: t.string({ required: true, description: departmentName }),
    regionId: t.globalID({
      required: true,
      for: RegionRef,
      description: 'The district or street it belongs to (所属区划).',
    }),
    phone: t.string({ required: false, description: 'Office phone (办公电话).' }),
  }),
})

const UpdateDepartmentInput = stepInputs(DepartmentRef, 'The department (部门).')(
  'UpdateDepartmentInput',
  'Changes a department (修改职能部门).',
  (t) => ({
    name: t.string({ required: false, description: departmentName }),
    phone: t.string({ required: false, description: 'Office phone; null clears it (办公电话).' }),
  }),
)

const unitDescriptions = {
  name: 'Name (单位名称).',
  kind: 'Kind (类型).',
  creditCode: 'Unified social credit code, 18 characters (统一社会信用代码).',
  address: 'Address (地址).',
  contactName: 'Contact person (联系人).',
  contactPhone: 'Contact phone (联系电话).',
}
const CreateResidentUnitInput = builder.inputType('CreateResidentUnitInput', {
  description: 'Registers a resident unit in a community (登记驻区单位).',
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: RegionRef, description: 'The community it sits in (所在社区).' }),
    name: t.string({ required: true, description: unitDescriptions.name }),
    kind: t.field({ type: UnitKindEnum, required: true, description: unitDescriptions.kind }),
    creditCode: t.string({ required: false, description: unitDescriptions.creditCode }),
    address: t.string({ required: false, description: unitDescriptions.address }),
    contactName: t.string({ required: false, description: unitDescriptions.contactName }),
    contactPhone: t.string({ required: false, description: unitDescriptions.contactPhone }),
  }),
})

const UpdateResidentUnitInput = stepInputs(ResidentUnitRef, 'The unit (单位).')(
  'UpdateResidentUnitInput',
  'Changes a resident unit; null clears an optional field (修改驻区单位).',
  (t) => ({
    name: t.string({ required: false, description: unitDescriptions.name }),
    kind: t.field({ type: UnitKindEnum, required: false, description: unitDescriptions.kind }),
    creditCode: t.string({ required: false, description: unitDescriptions.creditCode }),
    address: t.string({ required: false, description: unitDescriptions.address }),
    contactName: t.string({ required: false, description: unitDescriptions.contactName }),
    contactPhone: t.string({ required: false, description: unitDescriptions.contactPhone }),
  }),
)

const userMutation = rowMutations('User', payload('user', 'The account (账号).'))
const ACCOUNT_ADMINS = { admin: true, streetOfficer: true }

userMutation('createUser', {
  description: 'Creates an account (新建账号). Admins; street officers within their street.',
  authScopes: ACCOUNT_ADMINS,
  input: CreateUserInput,
  run: service.createUser,
})
userMutation('updateUser', {
  description: "Changes an account's name or phone (修改账号信息).",
  authScopes: ACCOUNT_ADMINS,
  input: UpdateUserInput,
  run: service.updateUser,
})
userMutation('setUserGrants', {
  description: "Sets an account's roles and scopes (设置账号角色与范围); effective at once.",
  authScopes: ACCOUNT_ADMINS,
  input: SetUserGrantsInput,
  run: service.setUserGrants,
})
userMutation('deactivateUser', {
  description: 'Deactivates an account (停用账号): its tokens are refused and its sockets closed at once.',
  authScopes: ACCOUNT_ADMINS,
  input: VersionedUserInput,
  run: (ctx, input) => service.setUserActive(ctx, input, false),
})
userMutation('reactivateUser', {
  description: 'Reactivates a deactivated account (重新启用账号).',
  authScopes: ACCOUNT_ADMINS,
  input: VersionedUserInput,
  run: (ctx, input) => service.setUserActive(ctx, input, true),
})

const departmentMutation = rowMutations('Department', payload('department', 'The department (部门).'))
departmentMutation('createDepartment', {
  description: 'Creates a department (新建职能部门). Admins; street officers for their street.',
  authScopes: ACCOUNT_ADMINS,
  input: CreateDepartmentInput,
  run: service.createDepartment,
})
departmentMutation('updateDepartment', {
  description: 'Changes a department (修改职能部门).',
  authScopes: ACCOUNT_ADMINS,
  input: UpdateDepartmentInput,
  run: service.updateDepartment,
})

const unitMutation = rowMutations('ResidentUnit', payload('unit', 'The unit (驻区单位).'))
unitMutation('createResidentUnit', {
  description: 'Registers a resident unit (登记驻区单位). Admins and officers of the community.',
  authScopes: { officer: true },
  input: CreateResidentUnitInput,
  run: service.createResidentUnit,
})
unitMutation('updateResidentUnit', {
  description: 'Changes a resident unit (修改驻区单位).',
  authScopes: { officer: true },
  input: UpdateResidentUnitInput,
  run: service.updateResidentUnit,
})
