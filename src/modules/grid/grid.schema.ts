import { builder } from '../../builder.js'
import { DutyList, GridRole } from '../../generated/prisma/enums.js'
import { maskPhone, seesPerson } from '../../auth/personal-data.js'
import type { GeoJSONPolygon } from '../../shared/scalars.js'
import { OrderDirection } from '../../shared/scalars.schema.js'
import { decodeId } from '../../shared/relay.js'
import { payload } from '../../shared/mutations.js'
import { NotFoundError } from '../../shared/errors.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { CompoundRef, RegionRef } from './region.schema.js'
import * as service from './grid.service.js'
import { anyFieldMatches } from '../../shared/search.js'

export const GridRoleEnum = builder.enumType(GridRole, {
  name: 'GridRole',
  description:
    'Role of a person serving a grid (网格角色): LEADER 网格长, FULL_TIME 专职网格员, PART_TIME 兼职网格员, BUILDING_LEADER 楼栋长.',
})

export const DutyListEnum = builder.enumType(DutyList, {
  name: 'DutyList',
  description:
    'The five published duty lists of a grid (五张清单): FUNCTION 职能, SERVICE 服务, DATA 数据, RESPONSIBILITY 责任, PROCESS 流程.',
})

const BBoxRef = builder
  .objectRef<{ minLng: number; minLat: number; maxLng: number; maxLat: number }>('BoundingBox')
  .implement({
    description: 'Bounding box of a boundary, WGS84 (外接矩形).',
    fields: (t) => ({
      minLng: t.exposeFloat('minLng', { description: 'West longitude (最小经度).' }),
      minLat: t.exposeFloat('minLat', { description: 'South latitude (最小纬度).' }),
      maxLng: t.exposeFloat('maxLng', { description: 'East longitude (最大经度).' }),
      maxLat: t.exposeFloat('maxLat', { description: 'North latitude (最大纬度).' }),
    }),
  })

interface CardWorker {
  name: string
  role: GridRole
  phone: string | null
  duties: string | null
}
/** The card's own fields; other modules add theirs to PublicCardRef (the party module its reported members). */
interface PublicCard {
  gridId: string
  gridName: string
  gridCode: string
  communityName: string
  workers: CardWorker[]
  duties: { list: DutyList; title: string }[]
  supervisionHotline: string | null
}

const CardWorkerRef = builder.objectRef<CardWorker>('PublicCardWorker').implement({
  description: 'A person listed on the grid public card (公示牌人员).',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name (姓名).' }),
    role: t.expose('role', { type: GridRoleEnum, description: 'Role in the grid (网格角色).' }),
    phone: t.exposeString('phone', {
      nullable: true,
      description: 'Phone, masked unless your role needs it (电话，按角色脱敏).',
    }),
    duties: t.exposeString('duties', { nullable: true, description: 'What they do (职责).' }),
  }),
})

const CardDutyRef = builder.objectRef<{ list: DutyList; title: string }>('PublicCardDuty').implement({
  description: 'A duty item shown on the public card (公示职责).',
  fields: (t) => ({
    list: t.expose('list', { type: DutyListEnum, description: 'Which of the five lists (清单类别).' }),
    title: t.exposeString('title', { description: 'Title (事项).' }),
  }),
})

export const PublicCardRef = builder.objectRef<PublicCard>('GridPublicCard').implement({
  description:
    'Public contact card of a grid (网格公示牌 / 便民联系卡): who serves it, their duties, the supervision hotline.',
  fields: (t) => ({
    gridName: t.exposeString('gridName', { description: 'Grid name (网格名称).' }),
    gridCode: t.exposeString('gridCode', { description: 'Grid code (网格编码).' }),
    communityName: t.exposeString('communityName', { description: 'Community (所属社区).' }),
    workers: t.field({
      type: [CardWorkerRef],
      resolve: (c) => c.workers,
      description: 'Grid workers and building leaders (网格员、楼栋长).',
    }),
    duties: t.field({ type: [CardDutyRef], resolve: (c) => c.duties, description: 'Published duties (公示职责).' }),
    supervisionHotline: t.exposeString('supervisionHotline', {
      nullable: true,
      description: 'Supervision hotline (监督电话).',
    }),
  }),
})

