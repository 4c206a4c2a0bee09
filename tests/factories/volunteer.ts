// Builds volunteer state through the API: activities (signed up → checked in → completed),
// reward items and redemptions, micro-wishes. People for concurrency tests are fresh accounts
// made with Prisma (there is no sign-up API), with tokens signed for them.
import { randomUUID } from 'node:crypto'
import type { TestApp } from '../helpers/app.js'
import { globalId, twoCommunities } from '../helpers/fixtures.js'
import type { RoleName } from '../../src/auth/viewer.js'
import { must } from '../helpers/graphql.js'
export { rowId } from '../helpers/fixtures.js'

const HOUR = 3_600_000

const ERRORS =
  '... on StaleVersion { expectedVersion actualVersion } ... on InvalidTransition { from action } ... on Error { code message }'

export const ACTIVITY_FIELDS =
  'id title status capacity taken placesLeft pointsPerHour version startsAt endsAt timeline { action fromStatus toStatus }'
export const SIGNUP_FIELDS =
  'id status version hours points checkedInAt checkedOutAt completedAt user { id } timeline { action fromStatus toStatus }'
export const WISH_FIELDS =
  'id status version title rewardPoints wisherName claimedBy { id } claimerUnit { id } timeline { action fromStatus toStatus actor { username } }'
export const REDEMPTION_FIELDS = 'id status version points quantity item { id stock }'

const m = (field: string, input: string, data: string, fields: string, extra = '') =>
  `mutation($input: ${input}!) { ${field}(input: $input) { __typename ... on ${field.charAt(0).toUpperCase()}${field.slice(1)}Payload { ${data} { ${fields} } } ${extra} ${ERRORS} } }`

export const V = {
  createTeam: m(
    'createVolunteerTeam',
    'CreateVolunteerTeamInput',
    'team',
    'id name kind version leader { id } members { totalCount }',
  ),
  membership: m('setVolunteerTeamMembership', 'SetVolunteerTeamMembershipInput', 'team', 'id members { totalCount }'),
  createActivity: m('createVolunteerActivity', 'CreateVolunteerActivityInput', 'activity', ACTIVITY_FIELDS),
  updateActivity: m('updateVolunteerActivity', 'UpdateVolunteerActivityInput', 'activity', ACTIVITY_FIELDS),
  publish: m('publishVolunteerActivity', 'VolunteerActivityStepInput', 'activity', ACTIVITY_FIELDS),
  start: m('startVolunteerActivity', 'VolunteerActivityStepInput', 'activity', ACTIVITY_FIELDS),
  finish: m('finishVolunteerActivity', 'VolunteerActivityStepInput', 'activity', ACTIVITY_FIELDS),
  cancelActivity: m('cancelVolunteerActivity', 'CancelVolunteerActivityInput', 'activity', ACTIVITY_FIELDS),
  signUp: m(
    'signUpForActivity',
    'SignUpForActivityInput',
    'signup',
    SIGNUP_FIELDS,
    '... on ActivityFull { capacity } ... on AlreadySignedUp { signupId }',
  ),
  cancelSignup: m('cancelActivitySignup', 'ActivitySignupStepInput', 'signup', SIGNUP_FIELDS),
  checkIn: m('checkInActivitySignup', 'ActivitySignupStepInput', 'signup', SIGNUP_FIELDS),
  checkOut: m('checkOutActivitySignup', 'ActivitySignupStepInput', 'signup', SIGNUP_FIELDS),
  noShow: m('markActivityNoShow', 'ActivitySignupStepInput', 'signup', SIGNUP_FIELDS),
  complete: m('completeActivitySignup', 'CompleteActivitySignupInput', 'signup', SIGNUP_FIELDS),
  createItem: m('createRewardItem', 'CreateRewardItemInput', 'item', 'id name pointsCost stock version active'),
  updateItem: m('updateRewardItem', 'UpdateRewardItemInput', 'item', 'id name pointsCost stock version active'),
  redeem: m(
    'redeemReward',
    'RedeemRewardInput',
    'redemption',
    REDEMPTION_FIELDS,
    '... on InsufficientPoints { balance required } ... on OutOfStock { stock }',
  ),
  fulfil: m('fulfilRedemption', 'FulfilRedemptionInput', 'redemption', REDEMPTION_FIELDS),
  cancelRedemption: m('cancelRedemption', 'CancelRedemptionInput', 'redemption', REDEMPTION_FIELDS),
  adjust: m(
    'adjustPoints',
    'AdjustPointsInput',
    'entry',
    'id kind points balanceAfter reason actor { username }',
    '... on InsufficientPoints { balance required }',
  ),
  transfer: m(
    'transferPoints',
    'TransferPointsInput',
    'entry',
    'id kind points balanceAfter',
    '... on InsufficientPoints { balance required }',
  ),
  createWish: m('createMicroWish', 'CreateMicroWishInput', 'wish', WISH_FIELDS),
  claimWish: m('claimMicroWish', 'ClaimMicroWishInput', 'wish', WISH_FIELDS),
  releaseWish: m('releaseMicroWish', 'MicroWishStepInput', 'wish', WISH_FIELDS),
  fulfilWish: m('fulfilMicroWish', 'FulfilMicroWishInput', 'wish', WISH_FIELDS),
  confirmWish: m('confirmMicroWish', 'ConfirmMicroWishInput', 'wish', WISH_FIELDS),
  cancelWish: m('cancelMicroWish', 'CancelMicroWishInput', 'wish', WISH_FIELDS),
}

