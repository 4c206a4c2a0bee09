import { builder } from '../../builder.js'
import { nodeId, exposeVersion } from '../../shared/schema-fields.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import * as service from './grid.service.js'

import { BuildingRef } from './building.schema.js'
import { GridRef, GridRoleEnum } from './grid.schema.js'

export const GridAssignmentRef = builder.prismaNode('GridAssignment', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
  }),
})

const AssignGridWorkerInput = builder.inputType('AssignGridWorkerInput', {
  description: 'Puts a person on a grid in a role (配置网格人员).',
  fields: (t) => ({
    gridId: t.globalID({ required: true, for: GridRef, description: 'The grid (网格).' }),
    // a User: the grid module may not import the directory's type, so the mutation checks it (idTypes)
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

const VersionedIdInput = stepInputs(GridAssignmentRef, 'The assignment (人员配置).')(
  'EndGridAssignmentInput',
  'Ends an assignment; it stays in the history (结束人员配置).',
)

const assignmentMutation = rowMutations('GridAssignment', payload('assignment', 'The assignment (人员配置).'))
assignmentMutation('assignGridWorker', {
  description: 'Puts a person on a grid (配置网格人员). One leader per grid.',
  authScopes: { officer: true },
  input: AssignGridWorkerInput,
  idTypes: { userId: 'User' },
  run: service.assignGridWorker,
})
assignmentMutation('endGridAssignment', {
  description: 'Ends an assignment (结束人员配置).',
  authScopes: { officer: true },
  input: VersionedIdInput,
  run: service.endGridAssignment,
})
