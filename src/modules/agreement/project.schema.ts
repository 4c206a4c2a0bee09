import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg, anyStatus } from '../../shared/schema-fields.js'
import { ProjectStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { projectUnitWhere } from './agreement.policy.js'
import { AgreementItemRef } from './agreement-item.schema.js'
import { NeedClaimRef } from './claim.schema.js'
import { NeedItemRef } from './need.schema.js'
import { ResourceItemRef } from './resource.schema.js'
import * as projects from './project.service.js'

export const ProjectStatusEnum = builder.enumType(ProjectStatus, {
  name: 'ProjectStatus',
  description: 'State of a project (项目状态): PLANNED 已立项, IN_PROGRESS 实施中, COMPLETED 已完成, CANCELLED 已取消.',
})

export const ProjectMilestoneRef = builder.prismaNode('ProjectMilestone', {
  nullable: true,
  id: nodeId,
  description: 'A milestone of a project (项目节点).',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title (节点名称).' }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true, description: 'Due (计划完成时间).' }),
    doneAt: t.expose('doneAt', { type: 'DateTime', nullable: true, description: 'Done at (完成时间).' }),
    sortOrder: t.exposeInt('sortOrder', { description: 'Position (顺序).' }),
  }),
})

builder.prismaNode('ProjectProgress', {
  nullable: true,
  id: nodeId,
  description: 'A progress entry of a project (项目进展), also every step of its life; append-only.',
  fields: (t) => ({
    progress: t.exposeInt('progress', { description: 'Progress after the entry, 0–100 (进度百分比).' }),
    note: t.exposeString('note', { description: 'What was done (进展说明).' }),
    recordedBy: t.prismaField({
      type: 'User',
      description: 'Who recorded it (记录人).',
      resolve: (query, e, _a, ctx) => ctx.reader.user.findUniqueOrThrow({ ...query, where: { id: e.recordedById } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Recorded at (记录时间).' }),
  }),
})

export const ProjectRef = builder.prismaNode('Project', {
  nullable: true,
  id: nodeId,
  description:
    "A project of the projects list (项目清单) meeting a need with units' resources, or carrying out an agreement item: PLANNED → IN_PROGRESS → COMPLETED | CANCELLED.",
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title (项目名称).' }),
    description: t.exposeString('description', { nullable: true, description: 'Details (项目内容).' }),
    community: t.relation('community', { description: 'The community (所属社区).' }),
    need: t.relation('need', { nullable: true, description: 'The need it meets (对应需求).' }),
    agreementItem: t.relation('agreementItem', {
      nullable: true,
      description: 'The agreement item it carries out (对应共建事项).',
    }),
    resources: t.field({
      type: [ResourceItemRef],
      description: 'The resources it uses that you may see (使用资源).',
      select: (_a, _ctx, nested) => ({
        resources: {
          select: { resource: nested(true) },
          orderBy: [{ resource: { createdAt: 'asc' } }, { resourceId: 'asc' }],
        },
      }),
      // the links are read under ProjectResource's rule (project and resource both readable)
      resolve: (p) => p.resources.flatMap((r) => (r.resource ? [r.resource] : [])),
    }),
    status: t.expose('status', { type: ProjectStatusEnum, description: 'State (状态).' }),
    progress: t.exposeInt('progress', { description: 'Progress, 0–100 (进度百分比).' }),
    leadName: t.exposeString('leadName', { nullable: true, description: 'Project lead (项目负责人).' }),
    startsAt: t.expose('startsAt', { type: 'DateTime', nullable: true, description: 'Planned start (计划开始).' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: true, description: 'Planned end (计划结束).' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, description: 'Started at (实际开始).' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: 'Completed at (完成时间).' }),
    cancelReason: t.exposeString('cancelReason', { nullable: true, description: 'Why it was cancelled (取消原因).' }),
    milestones: t.relation('milestones', {
      query: { orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }] },
      description: 'Milestones in order (项目节点).',
    }),
    entries: t.relation('entries', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description: 'Progress entries and steps, oldest first (项目进展).',
    }),
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Created at (立项时间).' }),
  }),
})

const ProjectFilter = builder.inputType('ProjectFilter', {
  description: 'Filters for projects (项目筛选).',
  fields: (t) => ({
    status: anyStatus(t, ProjectStatusEnum),
    within: t.globalID({ required: false, for: RegionRef, description: 'In this region subtree (区划范围).' }),
    needId: t.globalID({ required: false, for: NeedItemRef, description: 'Meeting this need (需求).' }),
    unitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'With this unit contributing (参与单位).',
    }),
  }),
})

builder.queryFields((t) => ({
  projects: t.prismaConnection(
    {
      type: 'Project',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Projects with their progress, newest first (项目清单): officers their region's, unit contacts those their unit contributes to.",
      args: { filter: filterArg(t.arg, ProjectFilter) },
      ...rootList('project', ({ filter: f }: { filter?: typeof ProjectFilter.$inferInput | null }, _ctx: Context) => {
        const and: Prisma.ProjectWhereInput[] = [
          f?.status?.length ? { status: { in: f.status } } : {},
          f?.within ? { community: regionSubtrees([f.within.id])! } : {},
          f?.needId ? { needId: f.needId.id } : {},
          f?.unitId ? projectUnitWhere(f.unitId.id) : {},
        ]
        return {
          where: { AND: and },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.ProjectOrderByWithRelationInput[],
        }
      }),
    },
    COUNTED,
  ),
}))

