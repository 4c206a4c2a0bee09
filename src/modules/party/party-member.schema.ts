import type { InputFieldBuilder } from '@pothos/core'
import { builder } from '../../builder.js'
import { type Types, nodeId, exposeVersion, filterArg } from '../../shared/schema-fields.js'
import { Gender } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { maskIdNumber, maskPhone, personal } from '../../auth/personal-data.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { ResidentUnitRef, UserRef } from '../directory/directory.schema.js'
import { BuildingRef } from '../grid/building.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as party from './party.service.js'
import { anyFieldMatches } from '../../shared/search.js'

import { PartyOrgRef, orgSubtree } from './party.schema.js'

export const GenderEnum = builder.enumType(Gender, {
  name: 'Gender',
  description: 'Gender (性别): MALE 男, FEMALE 女.',
})

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

export const PartyMemberRef = builder.prismaNode('PartyMember', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Registered at (登记时间).' }),
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

builder.queryFields((t) => ({
  partyMembers: t.prismaConnection(
    {
      type: 'PartyMember',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Party members you may see, by name (党员列表): officers their region, unit contacts their unit's members, a member themself.",
      args: { filter: filterArg(t.arg, PartyMemberFilter) },
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

const UpdatePartyMemberInput = stepInputs(PartyMemberRef, 'The member (党员).')(
  'UpdatePartyMemberInput',
  'Changes to a member; omitted fields stay (修改党员信息). The member may change their own phone and skills.',
  (t) => ({
    ...memberInputFields(t, false),
    active: t.boolean({
      required: false,
      description: 'false takes the member off the record; nothing is deleted (出册).',
    }),
  }),
)

const memberMutation = rowMutations('PartyMember', payload('member', 'The member (党员).'))
memberMutation('createPartyMember', {
  description: 'Registers a party member (登记党员): community officers for their community.',
  authScopes: { communityOfficer: true },
  input: CreatePartyMemberInput,
  run: party.createPartyMember,
})
memberMutation('updatePartyMember', {
  description: "Changes a member's profile (修改党员信息): community officers; the member their own phone and skills.",
  authScopes: { loggedIn: true },
  input: UpdatePartyMemberInput,
  run: party.updatePartyMember,
})
