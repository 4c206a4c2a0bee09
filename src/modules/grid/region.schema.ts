import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg } from '../../shared/schema-fields.js'
import { RegionLevel } from '../../generated/prisma/enums.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import * as service from './grid.service.js'
import { anyFieldMatches } from '../../shared/search.js'

export const RegionLevelEnum = builder.enumType(RegionLevel, {
  name: 'RegionLevel',
  description:
    'Level of an administrative region (行政区划层级): city 市, district 区县, street 街道/镇, community 社区/村.',
})

export const RegionRef = builder.prismaNode('Region', {
  nullable: true,
  id: nodeId,
  description: 'Administrative region (行政区划): city, district, street or community, in one tree.',
  select: { id: true }, // only the columns a query asks for
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Administrative code, unique (区划代码).' }),
    name: t.exposeString('name', { description: 'Name (名称), e.g. 城关街道.' }),
    level: t.expose('level', { type: RegionLevelEnum, description: 'Level in the tree (层级).' }),
    parent: t.relation('parent', { nullable: true, description: 'The region above, if any (上级区划).' }),
    children: t.relatedConnection('children', {
      cursor: 'id',
      query: { orderBy: { code: 'asc' } },
      description: 'Regions directly below (下级区划).',
    }),
    grids: t.relatedConnection('grids', {
      cursor: 'id',
      query: { orderBy: { code: 'asc' } },
      description: 'Grids of this community (本社区网格).',
    }),
    compounds: t.relatedConnection('compounds', {
      cursor: 'id',
      description: 'Residential compounds of this community (小区).',
    }),
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Created at (创建时间).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last changed at (更新时间).' }),
  }),
})

export const CompoundRef = builder.prismaNode('Compound', {
  nullable: true,
  id: nodeId,
  description: 'Residential compound (小区) inside a community.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name (小区名称).' }),
    address: t.exposeString('address', { nullable: true, description: 'Address (地址).' }),
    community: t.relation('community', { description: 'The community it is in (所属社区).' }),
    buildings: t.relatedConnection('buildings', { cursor: 'id', description: 'Buildings of the compound (楼栋).' }),
    version: exposeVersion(t),
  }),
})

const RegionFilter = builder.inputType('RegionFilter', {
  description: 'Filters for regions (区划筛选).',
  fields: (t) => ({
    level: t.field({ type: RegionLevelEnum, required: false, description: 'Only this level (层级).' }),
    parentId: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Only direct children of this region (上级区划).',
    }),
    within: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Only regions in this subtree, itself included (子树).',
    }),
    search: t.string({ required: false, description: 'Name or code contains (名称或代码包含).' }),
  }),
})

builder.queryFields((t) => ({
  regions: t.prismaConnection(
    {
      type: 'Region',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        'Administrative regions, ordered by code (行政区划列表). Region names are public to signed-in users.',
      args: { filter: filterArg(t.arg, RegionFilter) },
      ...rootList('region', ({ filter }: { filter?: typeof RegionFilter.$inferInput | null }, _ctx: Context) => ({
        where: {
          AND: [
            filter?.level ? { level: filter.level } : {},
            filter?.parentId ? { parentId: filter.parentId.id } : {},
            filter?.within ? regionSubtrees([filter.within.id])! : {},
            anyFieldMatches(filter?.search, 'filter.search', ['name', 'code'] as const),
          ],
        } satisfies Prisma.RegionWhereInput,
        orderBy: [{ code: 'asc' }, { id: 'asc' }] satisfies Prisma.RegionOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
}))

const CreateRegionInput = builder.inputType('CreateRegionInput', {
  description: 'A new region under an existing one; its level is the one below the parent (新建下级区划).',
  fields: (t) => ({
    parentId: t.globalID({ required: true, for: RegionRef, description: 'Parent region (上级区划).' }),
    name: t.string({ required: true, description: 'Name (名称).' }),
    code: t.string({ required: true, description: 'Unique administrative code (区划代码).' }),
  }),
})

const UpdateRegionInput = stepInputs(RegionRef, 'The region (区划).')(
  'UpdateRegionInput',
  'Changes to a region; omitted fields stay (修改区划).',
  (t) => ({
    name: t.string({ required: false, description: 'New name (新名称).' }),
    code: t.string({ required: false, description: 'New code (新代码).' }),
  }),
)

const regionMutation = rowMutations('Region', payload('region', 'The region (区划).'))
regionMutation('createRegion', {
  description: 'Creates a region below one you manage (新建区划). Admins, or officers inside their subtree.',
  authScopes: { officer: true },
  input: CreateRegionInput,
  run: service.createRegion,
})
regionMutation('updateRegion', {
  description: 'Renames or recodes a region (修改区划).',
  authScopes: { officer: true },
  input: UpdateRegionInput,
  run: service.updateRegion,
})

const CreateCompoundInput = builder.inputType('CreateCompoundInput', {
  description: 'A new residential compound in a community (新建小区).',
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: RegionRef, description: 'The community (所属社区).' }),
    name: t.string({ required: true, description: 'Name (小区名称).' }),
    address: t.string({ required: false, description: 'Address (地址).' }),
  }),
})

const UpdateCompoundInput = stepInputs(CompoundRef, 'The compound (小区).')(
  'UpdateCompoundInput',
  'Changes a compound (修改小区).',
  (t) => ({
    name: t.string({ required: false, description: 'Name (小区名称).' }),
    address: t.string({ required: false, description: 'Address; null clears it (地址).' }),
  }),
)

const compoundMutation = rowMutations('Compound', payload('compound', 'The compound (小区).'))
compoundMutation('createCompound', {
  description: 'Creates a compound (新建小区). Admins and officers of the community.',
  authScopes: { officer: true },
  input: CreateCompoundInput,
  run: service.createCompound,
})
compoundMutation('updateCompound', {
  description: 'Changes a compound (修改小区).',
  authScopes: { officer: true },
  input: UpdateCompoundInput,
  run: service.updateCompound,
})
