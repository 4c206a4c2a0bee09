import type { InputFieldBuilder } from '@pothos/core'
import { builder } from '../../builder.js'
import { Gender, PartyOrgLevel } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { maskIdNumber, maskPhone, personal, seesPerson } from '../../auth/personal-data.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload } from '../../shared/mutations.js'
import { ResidentUnitRef, UserRef } from '../directory/directory.schema.js'
import { BuildingRef, GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as party from './party.service.js'
import './grid-card.schema.js'
import { anyFieldMatches } from '../../shared/search.js'

export const PartyOrgLevelEnum = builder.enumType(PartyOrgLevel, {
  name: 'PartyOrgLevel',
  description:
    'Level of a party organisation (党组织层级): STREET_WORKING_COMMITTEE 街道党工委, COMMUNITY_COMMITTEE 社区党委, GRID_BRANCH 网格党支部, BUILDING_GROUP 楼栋党小组, UNIT_ORG 单位党组织.',
})

export const GenderEnum = builder.enumType(Gender, {
  name: 'Gender',
  description: 'Gender (性别): MALE 男, FEMALE 女.',
})

/**
 * An organisation's contact phone is a work phone (DESIGN §4): whole for admins, officers whose
 * subtree holds the organisation's street or community and the contacts of its own unit.
 */
async function orgPhone(ctx: Context, o: { contactPhone: string | null; regionId: string; unitId: string | null }) {
  return (await seesPerson(ctx, { unitId: o.unitId, communityIds: [o.regionId] }))
    ? o.contactPhone
    : maskPhone(o.contactPhone)
}

/** What deciding on a member's personal data needs: their account and relevant communities. */
const MEMBER_PERSON = { userId: true, homeCommunityId: true, reports: { select: { communityId: true } } } as const

/** The member's personal data, whole or masked (src/auth/personal-data.ts). */
const memberPersonal = (
  ctx: Context,
  m: {
    userId: string | null
    homeCommunityId: string | null
    reports: { communityId: string }[]
    phone: string | null
    idNumber: string | null
  },
) =>
  personal(
    ctx,
    { userId: m.userId, communityIds: [m.homeCommunityId, ...m.reports.map((r) => r.communityId)] },
    { phone: m.phone, idNumber: m.idNumber },
    { phone: maskPhone, idNumber: maskIdNumber },
  )

export const PartyOrgRef = builder.prismaNode('PartyOrg', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    "Party organisation (党组织): street working committee → community committee → grid branch → building group, or a resident unit's own organisation; public to signed-in users.",
  authScopes: { loggedIn: true },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name, e.g. 东门社区党委 (名称).' }),
    level: t.expose('level', { type: PartyOrgLevelEnum, description: 'Level (层级).' }),
    parent: t.relation('parent', { nullable: true, description: 'The organisation above (上级党组织).' }),
    children: t.relatedConnection('children', {
      cursor: 'id',
      args: { includeInactive: t.arg.boolean({ required: false, description: 'Also dissolved ones (含已撤销).' }) },
      query: (args) => ({
        where: args.includeInactive ? {} : { active: true },
        orderBy: [{ level: 'asc' }, { name: 'asc' }, { id: 'asc' }],
      }),
      description: 'Organisations directly below (下级党组织).',
    }),
    region: t.relation('region', { description: 'The street or community it belongs to (所属区划).' }),
    grid: t.relation('grid', {
      nullable: true,
      description: 'Grid branches and building groups: the grid (所在网格).',
    }),
    building: t.relation('building', { nullable: true, description: 'Building groups: the building (所在楼栋).' }),
    unit: t.relation('unit', { nullable: true, description: 'Unit organisations: the resident unit (所属驻区单位).' }),
    secretaryName: t.exposeString('secretaryName', { nullable: true, description: 'Secretary (书记).' }),
    contactPhone: t.string({
      nullable: true,
      description:
        "Contact phone, a work phone: whole for admins, officers whose region holds the organisation's street or community and the contacts of its own unit; otherwise masked (联系电话，按需脱敏).",
      select: { contactPhone: true, regionId: true, unitId: true },
      resolve: (o, _a, ctx) => orgPhone(ctx, o),
    }),
    members: t.relatedConnection('members', {
      cursor: 'id',
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
      description: 'Members whose membership is held here, that you may see (组织关系在本组织的党员).',
    }),
    active: t.exposeBoolean('active', { description: 'Not dissolved (是否存续).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Created at (创建时间).' }),
  }),
})