export const GridRef = builder.prismaNode('Grid', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'Grid (网格): the basic management unit inside a community, with a boundary polygon.',
  // only the columns a query asks for (the boundary polygon is large): each field selects its own
  select: { id: true, communityId: true },
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Unique grid code (网格编码).' }),
    name: t.exposeString('name', { description: 'Name (网格名称).' }),
    community: t.relation('community', { description: 'The community the grid belongs to (所属社区).' }),
    boundary: t.field({
      type: 'GeoJSONPolygon',
      select: { boundary: true },
      resolve: (g) => g.boundary as unknown as GeoJSONPolygon,
      description: 'Boundary polygon (网格边界).',
    }),
    bbox: t.field({
      type: BBoxRef,
      select: { minLng: true, minLat: true, maxLng: true, maxLat: true },
      resolve: (g) => g,
      description: 'Bounding box of the boundary (外接矩形).',
    }),
    supervisionHotline: t.exposeString('supervisionHotline', {
      nullable: true,
      description: 'Supervision hotline shown on the public card (监督电话).',
    }),
    buildings: t.relatedConnection('buildings', {
      cursor: 'id',
      query: { orderBy: { name: 'asc' } },
      description: 'Buildings in the grid (楼栋).',
    }),
    assignments: t.relation('assignments', {
      args: {
        includeEnded: t.arg.boolean({ required: false, description: 'Also list ended assignments (含已结束).' }),
      },
      query: (args) => ({
        where: args.includeEnded ? {} : { endedAt: null },
        orderBy: [{ role: 'asc' }, { startedAt: 'asc' }],
      }),
      description: 'People serving the grid (网格人员配置); active ones unless includeEnded.',
    }),
    duties: t.relation('duties', {
      args: { list: t.arg({ type: DutyListEnum, required: false, description: 'Only this list (清单类别).' }) },
      query: (args) => ({
        where: { archived: false, ...(args.list ? { list: args.list } : {}) },
        orderBy: [{ list: 'asc' }, { sortOrder: 'asc' }],
      }),
      description: 'The five duty lists (五张清单), archived items left out.',
    }),
    publicCard: t.field({
      type: PublicCardRef,
      description: 'Public contact card (公示牌 / 便民联系卡).',
      select: {
        name: true,
        code: true,
        supervisionHotline: true,
        community: { select: { name: true } },
        communityId: true,
        assignments: {
          where: { endedAt: null },
          orderBy: { role: 'asc' },
          select: { role: true, duties: true, user: { select: { id: true, displayName: true, phone: true } } },
        },
        duties: {
          where: { archived: false },
          orderBy: [{ list: 'asc' }, { sortOrder: 'asc' }],
          select: { list: true, title: true },
        },
      },
      resolve: async (g, _a, ctx) => ({
        gridId: g.id,
        gridName: g.name,
        gridCode: g.code,
        communityName: g.community.name,
        supervisionHotline: g.supervisionHotline,
        workers: await Promise.all(
          g.assignments.map(async (a) => ({
            name: a.user.displayName,
            role: a.role,
            duties: a.duties,
            phone: (await seesPerson(ctx, { userId: a.user.id, communityIds: [g.communityId] }))
              ? a.user.phone
              : maskPhone(a.user.phone),
          })),
        ),
        duties: g.duties,
      }),
    }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Created at (创建时间).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last changed at (更新时间).' }),
  }),
})

export const BuildingRef = builder.prismaNode('Building', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'Building (楼栋) in a grid, optionally in a compound.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name, e.g. 3号楼 (楼栋名称).' }),
    address: t.exposeString('address', { nullable: true, description: 'Address (地址).' }),
    floors: t.exposeInt('floors', { nullable: true, description: 'Number of floors (层数).' }),
    households: t.exposeInt('households', { nullable: true, description: 'Number of households (户数).' }),
    grid: t.relation('grid', { description: 'The grid (所属网格).' }),
    compound: t.relation('compound', { nullable: true, description: 'The compound, if any (所属小区).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
  }),
})

