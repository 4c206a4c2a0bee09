// Transition tables (state × action × actor, DESIGN §3) of joint construction: agreements
// (共建协议), the needs and resources of the three lists (三张清单), the claims on them and projects.
import type {
  AgreementStatus,
  ClaimStatus,
  NeedStatus,
  ProjectStatus,
  ResourceStatus,
} from '../../generated/prisma/enums.js'
import type { Transition } from '../../shared/state-machine.js'

// ---------------------------------------------------------------- agreements

/**
 * How the caller relates to an agreement. ORG_OFFICER: an officer whose region holds the party
 * organisation's region (the street officer for a street agreement; the community officer and the
 * street officer above for a community agreement), or an admin. UNIT: a contact of one of the
 * party units. SYSTEM: the background expiry job, nobody else.
 */
export type AgreementActor = 'ORG_OFFICER' | 'UNIT' | 'SYSTEM'

/** `NEW`: the agreement does not exist yet; creating it drafts it. */
export type AgreementState = AgreementStatus | 'NEW'

export type AgreementAction =
  | 'CREATE'
  | 'UPDATE'
  | 'ADD_PARTY'
  | 'ADD_ITEM'
  | 'CANCEL_ITEM'
  | 'CONFIRM'
  | 'SIGN'
  | 'ACTIVATE'
  | 'PROGRESS'
  | 'EXPIRE'
  | 'TERMINATE'

const LIVE: readonly AgreementStatus[] = ['SIGNED', 'ACTIVE']

export const AGREEMENT_TRANSITIONS: Record<AgreementAction, Transition<AgreementState, AgreementActor>> = {
  CREATE: { from: ['NEW'], to: 'DRAFT', actors: ['ORG_OFFICER'] },
  // the text of a draft is the officers' to write; each edit is a versioned step on the timeline
  UPDATE: { from: ['DRAFT'], to: null, actors: ['ORG_OFFICER'] },
  ADD_PARTY: { from: ['DRAFT'], to: null, actors: ['ORG_OFFICER'] },
  ADD_ITEM: { from: ['DRAFT'], to: null, actors: ['ORG_OFFICER'] },
  CANCEL_ITEM: { from: ['DRAFT'], to: null, actors: ['ORG_OFFICER'] },
  // a unit confirms its own side of the draft by naming its signatory
  CONFIRM: { from: ['DRAFT'], to: null, actors: ['UNIT'] },
  SIGN: { from: ['DRAFT'], to: 'SIGNED', actors: ['ORG_OFFICER'] },
  ACTIVATE: { from: ['SIGNED'], to: 'ACTIVE', actors: ['ORG_OFFICER'] },
  // progress on items is reported by either side while the agreement is in force
  PROGRESS: { from: ['ACTIVE'], to: null, actors: ['ORG_OFFICER', 'UNIT'] },
  // a signed agreement that was never activated also lapses at the end of its term
  EXPIRE: { from: LIVE, to: 'EXPIRED', actors: ['SYSTEM'] },
  // abandoning a draft is a termination too: nothing is deleted
  TERMINATE: { from: ['DRAFT', ...LIVE], to: 'TERMINATED', actors: ['ORG_OFFICER'] },
}

/** Agreements in force or about to be: they cover their units (street overview). */
export const COVERING_AGREEMENT: readonly AgreementStatus[] = LIVE

// ---------------------------------------------------------------- needs and resources

/** Officers of the community (and the street above), admins; grid workers of the need's grid. */
export type NeedActor = 'COMMUNITY_OFFICER' | 'GRID_WORKER'

export type NeedAction = 'RAISE' | 'WITHDRAW' | 'CLAIM' | 'START' | 'FINISH' | 'STOP'

/** CLAIM, START and FINISH follow claims and projects; the table still names their states. */
export const NEED_TRANSITIONS: Record<NeedAction, Transition<NeedStatus | 'NEW', NeedActor>> = {
  RAISE: { from: ['NEW'], to: 'OPEN', actors: ['COMMUNITY_OFFICER', 'GRID_WORKER'] },
  WITHDRAW: { from: ['OPEN', 'CLAIMED'], to: 'WITHDRAWN', actors: ['COMMUNITY_OFFICER'] },
  CLAIM: { from: ['OPEN'], to: 'CLAIMED', actors: ['COMMUNITY_OFFICER'] },
  START: { from: ['OPEN', 'CLAIMED'], to: 'IN_PROGRESS', actors: ['COMMUNITY_OFFICER'] },
  FINISH: { from: ['IN_PROGRESS'], to: 'DONE', actors: ['COMMUNITY_OFFICER'] },
  // its project was cancelled: back to CLAIMED, or OPEN when no unit's claim stands
  STOP: { from: ['IN_PROGRESS'], to: 'CLAIMED', actors: ['COMMUNITY_OFFICER'] },
}

