import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg } from '../../shared/schema-fields.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { regionSubtrees } from '../../auth/policy.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { UserRef } from '../directory/directory.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as teams from './team.service.js'
import { VolunteerTeamKindEnum } from './volunteer.schema.js'

// ---------------------------------------------------------------- teams

builder.prismaNode('VolunteerTeamMember', {
  nullable: true,
  id: nodeId,
  description: "A person's membership of a volunteer team (队员).",
  fields: (t) => ({
    team: t.relation('team', { description: 'The team (服务队).' }),
    user: t.relation('user', { description: 'The member (队员).' }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime', description: 'Joined at (加入时间).' }),
    leftAt: t.expose('leftAt', { type: 'DateTime', nullable: true, description: 'Left at, if they left (退出时间).' }),
  }),
})

export const VolunteerTeamRef = builder.prismaNode('VolunteerTeam', {
  nullable: true,
  id: nodeId,
  description: 'Volunteer team (志愿服务队), e.g. a party-member vanguard team (党员先锋队), based in a community.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name (队名).' }),
    kind: t.expose('kind', { type: VolunteerTeamKindEnum, description: 'Kind (类型).' }),
    description: t.exposeString('description', { nullable: true, description: 'What the team does (简介).' }),
    community: t.relation('community', { description: 'Home community (所属社区).' }),
    leader: t.relation('leader', { nullable: true, description: 'Team leader (队长).' }),
    active: t.exposeBoolean('active', { description: 'Still active (是否在册).' }),
    members: t.relatedConnection(
      'members',
      {
        cursor: 'id',
        totalCount: true,
        query: { where: { activeSlot: true }, orderBy: { joinedAt: 'asc' } },
        description: 'Current members, earliest first (现有队员).',
      },
      COUNTED,
    ),
    activities: t.relatedConnection('activities', {
      cursor: 'id',
      query: { orderBy: [{ startsAt: 'desc' }, { id: 'desc' }] },
      description:
        "The team's activities, latest first: published ones, and drafts to their organizer and the region's officers (服务队活动).",
    }),
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Created at (成立时间).' }),
  }),
})

const VolunteerTeamFilter = builder.inputType('VolunteerTeamFilter', {
  description: 'Filters for volunteer teams (服务队筛选).',
  fields: (t) => ({
    kind: t.field({ type: VolunteerTeamKindEnum, required: false, description: 'Of this kind (类型).' }),
    within: t.globalID({ required: false, for: RegionRef, description: 'Based in this region subtree (区划范围).' }),
    mine: t.boolean({ required: false, description: 'Only teams you are a member of (我加入的).' }),
    includeInactive: t.boolean({ required: false, description: 'Also closed teams (含已撤销).' }),
  }),
})

builder.queryFields((t) => ({
  volunteerTeams: t.prismaConnection(
    {
      type: 'VolunteerTeam',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: 'Volunteer teams, by name (志愿服务队列表); public to signed-in users.',
      args: { filter: filterArg(t.arg, VolunteerTeamFilter) },
      ...rootList(
        'volunteerTeam',
        ({ filter: f }: { filter?: typeof VolunteerTeamFilter.$inferInput | null }, ctx: Context) => ({
          where: {
            AND: [
              f?.includeInactive ? {} : { active: true },
              f?.kind ? { kind: f.kind } : {},
              f?.within ? { community: regionSubtrees([f.within.id])! } : {},
              f?.mine ? { members: { some: { userId: ctx.viewer!.userId, activeSlot: true } } } : {},
            ],
          } satisfies Prisma.VolunteerTeamWhereInput,
          orderBy: [{ name: 'asc' }, { id: 'asc' }] satisfies Prisma.VolunteerTeamOrderByWithRelationInput[],
        }),
      ),
    },
    COUNTED,
  ),
}))

// ---------------------------------------------------------------- mutations

const CreateTeamInput = builder.inputType('CreateVolunteerTeamInput', {
  description: 'Creates a volunteer team in a community (成立志愿服务队): officers of the community.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Name (队名).' }),
    kind: t.field({ type: VolunteerTeamKindEnum, required: true, description: 'Kind (类型).' }),
    description: t.string({ required: false, description: 'What the team does (简介).' }),
    communityId: t.globalID({ required: true, for: RegionRef, description: 'Home community (所属社区).' }),
    leaderId: t.globalID({ required: false, for: UserRef, description: "Leader's account; joins as a member (队长)." }),
  }),
})

const UpdateTeamInput = stepInputs(VolunteerTeamRef, 'The team (服务队).')(
  'UpdateVolunteerTeamInput',
  'Changes a team (修改服务队): its leader or officers; only officers change the leader or close it.',
  (t) => ({
    name: t.string({ required: false, description: 'New name (队名).' }),
    kind: t.field({ type: VolunteerTeamKindEnum, required: false, description: 'New kind (类型).' }),
    description: t.string({ required: false, description: 'New description (简介).' }),
    leaderId: t.globalID({ required: false, for: UserRef, description: 'New leader (队长).' }),
    active: t.boolean({ required: false, description: 'false closes the team (是否在册).' }),
  }),
)

const MembershipInput = builder.inputType('SetVolunteerTeamMembershipInput', {
  description: 'Joins or leaves a team (加入或退出服务队): yourself, or anyone by the leader or an officer.',
  fields: (t) => ({
    teamId: t.globalID({ required: true, for: VolunteerTeamRef, description: 'The team (服务队).' }),
    userId: t.globalID({ required: false, for: UserRef, description: 'The person; yourself by default (队员).' }),
    member: t.boolean({ required: true, description: 'true joins, false leaves (加入/退出).' }),
  }),
})

const teamMutation = rowMutations('VolunteerTeam', payload('team', 'The team after the change (变更后的服务队).'))

teamMutation('createVolunteerTeam', {
  description: 'Creates a volunteer team (成立服务队): officers of its community.',
  authScopes: { officer: true },
  input: CreateTeamInput,
  run: teams.createTeam,
})
teamMutation('updateVolunteerTeam', {
  description: 'Changes a volunteer team (修改服务队).',
  authScopes: { loggedIn: true },
  input: UpdateTeamInput,
  run: teams.updateTeam,
})
teamMutation('setVolunteerTeamMembership', {
  description: 'Joins or leaves a volunteer team (加入或退出服务队).',
  authScopes: { loggedIn: true },
  input: MembershipInput,
  run: teams.setTeamMembership,
})
