// Builds volunteer state through the API: activities (signed up → checked in → completed),
// reward items and redemptions, micro-wishes. People for concurrency tests are fresh accounts
// made with Prisma (there is no sign-up API), with tokens signed for them.
import { randomUUID } from 'node:crypto'
import type { TestApp } from '../helpers/app.js'
import { globalId, twoCommunities } from '../helpers/fixtures.js'
import type { RoleName } from '../../src/auth/viewer.js'
import { Failure, graphql, must, type ResultOf, type VariablesOf } from '../helpers/graphql.js'
export { rowId } from '../helpers/fixtures.js'

const HOUR = 3_600_000

const Activity = graphql(`fragment ActivityFields on VolunteerActivity {
  id title status capacity taken placesLeft pointsPerHour version startsAt endsAt timeline { action fromStatus toStatus } }`)
const Signup = graphql(`fragment SignupFields on ActivitySignup {
  id status version hours points checkedInAt checkedOutAt completedAt user { id } timeline { action fromStatus toStatus } }`)
const Wish = graphql(`fragment WishFields on MicroWish {
  id status version title rewardPoints wisherName claimedBy { id } claimerUnit { id } timeline { action fromStatus toStatus actor { username } } }`)
const Redemption = graphql(
  `fragment RedemptionFields on Redemption { id status version points quantity item { id stock } }`,
)

