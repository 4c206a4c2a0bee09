import { builder } from '../../builder.js'
import { readVersion, timelineNote } from '../../shared/schema-fields.js'
import { BuildingRef } from '../grid/building.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { PartyOrgRef } from './party.schema.js'
import * as reports from './dual-report.service.js'

import { DualReportRef, reportResult, withActiveSlot } from './dual-report.schema.js'

const ApproveDualReportInput = builder.inputType('ApproveDualReportInput', {
  description:
    'Approves a submitted report into a grid of the community and, for members, its party branch (审核通过，编入网格).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DualReportRef, description: 'The report (双报到).' }),
    version: readVersion(t),
    gridId: t.globalID({ required: true, for: GridRef, description: 'Grid to serve in (编入网格).' }),
    branchId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: "Members: grid party branch; defaults to the grid's (网格党支部).",
    }),
    serviceRole: t.string({
      required: false,
      description: 'Role shown on the public card, e.g. 楼栋党员联络员 (服务岗位).',
    }),
    note: timelineNote(t),
  }),
})

const reasonInput = (name: string, description: string, required: boolean) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.globalID({ required: true, for: DualReportRef, description: 'The report (双报到).' }),
      version: readVersion(t),
      reason: t.string({ required, description: 'Reason (原因).' }),
    }),
  })

const RejectDualReportInput = reasonInput(
  'RejectDualReportInput',
  'Sends a submitted report back with a reason (退回).',
  true,
)
const WithdrawDualReportInput = reasonInput(
  'WithdrawDualReportInput',
  'Withdraws a submitted or approved report (撤回报到).',
  false,
)

const TransferDualReportInput = builder.inputType('TransferDualReportInput', {
  description:
    "The member moved house (搬家转接): closes the approved report and submits one to the community of the new home, carrying this year's pledges.",
  fields: (t) => ({
    id: t.globalID({ required: true, for: DualReportRef, description: 'The approved report (原报到).' }),
    version: readVersion(t),
    homeBuildingId: t.globalID({
      required: true,
      for: BuildingRef,
      description: 'The new home building (新居住楼栋).',
    }),
    note: timelineNote(t),
  }),
})

builder.mutationFields((t) => ({
  approveDualReport: t.field({
    type: DualReportRef,
    description: "Approves a report into a grid (审核通过，编入网格): community officers of the report's community.",
    authScopes: { communityOfficer: true },
    errors: reportResult,
    args: { input: t.arg({ type: ApproveDualReportInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reports.approveDualReport(ctx, {
        ...input,
        id: input.id.id,
        gridId: input.gridId.id,
        branchId: input.branchId?.id ?? null,
      }),
  }),
  rejectDualReport: t.field({
    type: DualReportRef,
    description: "Sends a report back with a reason (退回): community officers of the report's community.",
    authScopes: { communityOfficer: true },
    errors: reportResult,
    args: { input: t.arg({ type: RejectDualReportInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reports.rejectDualReport(ctx, { ...input, id: input.id.id, reason: input.reason ?? '' }),
  }),
  withdrawDualReport: t.field({
    type: DualReportRef,
    description: 'Withdraws a report (撤回报到): the reporter or a community officer.',
    authScopes: { loggedIn: true },
    errors: reportResult,
    args: { input: t.arg({ type: WithdrawDualReportInput, required: true }) },
    resolve: (_r, { input }, ctx) => reports.withdrawDualReport(ctx, { ...input, id: input.id.id }),
  }),
  transferDualReport: t.field({
    type: DualReportRef,
    description: 'Moves an approved member report to the community of a new home (搬家转接); returns the new report.',
    authScopes: { loggedIn: true },
    errors: {
      ...withActiveSlot,
      dataField: { name: 'report', description: 'The new report, in the new community (新社区的报到).' },
    },
    args: { input: t.arg({ type: TransferDualReportInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reports.transferDualReport(ctx, {
        ...input,
        id: input.id.id,
        homeBuildingId: input.homeBuildingId.id,
      }),
  }),
}))
