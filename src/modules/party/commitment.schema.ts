import { builder } from '../../builder.js'
import { nodeId } from '../../shared/schema-fields.js'
import * as reports from './dual-report.service.js'

import { DualReportRef, reportMutation } from './dual-report.schema.js'
import { ServiceItemRef } from './catalog.schema.js'

export const CommitmentRef = builder.prismaNode('Commitment', {
  nullable: true,
  id: nodeId,
  description:
    'A pledge (亮承诺): what the member or unit commits to do in a year, from the catalogue or in free text.',
  fields: (t) => ({
    report: t.relation('report', { description: 'The dual report it belongs to (所属报到).' }),
    item: t.relation('item', { nullable: true, description: 'Catalogue item, if chosen from it (服务项目).' }),
    title: t.exposeString('title', { description: 'What is pledged (承诺事项).' }),
    description: t.exposeString('description', { nullable: true, description: 'Details (承诺内容).' }),
    hoursPerYear: t.exposeFloat('hoursPerYear', {
      nullable: true,
      description: 'Members: service hours pledged for the year (年度承诺服务时长).',
    }),
    year: t.exposeInt('year', { description: 'The year pledged for (承诺年度).' }),
    cancelledAt: t.expose('cancelledAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Cancelled at, if cancelled (撤销时间).',
    }),
    cancelReason: t.exposeString('cancelReason', { nullable: true, description: 'Why it was cancelled (撤销原因).' }),
    version: t.exposeInt('version', { description: 'Version, bumped when cancelled (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Pledged at (承诺时间).' }),
  }),
})

const PledgeCommitmentInput = builder.inputType('PledgeCommitmentInput', {
  description: 'Adds a pledge to an active report (新增承诺).',
  fields: (t) => ({
    reportId: t.globalID({ required: true, for: DualReportRef, description: 'The report (双报到).' }),
    version: t.int({ required: true, description: 'The report version you read (读取时的版本号).' }),
    itemId: t.globalID({ required: false, for: ServiceItemRef, description: 'Catalogue item (服务项目).' }),
    title: t.string({ required: false, description: 'What is pledged (承诺事项).' }),
    description: t.string({ required: false, description: 'Details (承诺内容).' }),
    hoursPerYear: t.float({
      required: false,
      description: 'Service hours per year; required for members (年度服务时长).',
    }),
    year: t.int({ required: false, description: 'Year pledged for; this year by default (承诺年度).' }),
  }),
})

const CancelCommitmentInput = builder.inputType('CancelCommitmentInput', {
  description: 'Cancels a pledge; it stays on record (撤销承诺).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: CommitmentRef, description: 'The pledge (承诺).' }),
    version: t.int({ required: true, description: 'The version you read of its report (所属报到的版本号).' }),
    reason: t.string({ required: true, description: 'Why (原因).' }),
  }),
})

reportMutation('pledgeCommitment', {
  description: 'Adds a pledge to an active report (新增承诺): the reporter or a community officer.',
  authScopes: { loggedIn: true },
  input: PledgeCommitmentInput,
  run: reports.pledgeCommitment,
})
reportMutation('cancelCommitment', {
  description: 'Cancels a pledge (撤销承诺): the reporter or a community officer.',
  authScopes: { loggedIn: true },
  input: CancelCommitmentInput,
  run: reports.cancelCommitment,
})
