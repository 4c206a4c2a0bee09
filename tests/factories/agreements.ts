// Builds joint-construction state through the API: agreements driven through their life, needs,
// claims, resources and projects. Lookups of the seeded territory go by role and scope.
import type { TestApp } from '../helpers/app.js'
import { globalId, twoCommunities } from '../helpers/fixtures.js'
import { Failure, graphql, must, type VariablesOf } from '../helpers/graphql.js'

const Agreement =
  graphql(`fragment AgreementFields on JointAgreement { id status version title startsAt endsAt signedAt activatedAt closedAt terminationReason
  parties { unit { id name } signatoryName } items { id kind title progress version unit { id } orgLeadPhone unitLeadPhone }
  timeline { action fromStatus toStatus note actor { username } } }`)
const NeedClaim = graphql(`fragment NeedClaimFields on NeedClaim { id status version reason unit { id } }`)
const Review = graphql(
  `fragment ReviewFields on AgreementReview { id year unitReport score comment version unit { id } }`,
)
const Project =
  graphql(`fragment ProjectFields on Project { id status progress version need { id status } resources { id status }
  milestones { id title doneAt } entries { progress note } }`)

export const AGREEMENT_MUTATIONS = {
  create: graphql(
    `mutation($input: CreateJointAgreementInput!) { createJointAgreement(input: $input) { __typename ...Failure ... on CreateJointAgreementPayload { agreement { ...AgreementFields } } } }`,
    [Failure, Agreement],
  ),
  update: graphql(
    `mutation($input: UpdateJointAgreementInput!) { updateJointAgreement(input: $input) { __typename ...Failure ... on UpdateJointAgreementPayload { agreement { ...AgreementFields } } } }`,
    [Failure, Agreement],
  ),
  confirm: graphql(
    `mutation($input: ConfirmAgreementPartyInput!) { confirmAgreementParty(input: $input) { __typename ...Failure ... on ConfirmAgreementPartyPayload { agreement { ...AgreementFields } } } }`,
    [Failure, Agreement],
  ),
  sign: graphql(
    `mutation($input: SignJointAgreementInput!) { signJointAgreement(input: $input) { __typename ...Failure ... on SignJointAgreementPayload { agreement { ...AgreementFields } } } }`,
    [Failure, Agreement],
  ),
  activate: graphql(
    `mutation($input: ActivateJointAgreementInput!) { activateJointAgreement(input: $input) { __typename ...Failure ... on ActivateJointAgreementPayload { agreement { ...AgreementFields } } } }`,
    [Failure, Agreement],
  ),
  terminate: graphql(
    `mutation($input: TerminateJointAgreementInput!) { terminateJointAgreement(input: $input) { __typename ...Failure ... on TerminateJointAgreementPayload { agreement { ...AgreementFields } } } }`,
    [Failure, Agreement],
  ),
  progress: graphql(
    `mutation($input: RecordAgreementProgressInput!) { recordAgreementProgress(input: $input) { __typename ...Failure ... on RecordAgreementProgressPayload { item { id progress version entries { progress note } } } } }`,
    [Failure],
  ),
  report: graphql(
    `mutation($input: SubmitAgreementReportInput!) { submitAgreementReport(input: $input) { __typename ...Failure ... on SubmitAgreementReportPayload { review { ...ReviewFields } } } }`,
    [Failure, Review],
  ),
  review: graphql(
    `mutation($input: ReviewAgreementUnitInput!) { reviewAgreementUnit(input: $input) { __typename ...Failure ... on ReviewAgreementUnitPayload { review { ...ReviewFields } } } }`,
    [Failure, Review],
  ),
  raiseNeed: graphql(
    `mutation($input: RaiseNeedInput!) { raiseNeed(input: $input) { __typename ...Failure ... on RaiseNeedPayload { need { id status version category } } } }`,
    [Failure],
  ),
  withdrawNeed: graphql(
    `mutation($input: WithdrawNeedInput!) { withdrawNeed(input: $input) { __typename ...Failure ... on WithdrawNeedPayload { need { id status version } } } }`,
    [Failure],
  ),
  offerResource: graphql(
    `mutation($input: OfferResourceInput!) { offerResource(input: $input) { __typename ...Failure ... on OfferResourcePayload { resource { id status version unit { id } } } } }`,
    [Failure],
  ),
  withdrawResource: graphql(
    `mutation($input: WithdrawResourceInput!) { withdrawResource(input: $input) { __typename ...Failure ... on WithdrawResourcePayload { resource { id status version } } } }`,
    [Failure],
  ),
  claimNeed: graphql(
    `mutation($input: ClaimNeedInput!) { claimNeed(input: $input) { __typename ...Failure ... on ClaimNeedPayload { claim { ...NeedClaimFields } } } }`,
    [Failure, NeedClaim],
  ),
  approveNeedClaim: graphql(
    `mutation($input: ApproveClaimInput!) { approveNeedClaim(input: $input) { __typename ...Failure ... on ApproveNeedClaimPayload { claim { ...NeedClaimFields } } } }`,
    [Failure, NeedClaim],
  ),
  rejectNeedClaim: graphql(
    `mutation($input: RejectClaimInput!) { rejectNeedClaim(input: $input) { __typename ...Failure ... on RejectNeedClaimPayload { claim { ...NeedClaimFields } } } }`,
    [Failure, NeedClaim],
  ),
  claimResource: graphql(
    `mutation($input: ClaimResourceInput!) { claimResource(input: $input) { __typename ...Failure ... on ClaimResourcePayload { claim { id status version } } } }`,
    [Failure],
  ),
  approveResourceClaim: graphql(
    `mutation($input: ApproveClaimInput!) { approveResourceClaim(input: $input) { __typename ...Failure ... on ApproveResourceClaimPayload { claim { id status version resource { id status } } } } }`,
    [Failure],
  ),
  createProject: graphql(
    `mutation($input: CreateProjectInput!) { createProject(input: $input) { __typename ...Failure ... on CreateProjectPayload { project { ...ProjectFields } } } }`,
    [Failure, Project],
  ),
  projectProgress: graphql(
    `mutation($input: RecordProjectProgressInput!) { recordProjectProgress(input: $input) { __typename ...Failure ... on RecordProjectProgressPayload { project { ...ProjectFields } } } }`,
    [Failure, Project],
  ),
  completeMilestone: graphql(
    `mutation($input: CompleteProjectMilestoneInput!) { completeProjectMilestone(input: $input) { __typename ...Failure ... on CompleteProjectMilestonePayload { project { ...ProjectFields } } } }`,
    [Failure, Project],
  ),
}

