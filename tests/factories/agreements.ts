// Builds joint-construction state through the API: agreements driven through their life, needs,
// claims, resources and projects. Lookups of the seeded territory go by role and scope.
import type { TestApp } from '../helpers/app.js'
import { globalId, twoCommunities } from '../helpers/fixtures.js'
import { must } from '../helpers/graphql.js'

export const AGREEMENT_FIELDS = `id status version title startsAt endsAt signedAt activatedAt closedAt terminationReason
  parties { unit { id name } signatoryName } items { id kind title progress version unit { id } orgLeadPhone unitLeadPhone }
  timeline { action fromStatus toStatus note actor { username } }`

const mutation = (field: string, input: string, selection: string) =>
  `mutation($input: ${input}!) { ${field}(input: $input) { __typename ... on ${field.charAt(0).toUpperCase()}${field.slice(1)}Payload { ${selection} }
    ... on StaleVersion { expectedVersion actualVersion } ... on InvalidTransition { from action } ... on ValidationFailed { issues { path message } } ... on Error { code message } } }`

const agreement = (field: string, input: string) => mutation(field, input, `agreement { ${AGREEMENT_FIELDS} }`)
const claim = (field: string, input: string) => mutation(field, input, 'claim { id status version reason unit { id } }')
const PROJECT_FIELDS =
  'id status progress version need { id status } resources { id status } milestones { id title doneAt } entries { progress note }'

export const AGREEMENT_MUTATIONS = {
  create: agreement('createJointAgreement', 'CreateJointAgreementInput'),
  update: agreement('updateJointAgreement', 'UpdateJointAgreementInput'),
  confirm: agreement('confirmAgreementParty', 'ConfirmAgreementPartyInput'),
  sign: agreement('signJointAgreement', 'SignJointAgreementInput'),
  activate: agreement('activateJointAgreement', 'ActivateJointAgreementInput'),
  terminate: agreement('terminateJointAgreement', 'TerminateJointAgreementInput'),
  progress: mutation(
    'recordAgreementProgress',
    'RecordAgreementProgressInput',
    'item { id progress version entries { progress note } }',
  ),
  report: mutation(
    'submitAgreementReport',
    'SubmitAgreementReportInput',
    'review { id year unitReport score comment version unit { id } }',
  ),
  review: mutation(
    'reviewAgreementUnit',
    'ReviewAgreementUnitInput',
    'review { id year unitReport score comment version unit { id } }',
  ),
  raiseNeed: mutation('raiseNeed', 'RaiseNeedInput', 'need { id status version category }'),
  withdrawNeed: mutation('withdrawNeed', 'WithdrawNeedInput', 'need { id status version }'),
  offerResource: mutation('offerResource', 'OfferResourceInput', 'resource { id status version unit { id } }'),
  withdrawResource: mutation('withdrawResource', 'WithdrawResourceInput', 'resource { id status version }'),
  claimNeed: claim('claimNeed', 'ClaimNeedInput'),
  approveNeedClaim: claim('approveNeedClaim', 'ApproveClaimInput'),
  rejectNeedClaim: claim('rejectNeedClaim', 'RejectClaimInput'),
  claimResource: mutation('claimResource', 'ClaimResourceInput', 'claim { id status version }'),
  approveResourceClaim: mutation(
    'approveResourceClaim',
    'ApproveClaimInput',
    'claim { id status version resource { id status } }',
  ),
  createProject: mutation('createProject', 'CreateProjectInput', `project { ${PROJECT_FIELDS} }`),
  projectProgress: mutation('recordProjectProgress', 'RecordProjectProgressInput', `project { ${PROJECT_FIELDS} }`),
  completeMilestone: mutation(
    'completeProjectMilestone',
    'CompleteProjectMilestoneInput',
    `project { ${PROJECT_FIELDS} }`,
  ),
}

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
    officerA: await t.tokenFor(officerA.username),
    officerB: await t.tokenFor(officerB.username),
    street: await t.tokenFor('street.officer'),
    resident: await t.tokenFor('resident.1'),
  }
}

const DAY = 86_400_000
let serial = 0

export function itemInput(kind: string, extra: Record<string, unknown> = {}) {
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
  extra: Record<string, unknown> = {},
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
  extra: Record<string, unknown> = {},
) {
  let a = await draftAgreement(t, officer, org, units, extra)
  a = await must(t, officer, AGREEMENT_MUTATIONS.sign, { id: a.id, version: a.version })
  return must(t, officer, AGREEMENT_MUTATIONS.activate, { id: a.id, version: a.version })
}