export const GridAssignmentRef = builder.prismaNode('GridAssignment', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'A person serving a grid in a role (网格人员配置).',
  fields: (t) => ({
    grid: t.relation('grid', { description: 'The grid (网格).' }),
    user: t.relation('user', { description: 'The person (人员).' }),
    role: t.expose('role', { type: GridRoleEnum, description: 'Role (角色).' }),
    building: t.relation('building', {
      nullable: true,
      description: 'For building leaders: the building (楼栋长负责的楼栋).',
    }),
    duties: t.exposeString('duties', { nullable: true, description: 'Duties in free text (职责说明).' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'Since (开始时间).' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true, description: 'Ended at, if ended (结束时间).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
  }),
})

export const GridDutyRef = builder.prismaNode('GridDuty', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'An item of one of the five duty lists of a grid (网格清单事项).',
  fields: (t) => ({
    grid: t.relation('grid', { description: 'The grid (网格).' }),
    list: t.expose('list', { type: DutyListEnum, description: 'Which list (清单类别).' }),
    title: t.exposeString('title', { description: 'Title (事项).' }),
    content: t.exposeString('content', { description: 'Content (内容).' }),
    sortOrder: t.exposeInt('sortOrder', { description: 'Position in its list (排序).' }),
    archived: t.exposeBoolean('archived', { description: 'Withdrawn from publication (已撤下).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
  }),
})

const GridOrderField = builder.enumType('GridOrderField', {
  description: 'Sort key for grids (网格排序字段).',
  values: {
    CODE: { value: 'code', description: 'By code (按编码).' },
    NAME: { value: 'name', description: 'By name (按名称).' },
    CREATED_AT: { value: 'createdAt', description: 'By creation time (按创建时间).' },
  } as const,
})

const GridOrder = builder.inputType('GridOrder', {
  description: 'Ordering of grids (网格排序).',
  fields: (t) => ({
    field: t.field({ type: GridOrderField, required: true, description: 'Sort key (字段).' }),
    direction: t.field({
      type: OrderDirection,
      required: false,
      defaultValue: 'asc',
      description: 'Direction (方向).',
    }),
  }),
})

const GridFilter = builder.inputType('GridFilter', {
  description: 'Filters for grids (网格筛选).',
  fields: (t) => ({
    within: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Only grids inside this region subtree (区划范围).',
    }),
    search: t.string({ required: false, description: 'Name or code contains (名称或编码包含).' }),
    ids: t.globalIDList({ required: false, for: GridRef, description: 'Only these grids (指定网格).' }),
  }),
})

type GridListArgs = { filter?: typeof GridFilter.$inferInput | null; orderBy?: typeof GridOrder.$inferInput | null }

builder.queryFields((t) => ({
  grids: t.prismaConnection(
    {
      type: 'Grid',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        'Grids you may see (网格列表): admins all; officers and departments their region; grid workers their grids; residents, party members and units all (public).',
      args: {
        filter: t.arg({ type: GridFilter, required: false, description: 'Filters (筛选).' }),
        orderBy: t.arg({ type: GridOrder, required: false, description: 'Ordering, default by code (排序).' }),
      },
      ...rootList('grid', ({ filter, orderBy }: GridListArgs, _ctx: Context) => ({
        where: {
          AND: [
            filter?.within ? { community: regionSubtrees([filter.within.id])! } : {},
            anyFieldMatches(filter?.search, 'filter.search', ['name', 'code'] as const),
            filter?.ids ? { id: { in: filter.ids.map((g) => g.id) } } : {},
          ],
        } satisfies Prisma.GridWhereInput,
        orderBy: [
          { [orderBy?.field ?? 'code']: orderBy?.direction ?? 'asc' },
          { id: 'asc' },
        ] satisfies Prisma.GridOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
  gridAt: t.prismaField({
    type: 'Grid',
    nullable: true,
    authScopes: { loggedIn: true },
    description: 'The grid containing a point, or null (按坐标查所在网格). Longitude/latitude in WGS84.',
    args: {
      lng: t.arg.float({ required: true, description: 'Longitude (经度).' }),
      lat: t.arg.float({ required: true, description: 'Latitude (纬度).' }),
    },
    resolve: (query, _r, { lng, lat }, ctx) => service.gridAt(ctx, lng, lat, { query }),
  }),
}))

const CreateGridInput = builder.inputType('CreateGridInput', {
  description: 'A new grid in a community (新建网格).',
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: RegionRef, description: 'The community (所属社区).' }),
    code: t.string({ required: true, description: 'Unique code (网格编码).' }),
    name: t.string({ required: true, description: 'Name (名称).' }),
    boundary: t.field({ type: 'GeoJSONPolygon', required: true, description: 'Boundary polygon (边界).' }),
    supervisionHotline: t.string({ required: false, description: 'Supervision hotline (监督电话).' }),
  }),
})

const UpdateGridInput = builder.inputType('UpdateGridInput', {
  description: 'Changes to a grid; omitted fields stay (修改网格).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: GridRef, description: 'The grid (网格).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    code: t.string({ required: false, description: 'New code (新编码).' }),
    name: t.string({ required: false, description: 'New name (新名称).' }),
    boundary: t.field({ type: 'GeoJSONPolygon', required: false, description: 'New boundary (新边界).' }),
    supervisionHotline: t.string({ required: false, description: 'New supervision hotline (新监督电话).' }),
  }),
})