export const PartyMemberRef = builder.prismaNode('PartyMember', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    'Party member (党员): read by the member themself, officers whose region holds their home community or a community they reported to, and the contacts of the unit they work for.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name (姓名).' }),
    gender: t.expose('gender', { type: GenderEnum, description: 'Gender (性别).' }),
    birthYear: t.exposeInt('birthYear', { nullable: true, description: 'Year of birth (出生年份).' }),
    joinedOn: t.expose('joinedOn', {
      type: 'DateTime',
      nullable: true,
      description: 'Joined the party on (入党日期).',
    }),
    phone: t.string({
      nullable: true,
      description:
        'Phone: whole for the member, admins and officers whose region holds their home community or a community they reported to; otherwise masked, e.g. 138****1234 (电话，按需脱敏).',
      select: { phone: true, idNumber: true, ...MEMBER_PERSON },
      resolve: async (m, _a, ctx) => (await memberPersonal(ctx, m)).phone,
    }),
    idNumber: t.string({
      nullable: true,
      description: 'Resident ID number, whole or masked like the phone, e.g. 110***********1234 (身份证号，按需脱敏).',
      select: { phone: true, idNumber: true, ...MEMBER_PERSON },
      resolve: async (m, _a, ctx) => (await memberPersonal(ctx, m)).idNumber,
    }),
    org: t.relation('org', {
      nullable: true,
      description: "The organisation holding the membership, e.g. the workplace's (组织关系所在党组织).",
    }),
    workUnit: t.relation('workUnit', {
      nullable: true,
      description: 'Workplace, when a resident unit of the area (工作单位).',
    }),
    workplace: t.exposeString('workplace', {
      nullable: true,
      description: 'Workplace in free text otherwise (工作单位名称).',
    }),
    homeBuilding: t.relation('homeBuilding', { nullable: true, description: 'Home building (居住楼栋).' }),
    homeGrid: t.relation('homeGrid', { nullable: true, description: 'Home grid (居住网格).' }),
    homeCommunity: t.relation('homeCommunity', { nullable: true, description: 'Community of residence (居住社区).' }),
    skills: t.exposeStringList('skills', { description: 'Skills and specialties, e.g. 法律咨询 (技能特长).' }),
    user: t.relation('user', { nullable: true, description: 'The linked account, if any (关联账号).' }),
    reports: t.relation('reports', {
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
      description: "The member's dual reports you may see, newest first (双报到记录).",
    }),
    active: t.exposeBoolean('active', { description: 'Still a member on record (是否在册).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Registered at (登记时间).' }),
  }),
})

const PartyOrgFilter = builder.inputType('PartyOrgFilter', {
  description: 'Filters for party organisations (党组织筛选).',
  fields: (t) => ({
    level: t.field({ type: [PartyOrgLevelEnum], required: false, description: 'Any of these levels (层级).' }),
    within: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Bound inside this region subtree (区划范围).',
    }),
    parentId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: 'Direct children of this organisation (上级党组织).',
    }),
    under: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: 'This organisation and everything below it (组织子树).',
    }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'Bound to this grid (网格).' }),
    unitId: t.globalID({ required: false, for: ResidentUnitRef, description: 'Of this resident unit (驻区单位).' }),
    search: t.string({ required: false, description: 'Name contains (名称包含).' }),
    includeInactive: t.boolean({ required: false, description: 'Also dissolved ones (含已撤销).' }),
  }),
})