export const V = {
  createTeam: graphql(
    `mutation($input: CreateVolunteerTeamInput!) { createVolunteerTeam(input: $input) { __typename ... on CreateVolunteerTeamPayload { team { id name kind version leader { id } members { totalCount } } } ...Failure } }`,
    [Failure],
  ),
  updateTeam: graphql(
    `mutation($input: UpdateVolunteerTeamInput!) { updateVolunteerTeam(input: $input) { __typename ... on UpdateVolunteerTeamPayload { team { id name description active version leader { id } members { totalCount } } } ...Failure } }`,
    [Failure],
  ),
  membership: graphql(
    `mutation($input: SetVolunteerTeamMembershipInput!) { setVolunteerTeamMembership(input: $input) { __typename ... on SetVolunteerTeamMembershipPayload { team { id members { totalCount } } } ...Failure } }`,
    [Failure],
  ),
  createActivity: graphql(
    `mutation($input: CreateVolunteerActivityInput!) { createVolunteerActivity(input: $input) { __typename ... on CreateVolunteerActivityPayload { activity { ...ActivityFields } } ...Failure } }`,
    [Failure, Activity],
  ),
  updateActivity: graphql(
    `mutation($input: UpdateVolunteerActivityInput!) { updateVolunteerActivity(input: $input) { __typename ... on UpdateVolunteerActivityPayload { activity { ...ActivityFields } } ...Failure } }`,
    [Failure, Activity],
  ),
  publish: graphql(
    `mutation($input: VolunteerActivityStepInput!) { publishVolunteerActivity(input: $input) { __typename ... on PublishVolunteerActivityPayload { activity { ...ActivityFields } } ...Failure } }`,
    [Failure, Activity],
  ),
  start: graphql(
    `mutation($input: VolunteerActivityStepInput!) { startVolunteerActivity(input: $input) { __typename ... on StartVolunteerActivityPayload { activity { ...ActivityFields } } ...Failure } }`,
    [Failure, Activity],
  ),
  finish: graphql(
    `mutation($input: VolunteerActivityStepInput!) { finishVolunteerActivity(input: $input) { __typename ... on FinishVolunteerActivityPayload { activity { ...ActivityFields } } ...Failure } }`,
    [Failure, Activity],
  ),
  cancelActivity: graphql(
    `mutation($input: CancelVolunteerActivityInput!) { cancelVolunteerActivity(input: $input) { __typename ... on CancelVolunteerActivityPayload { activity { ...ActivityFields } } ...Failure } }`,
    [Failure, Activity],
  ),
  signUp: graphql(
    `mutation($input: SignUpForActivityInput!) { signUpForActivity(input: $input) { __typename ... on SignUpForActivityPayload { signup { ...SignupFields } } ... on ActivityFull { capacity } ... on AlreadySignedUp { signupId } ...Failure } }`,
    [Failure, Signup],
  ),
  cancelSignup: graphql(
    `mutation($input: ActivitySignupStepInput!) { cancelActivitySignup(input: $input) { __typename ... on CancelActivitySignupPayload { signup { ...SignupFields } } ...Failure } }`,
    [Failure, Signup],
  ),
  checkIn: graphql(
    `mutation($input: ActivitySignupStepInput!) { checkInActivitySignup(input: $input) { __typename ... on CheckInActivitySignupPayload { signup { ...SignupFields } } ...Failure } }`,
    [Failure, Signup],
  ),
  checkOut: graphql(
    `mutation($input: ActivitySignupStepInput!) { checkOutActivitySignup(input: $input) { __typename ... on CheckOutActivitySignupPayload { signup { ...SignupFields } } ...Failure } }`,
    [Failure, Signup],
  ),
  noShow: graphql(
    `mutation($input: ActivitySignupStepInput!) { markActivityNoShow(input: $input) { __typename ... on MarkActivityNoShowPayload { signup { ...SignupFields } } ...Failure } }`,
    [Failure, Signup],
  ),
  complete: graphql(
    `mutation($input: CompleteActivitySignupInput!) { completeActivitySignup(input: $input) { __typename ... on CompleteActivitySignupPayload { signup { ...SignupFields } } ...Failure } }`,
    [Failure, Signup],
  ),
  createItem: graphql(
    `mutation($input: CreateRewardItemInput!) { createRewardItem(input: $input) { __typename ... on CreateRewardItemPayload { item { id name pointsCost stock version active } } ...Failure } }`,
    [Failure],
  ),
  updateItem: graphql(
    `mutation($input: UpdateRewardItemInput!) { updateRewardItem(input: $input) { __typename ... on UpdateRewardItemPayload { item { id name pointsCost stock version active } } ...Failure } }`,
    [Failure],
  ),
  redeem: graphql(
    `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { __typename ... on RedeemRewardPayload { redemption { ...RedemptionFields } } ... on InsufficientPoints { balance required } ... on OutOfStock { stock } ...Failure } }`,
    [Failure, Redemption],
  ),
  fulfil: graphql(
    `mutation($input: FulfilRedemptionInput!) { fulfilRedemption(input: $input) { __typename ... on FulfilRedemptionPayload { redemption { ...RedemptionFields } } ...Failure } }`,
    [Failure, Redemption],
  ),
  cancelRedemption: graphql(
    `mutation($input: CancelRedemptionInput!) { cancelRedemption(input: $input) { __typename ... on CancelRedemptionPayload { redemption { ...RedemptionFields } } ...Failure } }`,
    [Failure, Redemption],
  ),
  adjust: graphql(
    `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { __typename ... on AdjustPointsPayload { entry { id kind points balanceAfter reason actor { username } } } ... on InsufficientPoints { balance required } ...Failure } }`,
    [Failure],
  ),
  transfer: graphql(
    `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { __typename ... on TransferPointsPayload { entry { id kind points balanceAfter } } ... on InsufficientPoints { balance required } ...Failure } }`,
    [Failure],
  ),
  createWish: graphql(
    `mutation($input: CreateMicroWishInput!) { createMicroWish(input: $input) { __typename ... on CreateMicroWishPayload { wish { ...WishFields } } ...Failure } }`,
    [Failure, Wish],
  ),
  claimWish: graphql(
    `mutation($input: ClaimMicroWishInput!) { claimMicroWish(input: $input) { __typename ... on ClaimMicroWishPayload { wish { ...WishFields } } ...Failure } }`,
    [Failure, Wish],
  ),
  releaseWish: graphql(
    `mutation($input: MicroWishStepInput!) { releaseMicroWish(input: $input) { __typename ... on ReleaseMicroWishPayload { wish { ...WishFields } } ...Failure } }`,
    [Failure, Wish],
  ),
  fulfilWish: graphql(
    `mutation($input: FulfilMicroWishInput!) { fulfilMicroWish(input: $input) { __typename ... on FulfilMicroWishPayload { wish { ...WishFields } } ...Failure } }`,
    [Failure, Wish],
  ),
  confirmWish: graphql(
    `mutation($input: ConfirmMicroWishInput!) { confirmMicroWish(input: $input) { __typename ... on ConfirmMicroWishPayload { wish { ...WishFields } } ...Failure } }`,
    [Failure, Wish],
  ),
  cancelWish: graphql(
    `mutation($input: CancelMicroWishInput!) { cancelMicroWish(input: $input) { __typename ... on CancelMicroWishPayload { wish { ...WishFields } } ...Failure } }`,
    [Failure, Wish],
  ),
}

/** The `input` a mutation of V takes. */
export type VolunteerInput<K extends keyof typeof V> = VariablesOf<(typeof V)[K]>['input']

export const MY_POINTS = graphql(
  `{ myPoints { balance entries(first: 100) { totalCount edges { node { kind points balanceAfter reason sourceType } } } } }`,
)

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
): VolunteerInput<'createActivity'> {
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
  let current: ResultOf<typeof Signup>
  const self = {
    get signup() {
      return current
    },
    async signUp(activityId: string) {
      current = await must(t, tokens.volunteer, V.signUp, { activityId })
      return self
    },
    async checkIn(token = tokens.volunteer) {
      current = await must(t, token, V.checkIn, { id: current.id, version: current.version })
      return self
    },
    async checkOut(token = tokens.volunteer) {
      current = await must(t, token, V.checkOut, { id: current.id, version: current.version })
      return self
    },
    async complete(input: Partial<VolunteerInput<'complete'>> = {}) {
      current = await must(t, tokens.organizer, V.complete, {
        id: current.id,
        version: current.version,
        idempotencyKey: randomUUID(),
        ...input,
      })
      return self
    },
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