const BuildingFields = {
  name: 'Name, e.g. 3号楼 (楼栋名称).',
  address: 'Address (地址).',
  floors: 'Floors (层数).',
  households: 'Households (户数).',
} as const

const CreateBuildingInput = builder.inputType('CreateBuildingInput', {
  description: 'A new building in a grid (新建楼栋).',
  fields: (t) => ({
    gridId: t.globalID({ required: true, for: GridRef, description: 'The grid (所属网格).' }),
    compoundId: t.globalID({ required: false, for: CompoundRef, description: 'The compound, if any (所属小区).' }),
    name: t.string({ required: true, description: BuildingFields.name }),
    address: t.string({ required: false, description: BuildingFields.address }),
    floors: t.int({ required: false, description: BuildingFields.floors }),
    households: t.int({ required: false, description: BuildingFields.households }),
  }),
})

const UpdateBuildingInput = builder.inputType('UpdateBuildingInput', {
  description: 'Changes to a building; omitted fields stay (修改楼栋).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: BuildingRef, description: 'The building (楼栋).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    compoundId: t.globalID({ required: false, for: CompoundRef, description: 'The compound (所属小区).' }),
    name: t.string({ required: false, description: BuildingFields.name }),
    address: t.string({ required: false, description: BuildingFields.address }),
    floors: t.int({ required: false, description: BuildingFields.floors }),
    households: t.int({ required: false, description: BuildingFields.households }),
  }),
})

const AssignGridWorkerInput = builder.inputType('AssignGridWorkerInput', {
  description: 'Puts a person on a grid in a role (配置网格人员).',
  fields: (t) => ({
    gridId: t.globalID({ required: true, for: GridRef, description: 'The grid (网格).' }),
    userId: t.globalID({ required: true, description: 'The person (人员).' }),
    role: t.field({ type: GridRoleEnum, required: true, description: 'Role (角色).' }),
    buildingId: t.globalID({
      required: false,
      for: BuildingRef,
      description: 'For building leaders: the building (楼栋).',
    }),
    duties: t.string({ required: false, description: 'Duties in free text (职责说明).' }),
  }),
})

const VersionedIdInput = builder.inputType('EndGridAssignmentInput', {
  description: 'Ends an assignment; it stays in the history (结束人员配置).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: GridAssignmentRef, description: 'The assignment (人员配置).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
  }),
})

const CreateGridDutyInput = builder.inputType('CreateGridDutyInput', {
  description: "A new item in one of the grid's five lists (新增清单事项).",
  fields: (t) => ({
    gridId: t.globalID({ required: true, for: GridRef, description: 'The grid (网格).' }),
    list: t.field({ type: DutyListEnum, required: true, description: 'Which list (清单类别).' }),
    title: t.string({ required: true, description: 'Title (事项).' }),
    content: t.string({ required: true, description: 'Content (内容).' }),
    sortOrder: t.int({ required: false, description: 'Position (排序).' }),
  }),
})

const UpdateGridDutyInput = builder.inputType('UpdateGridDutyInput', {
  description: 'Changes to a duty item; archive it to withdraw it (修改或撤下清单事项).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: GridDutyRef, description: 'The duty item (事项).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    title: t.string({ required: false, description: 'Title (事项).' }),
    content: t.string({ required: false, description: 'Content (内容).' }),
    sortOrder: t.int({ required: false, description: 'Position (排序).' }),
    archived: t.boolean({ required: false, description: 'Withdraw from publication (撤下).' }),
  }),
})

/** The row id of an optional ID input, keeping null (clear) apart from absent (unchanged). */
const optionalId = (g: { typename: string; id: string } | null | undefined) => (g ? g.id : g)