const PartyMemberFilter = builder.inputType('PartyMemberFilter', {
  description: 'Filters for party members (党员筛选).',
  fields: (t) => ({
    orgId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description:
        "Membership held in this organisation's subtree, or placed in it by an approved dual report (所属党组织).",
    }),
    gridId: t.globalID({
      required: false,
      for: GridRef,
      description: 'Living in this grid, or approved into it (网格).',
    }),
    within: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Living in this region subtree, or approved into it (区划范围).',
    }),
    reported: t.boolean({
      required: false,
      description: 'true: with an approved dual report; false: without (是否已报到).',
    }),
    skill: t.string({ required: false, description: 'Has this skill (技能特长).' }),
    workUnitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'Works for this resident unit (工作单位).',
    }),
    search: t.string({ required: false, description: 'Name contains (姓名包含).' }),
    includeInactive: t.boolean({ required: false, description: 'Also members no longer on record (含已出册).' }),
  }),
})

/** `where` on PartyOrg: the organisation and those under it (a path holds every ancestor's id), no lookup. */
const orgSubtree = (id: string): Prisma.PartyOrgWhereInput => ({ path: { contains: `/${id}/` } })

builder.queryFields((t) => ({
  partyOrgs: t.prismaConnection(
    {
      type: 'PartyOrg',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        'Party organisations, the chain from the street down then units (党组织列表，按层级); walk the tree with parentId or `children`.',
      args: { filter: t.arg({ type: PartyOrgFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList(
        'partyOrg',
        async ({ filter: f }: { filter?: typeof PartyOrgFilter.$inferInput | null }, _ctx: Context) => {
          const and: Prisma.PartyOrgWhereInput[] = [
            f?.includeInactive ? {} : { active: true },
            f?.level?.length ? { level: { in: f.level } } : {},
            f?.within ? { region: regionSubtrees([f.within.id])! } : {},
            f?.parentId ? { parentId: f.parentId.id } : {},
            f?.under ? orgSubtree(f.under.id) : {},
            f?.gridId ? { gridId: f.gridId.id } : {},
            f?.unitId ? { unitId: f.unitId.id } : {},
            anyFieldMatches(f?.search, 'filter.search', ['name'] as const),
          ]
          return {
            where: { AND: and },
            orderBy: [
              { level: 'asc' },
              { name: 'asc' },
              { id: 'asc' },
            ] satisfies Prisma.PartyOrgOrderByWithRelationInput[],
          }
        },
      ),
    },
    COUNTED,
  ),
  partyMembers: t.prismaConnection(
    {
      type: 'PartyMember',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Party members you may see, by name (党员列表): officers their region, unit contacts their unit's members, a member themself.",
      args: { filter: t.arg({ type: PartyMemberFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList(
        'partyMember',
        async ({ filter: f }: { filter?: typeof PartyMemberFilter.$inferInput | null }, _ctx: Context) => {
          const approved = { status: 'APPROVED' } as const
          const and: Prisma.PartyMemberWhereInput[] = [
            f?.includeInactive ? {} : { active: true },
            f?.skill ? { skills: { has: f.skill } } : {},
            anyFieldMatches(f?.search, 'filter.search', ['name'] as const),
            f?.workUnitId ? { workUnitId: f.workUnitId.id } : {},
            f?.reported === true ? { reports: { some: approved } } : {},
            f?.reported === false ? { reports: { none: approved } } : {},
          ]
          if (f?.orgId) {
            const org = orgSubtree(f.orgId.id)
            and.push({ OR: [{ org }, { reports: { some: { ...approved, branch: org } } }] })
          }
          if (f?.gridId) {
            const gridId = f.gridId.id
            and.push({ OR: [{ homeGridId: gridId }, { reports: { some: { ...approved, gridId } } }] })
          }
          if (f?.within) {
            const subtree = regionSubtrees([f.within.id])!
            and.push({ OR: [{ homeCommunity: subtree }, { reports: { some: { ...approved, community: subtree } } }] })
          }
          return {
            where: { AND: and },
            orderBy: [{ name: 'asc' }, { id: 'asc' }] satisfies Prisma.PartyMemberOrderByWithRelationInput[],
          }
        },
      ),
    },
    COUNTED,
  ),
  myPartyMember: t.prismaField({
    type: 'PartyMember',
    nullable: true,
    authScopes: { loggedIn: true },
    description: 'The member profile linked to your account, or null (我的党员信息).',
    resolve: async (query, _r, _a, ctx) =>
      ctx.viewer ? ctx.reader.partyMember.findUnique({ ...query, where: { userId: ctx.viewer.userId } }) : null,
  }),
}))

// ---------------------------------------------------------------- mutations

const CreatePartyOrgInput = builder.inputType('CreatePartyOrgInput', {
  description:
    'A new party organisation, bound to the territory its level calls for (新建党组织): a street, a community, a grid, a building or a unit; the parent of the chain is found when not given.',
  fields: (t) => ({
    level: t.field({ type: PartyOrgLevelEnum, required: true, description: 'Level (层级).' }),
    name: t.string({ required: true, description: 'Name (名称).' }),
    parentId: t.globalID({ required: false, for: PartyOrgRef, description: 'Parent organisation (上级党组织).' }),
    regionId: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Street or community committees: the region (所属区划).',
    }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'Grid branches: the grid (网格).' }),
    buildingId: t.globalID({ required: false, for: BuildingRef, description: 'Building groups: the building (楼栋).' }),
    unitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'Unit organisations: the resident unit (驻区单位).',
    }),
    secretaryName: t.string({ required: false, description: 'Secretary (书记).' }),
    contactPhone: t.string({ required: false, description: 'Contact phone (联系电话).' }),
  }),
})

const UpdatePartyOrgInput = builder.inputType('UpdatePartyOrgInput', {
  description: 'Changes to a party organisation; omitted fields stay (修改党组织).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: PartyOrgRef, description: 'The organisation (党组织).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    name: t.string({ required: false, description: 'New name (新名称).' }),
    secretaryName: t.string({ required: false, description: 'Secretary (书记).' }),
    contactPhone: t.string({ required: false, description: 'Contact phone (联系电话).' }),
    active: t.boolean({ required: false, description: 'false dissolves it; it stays on record (撤销).' }),
  }),
})