export const MY_POINTS = `{ myPoints { balance entries(first: 100) { totalCount edges { node { kind points balanceAfter reason sourceType } } } } }`

/** A community of the demo street with its first grid and its officer's token. */
export async function volunteerWorld(t: TestApp) {
  const { a, b, officerA, officerB } = await twoCommunities(t.prisma)
  return {
    a,
    b,
    gridA: a.grids[0]!,
    gridB: b.grids[0]!,
    officerA: await t.tokenFor(officerA.username),
    officerB: await t.tokenFor(officerB.username),
    officerAId: officerA.id,
  }
}

export interface Person {
  id: string
  username: string
  token: string
}

/** `n` fresh accounts with the given roles (RESIDENT by default) and their tokens. */
export async function people(
  t: TestApp,
  n: number,
  roles: RoleName[] = ['RESIDENT'],
  extra: { unitId?: string } = {},
): Promise<Person[]> {
  const tag = randomUUID().slice(0, 8)
  const rows = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    username: `vol.${tag}.${i}`,
    displayName: `志愿者${tag.slice(0, 3)}${i}`,
    roles,
    unitId: extra.unitId ?? null,
  }))
  await t.prisma.user.createMany({ data: rows })
  return Promise.all(rows.map(async (r) => ({ id: r.id, username: r.username, token: await t.tokenFor(r.username) })))
}

/** A fresh party member account linked to a PartyMember living in `communityId`. */
export async function partyMemberPerson(t: TestApp, communityId: string) {
  const [p] = await people(t, 1, ['PARTY_MEMBER', 'RESIDENT'])
  const member = await t.prisma.partyMember.create({
    data: { name: `测试党员${p!.username.slice(-6)}`, gender: 'FEMALE', userId: p!.id, homeCommunityId: communityId },
  })
  return { ...p!, memberId: member.id }
}

/** Activity input in `communityId` running from `startsInH` hours from now for `hours` hours. */
export function activityInput(
  communityId: string,
  opts: {
    startsInH?: number
    hours?: number
    capacity?: number
    pointsPerHour?: number
    publish?: boolean
    gridId?: string
  } = {},
) {
  const start = Date.now() + (opts.startsInH ?? -1) * HOUR
  return {
    title: '楼道清理志愿服务',
    type: 'ENVIRONMENT',
    communityId: globalId('Region', communityId),
    ...(opts.gridId ? { gridId: globalId('Grid', opts.gridId) } : {}),
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + (opts.hours ?? 4) * HOUR).toISOString(),
    capacity: opts.capacity ?? 10,
    pointsPerHour: opts.pointsPerHour ?? 10,
    publish: opts.publish ?? true,
    place: '3 号楼',
  }
}

/** One signup driven through its life; each step keeps the signup as the API returned it. */
export function signupFactory(t: TestApp, tokens: { volunteer: string; organizer: string }) {
  let current: { id: string; status: string; version: number; [k: string]: any }
  const step = async (token: string, q: string, input: Record<string, unknown> = {}) => {
    current = await must(t, token, q, { id: current.id, version: current.version, ...input })
    return self
  }
  const self = {
    get signup() {
      return current
    },
    async signUp(activityId: string) {
      current = await must(t, tokens.volunteer, V.signUp, { activityId })
      return self
    },
    checkIn: (token = tokens.volunteer) => step(token, V.checkIn),
    checkOut: (token = tokens.volunteer) => step(token, V.checkOut),
    complete: (input: Record<string, unknown> = {}) =>
      step(tokens.organizer, V.complete, { idempotencyKey: randomUUID(), ...input }),
  }
  return self
}

/** Sum of a user's ledger entries and their account balance, straight from the database. */
export async function ledgerOf(t: TestApp, userId: string) {
  const account = await t.prisma.pointsAccount.findUnique({
    where: { userId },
    include: { entries: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
  })
  return {
    balance: account?.balance ?? 0,
    sum: (account?.entries ?? []).reduce((s, e) => s + e.points, 0),
    entries: account?.entries ?? [],
  }
}