builder.mutationFields((t) => ({
  createGrid: t.field({
    type: GridRef,
    description: 'Creates a grid in a community you manage (新建网格).',
    authScopes: { officer: true },
    errors: payload('grid', 'The grid (网格).'),
    args: { input: t.arg({ type: CreateGridInput, required: true }) },
    resolve: (_r, { input }, ctx) => service.createGrid(ctx, { ...input, communityId: input.communityId.id }),
  }),
  updateGrid: t.field({
    type: GridRef,
    description: 'Changes a grid you manage (修改网格).',
    authScopes: { officer: true },
    errors: payload('grid', 'The grid (网格).'),
    args: { input: t.arg({ type: UpdateGridInput, required: true }) },
    resolve: (_r, { input }, ctx) => service.updateGrid(ctx, { ...input, id: input.id.id }),
  }),
  createBuilding: t.field({
    type: BuildingRef,
    description: "Records a building in a grid (新建楼栋). Officers, or the grid's own workers.",
    authScopes: { officer: true, gridWorker: true },
    errors: payload('building', 'The building (楼栋).'),
    args: { input: t.arg({ type: CreateBuildingInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      service.createBuilding(ctx, {
        ...input,
        gridId: input.gridId.id,
        compoundId: optionalId(input.compoundId),
      }),
  }),
  updateBuilding: t.field({
    type: BuildingRef,
    description: 'Changes a building (修改楼栋).',
    authScopes: { officer: true, gridWorker: true },
    errors: payload('building', 'The building (楼栋).'),
    args: { input: t.arg({ type: UpdateBuildingInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      service.updateBuilding(ctx, {
        ...input,
        id: input.id.id,
        compoundId: optionalId(input.compoundId),
      }),
  }),
  assignGridWorker: t.field({
    type: GridAssignmentRef,
    description: 'Puts a person on a grid (配置网格人员). One leader per grid.',
    authScopes: { officer: true },
    errors: payload('assignment', 'The assignment (人员配置).'),
    args: { input: t.arg({ type: AssignGridWorkerInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      service.assignGridWorker(ctx, {
        ...input,
        gridId: input.gridId.id,
        userId: decodeId(input.userId, 'User', 'userId'),
        buildingId: optionalId(input.buildingId),
      }),
  }),
  endGridAssignment: t.field({
    type: GridAssignmentRef,
    description: 'Ends an assignment (结束人员配置).',
    authScopes: { officer: true },
    errors: payload('assignment', 'The assignment (人员配置).'),
    args: { input: t.arg({ type: VersionedIdInput, required: true }) },
    resolve: (_r, { input }, ctx) => service.endGridAssignment(ctx, { ...input, id: input.id.id }),
  }),
  createGridDuty: t.field({
    type: GridDutyRef,
    description: 'Adds a duty item to a grid list (新增清单事项).',
    authScopes: { officer: true },
    errors: payload('duty', 'The duty item (清单事项).'),
    args: { input: t.arg({ type: CreateGridDutyInput, required: true }) },
    resolve: (_r, { input }, ctx) => service.createGridDuty(ctx, { ...input, gridId: input.gridId.id }),
  }),
  updateGridDuty: t.field({
    type: GridDutyRef,
    description: 'Changes or withdraws a duty item (修改清单事项).',
    authScopes: { officer: true },
    errors: payload('duty', 'The duty item (清单事项).'),
    args: { input: t.arg({ type: UpdateGridDutyInput, required: true }) },
    resolve: (_r, { input }, ctx) => service.updateGridDuty(ctx, { ...input, id: input.id.id }),
  }),
}))

builder.subscriptionFields((t) => ({
  gridUpdated: t.prismaField({
    type: 'Grid',
    description: 'Pushes a grid each time it or its duty lists change (网格变更推送).',
    authScopes: { loggedIn: true },
    args: { id: t.arg.globalID({ required: true, for: GridRef, description: 'The grid to watch (网格).' }) },
    subscribe: (_root, { id }, ctx) => service.subscribeGridUpdates(ctx, id.id) as never,
    resolve: async (query, payload: { id: string }, _args, ctx) => {
      const grid = await ctx.reader.grid.findUnique({ ...query, where: { id: payload.id } })
      if (!grid) throw new NotFoundError('Grid', payload.id)
      return grid
    },
  }),
}))