const memberFieldDescriptions = {
  name: 'Name (姓名).',
  gender: 'Gender; taken from the ID number when omitted (性别).',
  birthYear: 'Year of birth; from the ID number when omitted (出生年份).',
  joinedOn: 'Joined the party on (入党日期).',
  phone: 'Phone (电话).',
  idNumber: 'Resident ID number (身份证号).',
  orgId: 'Organisation holding the membership (组织关系所在党组织).',
  workUnitId: 'Workplace among the resident units (工作单位).',
  workplace: 'Workplace in free text (工作单位名称).',
  homeBuildingId: 'Home building (居住楼栋).',
  homeGridId: 'Home grid, when the building is not known (居住网格).',
  skills: 'Skills and specialties (技能特长).',
  userId: 'Account to link, with the PARTY_MEMBER role (关联账号).',
} as const

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never

/** The profile fields both member inputs take; only creation requires the name. */
const memberInputFields = <Creating extends boolean>(
  t: InputFieldBuilder<Types, 'InputObject'>,
  creating: Creating,
) => ({
  name: t.string({ required: creating, description: memberFieldDescriptions.name }),
  gender: t.field({ type: GenderEnum, required: false, description: memberFieldDescriptions.gender }),
  birthYear: t.int({ required: false, description: memberFieldDescriptions.birthYear }),
  joinedOn: t.field({ type: 'DateTime', required: false, description: memberFieldDescriptions.joinedOn }),
  phone: t.string({ required: false, description: memberFieldDescriptions.phone }),
  idNumber: t.string({ required: false, description: memberFieldDescriptions.idNumber }),
  orgId: t.globalID({ required: false, for: PartyOrgRef, description: memberFieldDescriptions.orgId }),
  workUnitId: t.globalID({ required: false, for: ResidentUnitRef, description: memberFieldDescriptions.workUnitId }),
  workplace: t.string({ required: false, description: memberFieldDescriptions.workplace }),
  homeBuildingId: t.globalID({
    required: false,
    for: BuildingRef,
    description: memberFieldDescriptions.homeBuildingId,
  }),
  homeGridId: t.globalID({ required: false, for: GridRef, description: memberFieldDescriptions.homeGridId }),
  skills: t.stringList({ required: false, description: memberFieldDescriptions.skills }),
  userId: t.globalID({ required: false, for: UserRef, description: memberFieldDescriptions.userId }),
})

