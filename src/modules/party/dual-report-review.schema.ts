import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { timelineNote } from '../../shared/schema-fields.js'
import { BuildingRef } from '../grid/building.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { PartyOrgRef } from './party.schema.js'
import { ActiveReportExistsError } from './party.errors.js'
import * as reports from './dual-report.service.js'

import { DualReportRef, reportMutation } from './dual-report.schema.js'

const reportStepInput = stepInputs(DualReportRef, 'The report (双报到).')
const ApproveDualReportInput = reportStepInput(
  'ApproveDualReportInput',
  'Approves a submitted report into a grid of the community and, for members, its party branch (审核通过，编入网格).',
  (t) => ({
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
)
const RejectDualReportInput = reportStepInput(
  'RejectDualReportInput',
  'Sends a submitted report back with a reason (退回).',
  (t) => ({ reason: t.string({ required: true, description: 'Reason (原因).' }) }),
)
const WithdrawDualReportInput = reportStepInput(
  'WithdrawDualReportInput',
  'Withdraws a submitted or approved report (撤回报到).',
  (t) => ({ reason: t.string({ required: false, description: 'Reason (原因).' }) }),
)

const TransferDualReportInput = stepInputs(DualReportRef, 'The approved report (原报到).')(
  'TransferDualReportInput',
  "The member moved house (搬家转接): closes the approved report and submits one to the community of the new home, carrying this year's pledges.",
  (t) => ({
    homeBuildingId: t.globalID({
      required: true,
      for: BuildingRef,
      description: 'The new home building (新居住楼栋).',
    }),
    note: timelineNote(t),
  }),
)

reportMutation('approveDualReport', {
  description: "Approves a report into a grid (审核通过，编入网格): community officers of the report's community.",
  authScopes: { communityOfficer: true },
  input: ApproveDualReportInput,
  run: reports.approveDualReport,
})
reportMutation('rejectDualReport', {
  description: "Sends a report back with a reason (退回): community officers of the report's community.",
  authScopes: { communityOfficer: true },
  input: RejectDualReportInput,
  run: reports.rejectDualReport,
})
reportMutation('withdrawDualReport', {
  description: 'Withdraws a report (撤回报到): the reporter or a community officer.',
  authScopes: { loggedIn: true },
  input: WithdrawDualReportInput,
  run: reports.withdrawDualReport,
})

// the payload is the new report, not the one named in the input
rowMutations('DualReport', payload('report', 'The new report, in the new community (新社区的报到).'))(
  'transferDualReport',
  {
    description: 'Moves an approved member report to the community of a new home (搬家转接); returns the new report.',
    authScopes: { loggedIn: true },
    errors: [ActiveReportExistsError],
    input: TransferDualReportInput,
    run: reports.transferDualReport,
  },
)
