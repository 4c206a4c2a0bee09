// Builds party state through the API, chainable: register a member → submit → approve → record
// service. Lookups of the seeded territory go by role and scope, not by name.
import type { TestApp } from '../helpers/app.js'
import { globalId, twoCommunities } from '../helpers/fixtures.js'
import { idNumberCheck } from '../../src/modules/party/id-number.js'
import { Failure, graphql, must, type ResultOf, type VariablesOf } from '../helpers/graphql.js'

const Report =
  graphql(`fragment ReportFields on DualReport { id kind status version reason serviceRole community { id name } grid { id code } branch { id name }
  member { id name } commitments { id title hoursPerYear year } transferredFrom { id status } transferredTo { id status }
  timeline { action fromStatus toStatus note actor { username } } }`)

export const PARTY_MUTATIONS = {
  submit: graphql(
    `mutation($input: SubmitDualReportInput!) { submitDualReport(input: $input) { __typename
    ... on SubmitDualReportPayload { report { ...ReportFields } } ... on ActiveReportExists { existingReportId } ...Failure } }`,
    [Report, Failure],
  ),
  approve: graphql(
    `mutation($input: ApproveDualReportInput!) { approveDualReport(input: $input) { __typename
    ... on ApproveDualReportPayload { report { ...ReportFields } } ...Failure } }`,
    [Report, Failure],
  ),
  reject: graphql(
    `mutation($input: RejectDualReportInput!) { rejectDualReport(input: $input) { __typename
    ... on RejectDualReportPayload { report { ...ReportFields } } ...Failure } }`,
    [Report, Failure],
  ),
  withdraw: graphql(
    `mutation($input: WithdrawDualReportInput!) { withdrawDualReport(input: $input) { __typename
    ... on WithdrawDualReportPayload { report { ...ReportFields } } ...Failure } }`,
    [Report, Failure],
  ),
  transfer: graphql(
    `mutation($input: TransferDualReportInput!) { transferDualReport(input: $input) { __typename
    ... on TransferDualReportPayload { report { ...ReportFields } } ... on ActiveReportExists { existingReportId } ...Failure } }`,
    [Report, Failure],
  ),
  pledge: graphql(
    `mutation($input: PledgeCommitmentInput!) { pledgeCommitment(input: $input) { __typename
    ... on PledgeCommitmentPayload { report { ...ReportFields } } ...Failure } }`,
    [Report, Failure],
  ),
  cancel: graphql(
    `mutation($input: CancelCommitmentInput!) { cancelCommitment(input: $input) { __typename
    ... on CancelCommitmentPayload { report { ...ReportFields } } ...Failure } }`,
    [Report, Failure],
  ),
  createMember: graphql(`mutation($input: CreatePartyMemberInput!) { createPartyMember(input: $input) { __typename
    ... on CreatePartyMemberPayload { member { id name version phone idNumber homeCommunity { id } } } ... on Error { code message } } }`),
  record: graphql(`mutation($input: RecordPartyServiceInput!) { recordPartyService(input: $input) { __typename
    ... on RecordPartyServicePayload { record { id kind hours year } } ... on Error { code message } } }`),
  feedback:
    graphql(`mutation($input: SendPerformanceFeedbackInput!) { sendPerformanceFeedback(input: $input) { __typename
    ... on SendPerformanceFeedbackPayload { feedback { id year rating hours commitmentsMet commitmentsTotal toOrg { id } } } ... on Error { code message } } }`),
}

/** The `input` a mutation of PARTY_MUTATIONS takes. */
export type PartyInput<K extends keyof typeof PARTY_MUTATIONS> = VariablesOf<(typeof PARTY_MUTATIONS)[K]>['input']

/** A dual report as the report mutations return it. */
export type ReportState = ResultOf<typeof Report>

/** A dual report driven through its life; each step keeps the report as the API returned it. */
export function reportFactory(t: TestApp, tokens: { reporter: string; officer: string }) {
  let current: ReportState
  const self = {
    get report() {
      return current
    },
    async submit(input: Partial<PartyInput<'submit'>>) {
      current = await must(t, tokens.reporter, PARTY_MUTATIONS.submit, { kind: 'MEMBER', ...input })
      return self
    },
    async approve(gridId: string, extra: Partial<PartyInput<'approve'>> = {}) {
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
    async pledge(input: Partial<PartyInput<'pledge'>>) {
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
  extra: Partial<PartyInput<'createMember'>> = {},
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