const CreatePartyMemberInput = builder.inputType('CreatePartyMemberInput', {
  description: 'Registers a party member living in your community (登记党员).',
  fields: (t) => memberInputFields(t, true),
})

const UpdatePartyMemberInput = builder.inputType('UpdatePartyMemberInput', {
  description:
    'Changes to a member; omitted fields stay (修改党员信息). The member may change their own phone and skills.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: PartyMemberRef, description: 'The member (党员).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    ...memberInputFields(t, false),
    active: t.boolean({
      required: false,
      description: 'false takes the member off the record; nothing is deleted (出册).',
    }),
  }),
})

type Gid = { typename: string; id: string } | null | undefined
/** The row id of an optional global ID; null and undefined (omitted: unchanged) pass through as they are. */
const opt = (g: Gid) => (g ? g.id : g)

/** The row ids of a member input's global IDs. */
const memberIds = <I extends { orgId?: Gid; workUnitId?: Gid; homeBuildingId?: Gid; homeGridId?: Gid; userId?: Gid }>(
  i: I,
) => ({
  ...i,
  orgId: opt(i.orgId),
  workUnitId: opt(i.workUnitId),
  homeBuildingId: opt(i.homeBuildingId),
  homeGridId: opt(i.homeGridId),
  userId: opt(i.userId),
})

builder.mutationFields((t) => ({
  createPartyOrg: t.field({
    type: PartyOrgRef,
    description:
      'Creates a party organisation (新建党组织): street officers the whole chain of their street, community officers grid branches, building groups and unit organisations of their community.',
    authScopes: { officer: true },
    errors: payload('org', 'The organisation (党组织).'),
    args: { input: t.arg({ type: CreatePartyOrgInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      party.createPartyOrg(ctx, {
        ...input,
        parentId: opt(input.parentId),
        regionId: opt(input.regionId),
        gridId: opt(input.gridId),
        buildingId: opt(input.buildingId),
        unitId: opt(input.unitId),
      }),
  }),
  updatePartyOrg: t.field({
    type: PartyOrgRef,
    description: 'Renames, re-staffs or dissolves a party organisation (修改党组织).',
    authScopes: { officer: true },
    errors: payload('org', 'The organisation (党组织).'),
    args: { input: t.arg({ type: UpdatePartyOrgInput, required: true }) },
    resolve: (_r, { input }, ctx) => party.updatePartyOrg(ctx, { ...input, id: input.id.id }),
  }),
  createPartyMember: t.field({
    type: PartyMemberRef,
    description: 'Registers a party member (登记党员): community officers for their community.',
    authScopes: { communityOfficer: true },
    errors: payload('member', 'The member (党员).'),
    args: { input: t.arg({ type: CreatePartyMemberInput, required: true }) },
    resolve: (_r, { input }, ctx) => party.createPartyMember(ctx, memberIds(input)),
  }),
  updatePartyMember: t.field({
    type: PartyMemberRef,
    description:
      "Changes a member's profile (修改党员信息): community officers; the member their own phone and skills.",
    authScopes: { loggedIn: true },
    errors: payload('member', 'The member (党员).'),
    args: { input: t.arg({ type: UpdatePartyMemberInput, required: true }) },
    resolve: (_r, { input }, ctx) => party.updatePartyMember(ctx, { ...memberIds(input), id: input.id.id }),
  }),
}))
