import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg } from '../../shared/schema-fields.js'
import { PartyOrgLevel } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { maskPhone, seesPerson } from '../../auth/personal-data.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { BuildingRef } from '../grid/building.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as party from './party.service.js'
import { anyFieldMatches } from '../../shared/search.js'

export const PartyOrgLevelEnum = builder.enumType(PartyOrgLevel, {
  name: 'PartyOrgLevel',
  description:
    'Level of a party organisation (党组织层级): STREET_WORKING_COMMITTEE 街道党工委, COMMUNITY_COMMITTEE 社区党委, GRID_BRANCH 网格党支部, BUILDING_GROUP 楼栋党小组, UNIT_ORG 单位党组织.',
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

export const PartyOrgRef = builder.prismaNode('PartyOrg', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Created at (创建时间).' }),
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

/** `where` on PartyOrg: the organisation and those under it (a path holds every ancestor's id), no lookup. */
export const orgSubtree = (id: string): Prisma.PartyOrgWhereInput => ({ path: { contains: `/${id}/` } })

builder.queryFields((t) => ({
  partyOrgs: t.prismaConnection(
    {
      type: 'PartyOrg',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        'Party organisations, the chain from the street down then units (党组织列表，按层级); walk the tree with parentId or `children`.',
      args: { filter: filterArg(t.arg, PartyOrgFilter) },
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

const UpdatePartyOrgInput = stepInputs(PartyOrgRef, 'The organisation (党组织).')(
  'UpdatePartyOrgInput',
  'Changes to a party organisation; omitted fields stay (修改党组织).',
  (t) => ({
    name: t.string({ required: false, description: 'New name (新名称).' }),
    secretaryName: t.string({ required: false, description: 'Secretary (书记).' }),
    contactPhone: t.string({ required: false, description: 'Contact phone (联系电话).' }),
    active: t.boolean({ required: false, description: 'false dissolves it; it stays on record (撤销).' }),
  }),
)

const orgMutation = rowMutations('PartyOrg', payload('org', 'The organisation (党组织).'))
orgMutation('createPartyOrg', {
  description:
    'Creates a party organisation (新建党组织): street officers the whole chain of their street, community officers grid branches, building groups and unit organisations of their community.',
  authScopes: { officer: true },
  input: CreatePartyOrgInput,
  run: party.createPartyOrg,
})
orgMutation('updatePartyOrg', {
  description: 'Renames, re-staffs or dissolves a party organisation (修改党组织).',
  authScopes: { officer: true },
  input: UpdatePartyOrgInput,
  run: party.updatePartyOrg,
})
