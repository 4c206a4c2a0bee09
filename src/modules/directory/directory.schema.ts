import { builder } from '../../builder.js'
import { nodeId, filterArg } from '../../shared/schema-fields.js'
import { Role, UnitKind } from '../../generated/prisma/enums.js'
import { maskName, maskPhone, seesPerson } from '../../auth/personal-data.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { officerRegions, regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { RegionRef } from '../grid/region.schema.js'
import { usersWhere } from './directory.service.js'
import { anyFieldMatches } from '../../shared/search.js'

export const RoleEnum = builder.enumType(Role, {
  name: 'Role',
  description:
    'Account role (账号角色): ADMIN 管理员, STREET_OFFICER 街道干部, COMMUNITY_OFFICER 社区干部, GRID_WORKER 网格员, DEPARTMENT_STAFF 职能部门人员, PARTY_MEMBER 党员, UNIT_CONTACT 驻区单位联络人, RESIDENT 居民.',
})

export const UnitKindEnum = builder.enumType(UnitKind, {
  name: 'UnitKind',
  description:
    'Kind of resident unit (驻区单位类型): AGENCY 机关, ENTERPRISE 企业, INSTITUTION 事业单位, NEW_ECONOMIC 新经济组织, NEW_SOCIAL 新社会组织, PROPERTY_MANAGEMENT 物业, OWNERS_COMMITTEE 业委会.',
})

/** Staff (officers, grid workers, department staff, unit contacts) act under their names; private persons do not. */
const PRIVATE_ROLES: readonly string[] = ['RESIDENT', 'PARTY_MEMBER']

/** What deciding on an account's personal data needs: the communities the person belongs to (officers only: nobody else decides by them). */
const PERSON = {
  id: true,
  roles: true,
  regionIds: true,
  partyMember: { select: { homeCommunityId: true } },
  department: { select: { regionId: true } },
  unit: { select: { communityId: true } },
  assignments: { where: { endedAt: null }, select: { grid: { select: { communityId: true } } } },
} as const

/**
 * What deciding on a private person's name needs. Only residents and party members have their
 * names masked, and they have no department, unit or grid assignment: their communities are their
 * regions and their home. Viewers who are no officer decide on nobody's communities at all.
 */
export const NAME_PERSON = {
  id: true,
  roles: true,
  regionIds: true,
  partyMember: { select: { homeCommunityId: true } },
} as const
const nameSelect = (_args: object, ctx: Context) =>
  ctx.viewer && officerRegions(ctx.viewer) ? NAME_PERSON : { id: true, roles: true }

interface PersonRow {
  id: string
  roles: readonly string[]
  regionIds?: readonly string[]
  partyMember?: { homeCommunityId: string | null } | null
  department?: { regionId: string } | null
  unit?: { communityId: string } | null
  assignments?: { grid: { communityId: string } | null }[]
}

/** Whether the viewer sees this account's data whole (DESIGN §4, personal-data.ts). */
const seesUser = (ctx: Context, u: PersonRow) =>
  ctx.access.memo(`person:${u.id}`, () =>
    seesPerson(ctx, {
      userId: u.id,
      communityIds: [
        ...(u.regionIds ?? []),
        u.partyMember?.homeCommunityId,
        u.department?.regionId,
        u.unit?.communityId,
        ...(u.assignments ?? []).map((a) => a.grid?.communityId),
      ],
    }),
  )
const privateName = async (ctx: Context, u: PersonRow) =>
  u.roles.every((r) => PRIVATE_ROLES.includes(r)) && !(await seesUser(ctx, u))

/** A user's name as `User.displayName` shows it to the viewer (read with NAME_PERSON and displayName): the exports call it too. */
export const shownName = async (ctx: Context, u: PersonRow & { displayName: string }) =>
  (await privateName(ctx, u)) ? maskName(u.displayName)! : u.displayName

export const UserRef = builder.prismaNode('User', {
  nullable: true,
  id: nodeId,
  description: 'An account (账号), linked to a department, a unit or grid assignments.',
  fields: (t) => ({
    username: t.string({
      select: nameSelect,
      description:
        'Login name; masked for private persons (residents, party members) unless it is you or your role needs it (登录名).',
      resolve: async (u, _a, ctx) => ((await privateName(ctx, u)) ? maskName(u.username)! : u.username),
    }),
    displayName: t.string({
      select: nameSelect,
      description:
        'Name shown to others; private persons (residents, party members) keep only the surname, e.g. 王**, unless it is you or your role needs it (姓名).',
      resolve: (u, _a, ctx) => shownName(ctx, u),
    }),
    phone: t.string({
      nullable: true,
      select: (_a, ctx) =>
        ctx.viewer && officerRegions(ctx.viewer) ? { ...PERSON, phone: true } : { id: true, roles: true, phone: true },
      description:
        'Phone: whole for the person, admins and officers of a community the person belongs to; otherwise masked, e.g. 138****1234 (电话，按需脱敏).',
      resolve: async (u, _a, ctx) => ((await seesUser(ctx, u)) ? u.phone : maskPhone(u.phone)),
    }),
    roles: t.field({ type: [RoleEnum], resolve: (u) => u.roles, description: 'Roles (角色).' }),
    department: t.relation('department', {
      nullable: true,
      description: 'Department the user works for (所属职能部门).',
    }),
    unit: t.relation('unit', { nullable: true, description: 'Resident unit the user represents (所属驻区单位).' }),
    assignments: t.relation('assignments', {
      query: { where: { endedAt: null } },
      description: 'Active grid assignments (当前网格职务).',
    }),
    active: t.exposeBoolean('active', { description: 'Whether the account may sign in (是否启用).' }),
  }),
})

