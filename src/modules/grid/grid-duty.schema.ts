import { builder } from '../../builder.js'
import { nodeId, exposeVersion } from '../../shared/schema-fields.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import * as service from './grid.service.js'

import { DutyListEnum, GridRef } from './grid.schema.js'

export const GridDutyRef = builder.prismaNode('GridDuty', {
  nullable: true,
  id: nodeId,
  description: 'An item of one of the five duty lists of a grid (网格清单事项).',
  fields: (t) => ({
    grid: t.relation('grid', { description: 'The grid (网格).' }),
    list: t.expose('list', { type: DutyListEnum, description: 'Which list (清单类别).' }),
    title: t.exposeString('title', { description: 'Title (事项).' }),
    content: t.exposeString('content', { description: 'Content (内容).' }),
    sortOrder: t.exposeInt('sortOrder', { description: 'Position in its list (排序).' }),
    archived: t.exposeBoolean('archived', { description: 'Withdrawn from publication (已撤下).' }),
    version: exposeVersion(t),
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

const UpdateGridDutyInput = stepInputs(GridDutyRef, 'The duty item (事项).')(
  'UpdateGridDutyInput',
  'Changes to a duty item; archive it to withdraw it (修改或撤下清单事项).',
  (t) => ({
    title: t.string({ required: false, description: 'Title (事项).' }),
    content: t.string({ required: false, description: 'Content (内容).' }),
    sortOrder: t.int({ required: false, description: 'Position (排序).' }),
    archived: t.boolean({ required: false, description: 'Withdraw from publication (撤下).' }),
  }),
)

const dutyMutation = rowMutations('GridDuty', payload('duty', 'The duty item (清单事项).'))
dutyMutation('createGridDuty', {
  description: 'Adds a duty item to a grid list (新增清单事项).',
  authScopes: { officer: true },
  input: CreateGridDutyInput,
  run: service.createGridDuty,
})
dutyMutation('updateGridDuty', {
  description: 'Changes or withdraws a duty item (修改清单事项).',
  authScopes: { officer: true },
  input: UpdateGridDutyInput,
  run: service.updateGridDuty,
})
