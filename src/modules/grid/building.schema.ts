import { builder } from '../../builder.js'
import { nodeId, exposeVersion } from '../../shared/schema-fields.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { CompoundRef } from './region.schema.js'
import * as service from './grid.service.js'

import { GridRef } from './grid.schema.js'

export const BuildingRef = builder.prismaNode('Building', {
  nullable: true,
  id: nodeId,
  description: 'Building (楼栋) in a grid, optionally in a compound.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name, e.g. 3号楼 (楼栋名称).' }),
    address: t.exposeString('address', { nullable: true, description: 'Address (地址).' }),
    floors: t.exposeInt('floors', { nullable: true, description: 'Number of floors (层数).' }),
    households: t.exposeInt('households', { nullable: true, description: 'Number of households (户数).' }),
    grid: t.relation('grid', { description: 'The grid (所属网格).' }),
    compound: t.relation('compound', { nullable: true, description: 'The compound, if any (所属小区).' }),
    version: exposeVersion(t),
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

const UpdateBuildingInput = stepInputs(BuildingRef, 'The building (楼栋).')(
  'UpdateBuildingInput',
  'Changes to a building; omitted fields stay (修改楼栋).',
  (t) => ({
    compoundId: t.globalID({ required: false, for: CompoundRef, description: 'The compound (所属小区).' }),
    name: t.string({ required: false, description: BuildingFields.name }),
    address: t.string({ required: false, description: BuildingFields.address }),
    floors: t.int({ required: false, description: BuildingFields.floors }),
    households: t.int({ required: false, description: BuildingFields.households }),
  }),
)

const buildingMutation = rowMutations('Building', payload('building', 'The building (楼栋).'))
buildingMutation('createBuilding', {
  description: "Records a building in a grid (新建楼栋). Officers, or the grid's own workers.",
  authScopes: { officer: true, gridWorker: true },
  input: CreateBuildingInput,
  run: service.createBuilding,
})
buildingMutation('updateBuilding', {
  description: 'Changes a building (修改楼栋).',
  authScopes: { officer: true, gridWorker: true },
  input: UpdateBuildingInput,
  run: service.updateBuilding,
})