export const DepartmentRef = builder.prismaNode('Department', {
  nullable: true,
  id: nodeId,
  description: 'Government department (职能部门) that receives dispatch orders.',
  select: { id: true }, // only the columns a query asks for
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Unique code (部门编码).' }),
    name: t.exposeString('name', { description: 'Name, e.g. 城管执法中队 (名称).' }),
    region: t.relation('region', { description: 'The district or street it belongs to (所属区划).' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Office phone, public (办公电话).' }),
  }),
})

export const ResidentUnitRef = builder.prismaNode('ResidentUnit', {
  nullable: true,
  id: nodeId,
  description:
    "Resident unit (驻区单位): agency, enterprise, institution, new economic/social organisation, property management or owners' committee.",
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name (单位名称).' }),
    kind: t.expose('kind', { type: UnitKindEnum, description: 'Kind (类型).' }),
    creditCode: t.exposeString('creditCode', {
      nullable: true,
      description: 'Unified social credit code (统一社会信用代码).',
    }),
    address: t.exposeString('address', { nullable: true, description: 'Address (地址).' }),
    community: t.relation('community', { description: 'The community it sits in (所在社区).' }),
    contactName: t.exposeString('contactName', { nullable: true, description: 'Contact person (联系人).' }),
    contactPhone: t.string({
      nullable: true,
      description:
        "Contact phone: whole for admins, the unit's own contacts and officers of its community; otherwise masked (联系电话，按需脱敏).",
      resolve: async (u, _a, ctx) =>
        (await seesPerson(ctx, { unitId: u.id, communityIds: [u.communityId] }))
          ? u.contactPhone
          : maskPhone(u.contactPhone),
    }),
  }),
})

const DepartmentFilter = builder.inputType('DepartmentFilter', {
  description: 'Filters for departments (部门筛选).',
  fields: (t) => ({
    regionId: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Only departments of this region (所属区划).',
    }),
    search: t.string({ required: false, description: 'Name or code contains (名称或编码包含).' }),
  }),
})

const ResidentUnitFilter = builder.inputType('ResidentUnitFilter', {
  description: 'Filters for resident units (驻区单位筛选).',
  fields: (t) => ({
    kind: t.field({ type: UnitKindEnum, required: false, description: 'Only this kind (类型).' }),
    within: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Only units in this region subtree (区划范围).',
    }),
    search: t.string({ required: false, description: 'Name contains (名称包含).' }),
  }),
})

const UserFilter = builder.inputType('UserFilter', {
  description: 'Filters for accounts (账号筛选).',
  fields: (t) => ({
    role: t.field({ type: RoleEnum, required: false, description: 'Only accounts with this role (角色).' }),
    search: t.string({ required: false, description: 'Name or login contains (姓名或登录名包含).' }),
  }),
})

builder.queryFields((t) => ({
  me: t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The signed-in account, or null without a token (当前登录账号).',
    resolve: (query, _r, _a, ctx) =>
      ctx.viewer ? ctx.reader.user.findUnique({ ...query, where: { id: ctx.viewer.userId } }) : null,
  }),
  departments: t.prismaConnection(
    {
      type: 'Department',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: 'Government departments (职能部门列表), public to signed-in users.',
      args: { filter: filterArg(t.arg, DepartmentFilter) },
      ...rootList(
        'department',
        ({ filter }: { filter?: typeof DepartmentFilter.$inferInput | null }, _ctx: Context) => ({
          where: {
            ...(filter?.regionId ? { regionId: filter.regionId.id } : {}),
            ...anyFieldMatches(filter?.search, 'filter.search', ['name', 'code'] as const),
          } satisfies Prisma.DepartmentWhereInput,
          orderBy: [{ code: 'asc' }, { id: 'asc' }] satisfies Prisma.DepartmentOrderByWithRelationInput[],
        }),
      ),
    },
    COUNTED,
  ),
  residentUnits: t.prismaConnection(
    {
      type: 'ResidentUnit',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: 'Resident units (驻区单位列表); contact phones masked by role.',
      args: { filter: filterArg(t.arg, ResidentUnitFilter) },
      ...rootList(
        'residentUnit',
        ({ filter }: { filter?: typeof ResidentUnitFilter.$inferInput | null }, _ctx: Context) => ({
          where: {
            ...(filter?.kind ? { kind: filter.kind } : {}),
            ...(filter?.within ? { community: regionSubtrees([filter.within.id])! } : {}),
            ...anyFieldMatches(filter?.search, 'filter.search', ['name'] as const),
          } satisfies Prisma.ResidentUnitWhereInput,
          orderBy: [{ name: 'asc' }, { id: 'asc' }] satisfies Prisma.ResidentUnitOrderByWithRelationInput[],
        }),
      ),
    },
    COUNTED,
  ),
  users: t.prismaConnection(
    {
      type: 'User',
      cursor: 'id',
      authScopes: { officer: true },
      description: 'Accounts (账号列表): admins see all; officers the people serving their region.',
      args: { filter: filterArg(t.arg, UserFilter) },
      ...rootList('user', async ({ filter }: { filter?: typeof UserFilter.$inferInput | null }, ctx: Context) => ({
        where: {
          AND: [
            await usersWhere(ctx),
            filter?.role ? { roles: { has: filter.role } } : {},
            anyFieldMatches(filter?.search, 'filter.search', ['displayName', 'username'] as const),
          ],
        } satisfies Prisma.UserWhereInput,
        orderBy: [{ username: 'asc' }, { id: 'asc' }] satisfies Prisma.UserOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
}))