const MilestoneInput = builder.inputType('ProjectMilestoneInput', {
  description: 'A milestone (项目节点).',
  fields: (t) => ({
    title: t.string({ required: true, description: 'Title (节点名称).' }),
    dueAt: t.field({ type: 'DateTime', required: false, description: 'Due (计划完成时间).' }),
  }),
})

const CreateProjectInput = builder.inputType('CreateProjectInput', {
  description:
    'Creates a project (项目立项) from an approved need claim or an active agreement item, using resources of the units involved (or resources the community claimed). Community officers.',
  fields: (t) => ({
    needClaimId: t.globalID({
      required: false,
      for: NeedClaimRef,
      description: 'The approved claim on the need (已通过的需求认领).',
    }),
    agreementItemId: t.globalID({
      required: false,
      for: AgreementItemRef,
      description: 'Or the agreement item (或共建事项).',
    }),
    communityId: t.globalID({
      required: false,
      for: RegionRef,
      description: "The community, for a street agreement's item (社区).",
    }),
    resourceIds: t.globalIDList({
      required: true,
      for: ResourceItemRef,
      description: 'The resources used, at least one (使用资源).',
    }),
    title: t.string({ required: true, description: 'Title (项目名称).' }),
    description: t.string({ required: false, description: 'Details (项目内容).' }),
    leadName: t.string({ required: false, description: 'Project lead (项目负责人).' }),
    startsAt: t.field({ type: 'DateTime', required: false, description: 'Planned start (计划开始).' }),
    endsAt: t.field({ type: 'DateTime', required: false, description: 'Planned end (计划结束).' }),
    milestones: t.field({ type: [MilestoneInput], required: false, description: 'Milestones in order (项目节点).' }),
  }),
})

const projectStepInput = stepInputs(ProjectRef, 'The project (项目).')

const StartProjectInput = projectStepInput('StartProjectInput', 'Starts a planned project (启动项目).', (t) => ({
  note: t.string({ required: false, description: 'Note (备注).' }),
}))

const CancelProjectInput = projectStepInput(
  'CancelProjectInput',
  'Cancels a project with a reason (取消项目); its resources are freed and its need handed back.',
  (t) => ({ reason: t.string({ required: true, description: 'Why (原因).' }) }),
)

const RecordProjectProgressInput = projectStepInput(
  'RecordProjectProgressInput',
  'Records progress (记录项目进展); 100 completes the project and marks its need done.',
  (t) => ({
    progress: t.int({ required: true, description: 'Progress now, 0–100 (进度百分比).' }),
    note: t.string({ required: true, description: 'What was done (进展说明).' }),
  }),
)

const AddProjectMilestoneInput = projectStepInput(
  'AddProjectMilestoneInput',
  'Adds a milestone at the end (增加项目节点).',
  (t) => ({
    title: t.string({ required: true, description: 'Title (节点名称).' }),
    dueAt: t.field({ type: 'DateTime', required: false, description: 'Due (计划完成时间).' }),
  }),
)

// names the milestone, with the version of its project: not a step input
const CompleteProjectMilestoneInput = builder.inputType('CompleteProjectMilestoneInput', {
  description: 'Marks a milestone done (完成项目节点); progress rises to the share of milestones done.',
  fields: (t) => ({
    milestoneId: t.globalID({ required: true, for: ProjectMilestoneRef, description: 'The milestone (节点).' }),
    version: t.int({ required: true, description: 'The version you read of its project (项目版本号).' }),
  }),
})

const projectMutation = rowMutations('Project', payload('project', 'The project after the change (变更后的项目).'))
projectMutation('createProject', {
  description: 'Creates a project (项目立项): community officers; the resources go IN_USE and the need IN_PROGRESS.',
  authScopes: { officer: true },
  input: CreateProjectInput,
  run: projects.createProject,
})
projectMutation('startProject', {
  description: "Starts a planned project (启动项目): the officer or a contributing unit's contact.",
  authScopes: { loggedIn: true },
  input: StartProjectInput,
  run: projects.startProject,
})
projectMutation('recordProjectProgress', {
  description: "Records progress (记录项目进展): the officer or a contributing unit's contact; 100 completes it.",
  authScopes: { loggedIn: true },
  input: RecordProjectProgressInput,
  run: projects.recordProjectProgress,
})
projectMutation('addProjectMilestone', {
  description: 'Adds a milestone (增加项目节点): the officer.',
  authScopes: { officer: true },
  input: AddProjectMilestoneInput,
  run: projects.addProjectMilestone,
})
projectMutation('completeProjectMilestone', {
  description: "Marks a milestone done (完成项目节点): the officer or a contributing unit's contact.",
  authScopes: { loggedIn: true },
  input: CompleteProjectMilestoneInput,
  run: projects.completeProjectMilestone,
})
projectMutation('cancelProject', {
  description: 'Cancels a project (取消项目): the officer.',
  authScopes: { officer: true },
  input: CancelProjectInput,
  run: projects.cancelProject,
})