/** The offering unit's contacts; officers of the unit's community (and the street above), admins. */
export type ResourceActor = 'OWNER' | 'COMMUNITY_OFFICER'

export type ResourceAction = 'OFFER' | 'WITHDRAW' | 'CLAIM' | 'USE' | 'RELEASE'

export const RESOURCE_TRANSITIONS: Record<ResourceAction, Transition<ResourceStatus | 'NEW', ResourceActor>> = {
  OFFER: { from: ['NEW'], to: 'AVAILABLE', actors: ['OWNER', 'COMMUNITY_OFFICER'] },
  WITHDRAW: { from: ['AVAILABLE', 'CLAIMED'], to: 'WITHDRAWN', actors: ['OWNER', 'COMMUNITY_OFFICER'] },
  CLAIM: { from: ['AVAILABLE'], to: 'CLAIMED', actors: ['COMMUNITY_OFFICER'] },
  USE: { from: ['AVAILABLE', 'CLAIMED'], to: 'IN_USE', actors: ['COMMUNITY_OFFICER'] },
  RELEASE: { from: ['IN_USE'], to: 'AVAILABLE', actors: ['COMMUNITY_OFFICER'] },
}

// ---------------------------------------------------------------- claims (认领)

/**
 * CLAIMANT: for a need claim the contact of the claiming unit, for a resource claim an officer of
 * the claiming community. DECIDER: a community officer of the need's or resource's community (or
 * the street officer above), or an admin.
 */
export type ClaimActor = 'CLAIMANT' | 'DECIDER'

export type ClaimAction = 'CLAIM' | 'APPROVE' | 'REJECT' | 'WITHDRAW' | 'LAPSE'

export const CLAIM_TRANSITIONS: Record<ClaimAction, Transition<ClaimStatus | 'NEW', ClaimActor>> = {
  CLAIM: { from: ['NEW'], to: 'PENDING', actors: ['CLAIMANT', 'DECIDER'] },
  APPROVE: { from: ['PENDING'], to: 'APPROVED', actors: ['DECIDER'] },
  REJECT: { from: ['PENDING'], to: 'REJECTED', actors: ['DECIDER'] },
  WITHDRAW: { from: ['PENDING'], to: 'WITHDRAWN', actors: ['CLAIMANT', 'DECIDER'] },
  // the need or resource an approved claim was for is withdrawn by the decider: the claim lapses with it
  LAPSE: { from: ['APPROVED'], to: 'WITHDRAWN', actors: ['DECIDER'] },
}

// ---------------------------------------------------------------- projects (项目清单)

/**
 * OFFICER: a community officer of the project's community (or the street officer above), an
 * admin. CONTRIBUTOR: a contact of a unit whose resource is linked to the project, or of the
 * unit whose claim on the need was approved.
 */
export type ProjectActor = 'OFFICER' | 'CONTRIBUTOR'

export type ProjectAction = 'CREATE' | 'START' | 'PROGRESS' | 'ADD_MILESTONE' | 'COMPLETE_MILESTONE' | 'CANCEL'

const RUNNING: readonly ProjectStatus[] = ['PLANNED', 'IN_PROGRESS']

export const PROJECT_TRANSITIONS: Record<ProjectAction, Transition<ProjectStatus | 'NEW', ProjectActor>> = {
  CREATE: { from: ['NEW'], to: 'PLANNED', actors: ['OFFICER'] },
  START: { from: ['PLANNED'], to: 'IN_PROGRESS', actors: ['OFFICER', 'CONTRIBUTOR'] },
  // the target depends on the figure: IN_PROGRESS below 100 %, COMPLETED at 100 %
  PROGRESS: { from: RUNNING, to: 'IN_PROGRESS', actors: ['OFFICER', 'CONTRIBUTOR'] },
  ADD_MILESTONE: { from: RUNNING, to: null, actors: ['OFFICER'] },
  COMPLETE_MILESTONE: { from: RUNNING, to: null, actors: ['OFFICER', 'CONTRIBUTOR'] },
  CANCEL: { from: RUNNING, to: 'CANCELLED', actors: ['OFFICER'] },
}

/** The state a project reaches with a progress figure. */
export const projectStateAt = (progress: number): ProjectStatus => (progress >= 100 ? 'COMPLETED' : 'IN_PROGRESS')

/** Share of milestones done, 0–100, rounded down so that 100 means all of them. */
export const milestoneShare = (done: number, total: number) => (total === 0 ? 0 : Math.floor((done * 100) / total))

const DAY = 86_400_000

/** Whether an agreement's term ends within `days` days of `now` (and has not ended yet). */
export const expiresWithin = (endsAt: Date, now: Date, days: number) =>
  endsAt > now && endsAt.getTime() <= now.getTime() + days * DAY
