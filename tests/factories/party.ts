// Builds party state through the API, chainable: register a member → submit → approve → record
// service. Lookups of the seeded territory go by role and scope, not by name.
import type { TestApp } from '../helpers/app.js'
import { globalId, twoCommunities } from '../helpers/fixtures.js'
import { idNumberCheck } from '../../src/modules/party/id-number.js'
import { must } from '../helpers/graphql.js'

export const REPORT_FIELDS = `id kind status version reason serviceRole community { id name } grid { id code } branch { id name }
  member { id name } commitments { id title hoursPerYear year } transferredFrom { id status } transferredTo { id status }
  timeline { action fromStatus toStatus note actor { username } }`

const reportMutation = (field: string, input: string, extra = '') =>
  `mutation($input: ${input}!) { ${field}(input: $input) { __typename ... on ${field.charAt(0).toUpperCase()}${field.slice(1)}Payload { report { ${REPORT_FIELDS} } }
    ${extra} ... on StaleVersion { expectedVersion actualVersion } ... on InvalidTransition { from action } ... on Error { code message } } }`
const activeSlot = '... on ActiveReportExists { existingReportId }'

export const PARTY_MUTATIONS = {
  submit: reportMutation('submitDualReport', 'SubmitDualReportInput', activeSlot),
  approve: reportMutation('approveDualReport', 'ApproveDualReportInput'),
  reject: reportMutation('rejectDualReport', 'RejectDualReportInput'),
  withdraw: reportMutation('withdrawDualReport', 'WithdrawDualReportInput'),
  transfer: reportMutation('transferDualReport', 'TransferDualReportInput', activeSlot),
  pledge: reportMutation('pledgeCommitment', 'PledgeCommitmentInput'),
  cancel: reportMutation('cancelCommitment', 'CancelCommitmentInput'),
  createMember: `mutation($input: CreatePartyMemberInput!) { createPartyMember(input: $input) { __typename
    ... on CreatePartyMemberPayload { member { id name version phone idNumber homeCommunity { id } } } ... on Error { code message } } }`,
  record: `mutation($input: RecordPartyServiceInput!) { recordPartyService(input: $input) { __typename
    ... on RecordPartyServicePayload { record { id kind hours year } } ... on Error { code message } } }`,
  feedback: `mutation($input: SendPerformanceFeedbackInput!) { sendPerformanceFeedback(input: $input) { __typename
    ... on SendPerformanceFeedbackPayload { feedback { id year rating hours commitmentsMet commitmentsTotal toOrg { id } } } ... on Error { code message } } }`,
}

export interface ReportState {
  id: string
  status: string
  version: number
  grid: { id: string; code: string } | null
  [k: string]: any
}

/** A dual report driven through its life; each step keeps the report as the API returned it. */
export function reportFactory(t: TestApp, tokens: { reporter: string; officer: string }) {
  let current: ReportState
  const self = {
    get report() {
      return current
    },
    async submit(input: Record<string, unknown>) {
      current = await must(t, tokens.reporter, PARTY_MUTATIONS.submit, { kind: 'MEMBER', ...input })
      return self
    },
    async approve(gridId: string, extra: Record<string, unknown> = {}) {
      current = await must(t, tokens.officer, PARTY_MUTATIONS.approve, {
        id: current.id,
        version: current.version,
        gridId,
        ...extra,
      })
      return self
    },
    async reject(reason: string) {
      current = await must(t, tokens.officer, PARTY_MUTATIONS.reject, {
        id: current.id,
        version: current.version,
        reason,
      })
      return self
    },
    async withdraw(token = tokens.reporter, reason?: string) {
      current = await must(t, token, PARTY_MUTATIONS.withdraw, { id: current.id, version: current.version, reason })
      return self
    },
    async transfer(homeBuildingId: string, token = tokens.reporter) {
      current = await must(t, token, PARTY_MUTATIONS.transfer, {
        id: current.id,
        version: current.version,
        homeBuildingId,
      })
      return self
    },
    async pledge(input: Record<string, unknown>) {
      current = await must(t, tokens.reporter, PARTY_MUTATIONS.pledge, {
        reportId: current.id,
        version: current.version,
        ...input,
      })
      return self
    },
  }
  return self
}

/** Two communities of the demo street, their officers' tokens, a grid and a building of each. */
export async function partyWorld(t: TestApp) {
  const { a, b, officerA, officerB } = await twoCommunities(t.prisma)
  const building = async (gridId: string) =>
    t.prisma.building.findFirstOrThrow({ where: { gridId }, orderBy: { name: 'asc' } })
  const [gridA, gridB] = [a.grids[0]!, b.grids[0]!]
  return {
    a,
    b,
    gridA,
    gridB,
    buildingA: await building(gridA.id),
    buildingB: await building(gridB.id),
    officerA: await t.tokenFor(officerA.username),
    officerB: await t.tokenFor(officerB.username),
  }
}

let serial = 0

/** A fresh member registered by a community officer, living in `buildingId`, with a valid ID number. */
export async function registerMember(
  t: TestApp,
  officer: string,
  buildingId: string,
  extra: Record<string, unknown> = {},
) {
  serial++
  const first17 = `110105${1970 + (serial % 30)}0${1 + (serial % 9)}1${serial % 10}${String(100 + ((process.pid * 7 + serial * 2) % 899)).padStart(3, '0')}`
  return must(t, officer, PARTY_MUTATIONS.createMember, {
    name: `测试党员${serial}`,
    phone: `139${String(10_000_000 + serial * 7919 + (process.pid % 1000)).slice(-8)}`,
    idNumber: first17 + idNumberCheck(first17),
    homeBuildingId: globalId('Building', buildingId),
    skills: ['法律咨询'],
    ...extra,
  })
}

/** Catalogue item ids by code. */
export async function serviceItem(t: TestApp, code: string) {
  return globalId('ServiceItem', (await t.prisma.serviceItem.findUniqueOrThrow({ where: { code } })).id)
}

export { rowId } from '../helpers/fixtures.js'