/** The `input` a mutation of AGREEMENT_MUTATIONS takes. */
export type AgreementInput<K extends keyof typeof AGREEMENT_MUTATIONS> = VariablesOf<
  (typeof AGREEMENT_MUTATIONS)[K]
>['input']
type ItemInput = NonNullable<AgreementInput<'create'>['items']>[number]

export interface Contact {
  username: string
  token: string
  unitId: string
  unitGid: string
}

/** Two communities with their officers, community committees and the seeded unit contacts of each. */
export async function agreementWorld(t: TestApp) {
  const { a, b, officerA, officerB } = await twoCommunities(t.prisma)
  const contactsOf = async (communityId: string): Promise<Contact[]> => {
    const users = await t.prisma.user.findMany({
      where: { roles: { has: 'UNIT_CONTACT' }, unit: { communityId } },
      orderBy: { username: 'asc' },
    })
    return Promise.all(
      users.map(async (u) => ({
        username: u.username,
        token: await t.tokenFor(u.username),
        unitId: u.unitId!,
        unitGid: globalId('ResidentUnit', u.unitId!),
      })),
    )
  }
  const committee = async (regionId: string) =>
    globalId(
      'PartyOrg',
      (await t.prisma.partyOrg.findFirstOrThrow({ where: { regionId, level: 'COMMUNITY_COMMITTEE' } })).id,
    )
  const [contactsA, contactsB] = [await contactsOf(a.id), await contactsOf(b.id)]
  if (contactsA.length < 2 || contactsB.length < 1) throw new Error('seed has too few unit contacts')
  return {
    a,
    b,
    gridA: a.grids[0]!,
    contactsA,
    contactsB,
    orgA: await committee(a.id),
    orgB: await committee(b.id),
    /** The street working committee of the two communities' street, which signs street agreements. */
    streetOrg: globalId(
      'PartyOrg',
      (
        await t.prisma.partyOrg.findFirstOrThrow({
          where: { regionId: a.parentId!, level: 'STREET_WORKING_COMMITTEE' },
        })
      ).id,
    ),
    officerA: await t.tokenFor(officerA.username),
    officerB: await t.tokenFor(officerB.username),
    street: await t.tokenFor('street.officer'),
    resident: await t.tokenFor('resident.1'),
  }
}

const DAY = 86_400_000
let serial = 0

export function itemInput(kind: ItemInput['kind'], extra: Partial<ItemInput> = {}): ItemInput {
  return {
    kind,
    title: `测试事项${++serial}`,
    orgLeadName: '王书记',
    orgLeadPhone: '13800001111',
    unitLeadName: '李主任',
    unitLeadPhone: '13900002222',
    target: '每季度开展一次活动',
    ...extra,
  }
}

/** A draft by `officer` of `org` with the given contacts' units, each already naming a signatory. */
export async function draftAgreement(
  t: TestApp,
  officer: string,
  org: string,
  units: Contact[],
  extra: Partial<AgreementInput<'create'>> = {},
) {
  const now = Date.now()
  return must(t, officer, AGREEMENT_MUTATIONS.create, {
    partyOrgId: org,
    title: `测试共建协议${++serial}`,
    startsAt: new Date(now - DAY).toISOString(),
    endsAt: new Date(now + 3 * DAY).toISOString(),
    parties: units.map((u) => ({ unitId: u.unitGid, signatoryName: '张签署' })),
    items: [itemInput('LINKED_ASSISTANCE', { unitId: units[0]!.unitGid }), itemInput('RESOURCE_SHARING')],
    ...extra,
  })
}

/** Drafted, signed and activated. */
export async function activeAgreement(
  t: TestApp,
  officer: string,
  org: string,
  units: Contact[],
  extra: Partial<AgreementInput<'create'>> = {},
) {
  let a = await draftAgreement(t, officer, org, units, extra)
  a = await must(t, officer, AGREEMENT_MUTATIONS.sign, { id: a.id, version: a.version })
  return must(t, officer, AGREEMENT_MUTATIONS.activate, { id: a.id, version: a.version })
}
