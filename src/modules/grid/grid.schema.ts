import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg, orderInput } from '../../shared/schema-fields.js'
import { DutyList, GridRole } from '../../generated/prisma/enums.js'
import type { GeoJSONPolygon } from '../../shared/scalars.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { NotFoundError } from '../../shared/errors.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { RegionRef } from './region.schema.js'
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

export const GridRef = builder.prismaNode('Grid', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Created at (创建时间).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last changed at (更新时间).' }),
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

const GridOrder = orderInput('GridOrder', 'Ordering of grids (网格排序).', GridOrderField, 'asc')

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
        filter: filterArg(t.arg, GridFilter),
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

const UpdateGridInput = stepInputs(GridRef, 'The grid (网格).')(
  'UpdateGridInput',
  'Changes to a grid; omitted fields stay (修改网格).',
  (t) => ({
    code: t.string({ required: false, description: 'New code (新编码).' }),
    name: t.string({ required: false, description: 'New name (新名称).' }),
    boundary: t.field({ type: 'GeoJSONPolygon', required: false, description: 'New boundary (新边界).' }),
    supervisionHotline: t.string({ required: false, description: 'New supervision hotline (新监督电话).' }),
  }),
)

const gridMutation = rowMutations('Grid', payload('grid', 'The grid (网格).'))
gridMutation('createGrid', {
  description: 'Creates a grid in a community you manage (新建网格).',
  authScopes: { officer: true },
  input: CreateGridInput,
  run: service.createGrid,
})
gridMutation('updateGrid', {
  description: 'Changes a grid you manage (修改网格).',
  authScopes: { officer: true },
  input: UpdateGridInput,
  run: service.updateGrid,
})

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
