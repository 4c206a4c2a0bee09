// Default deny (DESIGN §4–§5): every root field — query, mutation, subscription — has a
// row in the tables below saying which named scopes (src/auth/scopes.ts) may call it at all and,
// for lists, whether the rows a viewer gets depend on their scope. A field missing from the tables
// is a failing test; so is a server that answers differently from its row. Each field is called by
// anonymous and by two viewers per role (one in scope of community A's rows, one not: see
// tests/helpers/authz-viewers.ts), with a document generated from the schema
// (tests/helpers/authz-documents.ts).
//
// The tables are written from the fields' `authScopes` (src/modules/*/*.schema.ts) and DESIGN §5,
// not read back from the schema: a change of who may call a field has to change this file too.
import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { GraphQLField } from 'graphql'
import { schema } from '../../../src/schema.js'
import type { RoleName } from '../../../src/auth/viewer.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { findViewers, ROLES, type TableViewer } from '../../helpers/authz-viewers.js'
import {
  idsIn,
  nodeTypeNames,
  operationFor,
  returnsRows,
  rowsOf,
  type OperationKind,
} from '../../helpers/authz-documents.js'
import { collect, gql, graphql, type GqlResponse, wsClient } from '../../helpers/graphql.js'

// ---------------------------------------------------------------- the named scopes (src/auth/scopes.ts)

type Scope =
  | 'loggedIn'
  | 'admin'
  | 'officer'
  | 'streetOfficer'
  | 'communityOfficer'
  | 'gridWorker'
  | 'departmentStaff'
  | 'partyMember'
  | 'unitContact'

/** Which roles each named scope lets through. */
const SCOPE_ROLES: Record<Scope, readonly RoleName[]> = {
  loggedIn: ROLES,
  admin: ['ADMIN'],
  officer: ['ADMIN', 'STREET_OFFICER', 'COMMUNITY_OFFICER'],
  streetOfficer: ['ADMIN', 'STREET_OFFICER'],
  communityOfficer: ['ADMIN', 'COMMUNITY_OFFICER'],
  gridWorker: ['GRID_WORKER'],
  departmentStaff: ['DEPARTMENT_STAFF'],
  partyMember: ['PARTY_MEMBER'],
  unitContact: ['UNIT_CONTACT'],
}

const SO = 'STREET_OFFICER',
  CO = 'COMMUNITY_OFFICER',
  GW = 'GRID_WORKER',
  DS = 'DEPARTMENT_STAFF',
  PM = 'PARTY_MEMBER',
  UC = 'UNIT_CONTACT',
  RE = 'RESIDENT'
const EVERY_ROLE_BUT_ADMIN: RoleName[] = [SO, CO, GW, DS, PM, UC, RE]

// ---------------------------------------------------------------- the tables

/** What an argument override may use: the viewer and a few rows of the seed, as global IDs. */
interface ArgContext {
  viewer: TableViewer | null
  home: string
  regionA: string
}

interface QueryRow {
  /** Who may call the field at all; anybody else is refused (`auth/forbidden`). */
  scopes: Scope[]
  /** `me`, `node`, `nodes`: anonymous gets null (no error) instead of a refusal. */
  anonymousNull?: true
  /**
   * Lists: `public` — every viewer allowed to call it gets the same rows; `filtered` — the rows
   * depend on the viewer's scope: the two viewers of each role of `pairs` (default: community
   * officers) see different rows when either sees any, those of `sameFor` the same rows (the part
   * of the list that is public to them), those of `none` no row at all.
   */
  rows?: 'filtered' | 'public'
  pairs?: RoleName[]
  sameFor?: RoleName[]
  none?: RoleName[]
  /** Arguments beyond the generated required ones. */
  args?: (c: ArgContext) => Record<string, unknown>
}

interface CallRow {
  scopes: Scope[]
}

const AGREEMENT_ROWS = {
  rows: 'filtered',
  pairs: [SO, CO, UC],
  none: [GW, DS, PM, RE],
} as const satisfies Partial<QueryRow>

const QUERIES: Record<string, QueryRow> = {
  // directory and reference data: any signed-in viewer, the same rows for everyone (DESIGN §5)
  caseCategories: { scopes: ['loggedIn'], rows: 'public' },
  departments: { scopes: ['loggedIn'], rows: 'public' },
  regions: { scopes: ['loggedIn'], rows: 'public' },
  residentUnits: { scopes: ['loggedIn'], rows: 'public' },
  partyOrgs: { scopes: ['loggedIn'], rows: 'public' },
  serviceItems: { scopes: ['loggedIn'], rows: 'public' },
  volunteerTeams: { scopes: ['loggedIn'], rows: 'public' },
  volunteerLeaderboard: { scopes: ['loggedIn'], rows: 'public' },
  routingRules: { scopes: ['officer', 'departmentStaff'], rows: 'public' },
  // accounts: officers only, and only those of their region subtree
  users: { scopes: ['officer'], rows: 'filtered', pairs: [SO, CO] },
  // the viewer's own things
  me: { scopes: ['loggedIn'], anonymousNull: true },
  node: { scopes: ['loggedIn'], anonymousNull: true, args: ({ regionA }) => ({ id: regionA }) },
  nodes: { scopes: ['loggedIn'], anonymousNull: true, args: ({ regionA }) => ({ ids: [regionA] }) },
  myPartyMember: { scopes: ['loggedIn'] },
  myPoints: { scopes: ['loggedIn'] },
  pointsAccount: { scopes: ['loggedIn'] }, // userId: the viewer's own account (another's is refused by row)
  mySignups: { scopes: ['loggedIn'], rows: 'filtered', pairs: EVERY_ROLE_BUT_ADMIN },
  // territory: grids are public to residents, party members and units; staff read those they serve
  grids: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO, GW], sameFor: [PM, UC, RE, DS] }, // both departments serve the same street
  gridAt: { scopes: ['loggedIn'] },
  // cases and dispatch: departments their orders, grid workers their grids, officers their subtree, residents their own
  cases: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO, GW, DS, RE] },
  dispatchOrders: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO, GW, DS, RE] },
  supervisions: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO, GW, DS] },
  webhookEndpoints: { scopes: ['admin', 'departmentStaff'], rows: 'filtered', pairs: [DS] },
  auditEntries: { scopes: ['admin'], rows: 'public' },
  // party building
  partyMembers: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO, PM, UC], none: [GW, DS, RE] },
  dualReports: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO, PM, UC] },
  serviceRecords: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO, PM, UC], none: [GW, DS, RE] },
  performanceFeedbacks: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO, PM, UC], none: [GW, DS, RE] },
  partyMemberRecord: { scopes: ['loggedIn'] }, // a member's record: others get the typed Forbidden member
  partyCoverage: { scopes: ['officer'], rows: 'filtered', pairs: [SO, CO] },
  // joint construction: agreements are read by officers of the region and the party units' contacts
  jointAgreements: { scopes: ['loggedIn'], ...AGREEMENT_ROWS },
  agreementItems: { scopes: ['loggedIn'], ...AGREEMENT_ROWS },
  agreementReviews: { scopes: ['loggedIn'], ...AGREEMENT_ROWS },
  needClaims: { scopes: ['loggedIn'], ...AGREEMENT_ROWS },
  resourceClaims: { scopes: ['loggedIn'], ...AGREEMENT_ROWS },
  projects: { scopes: ['loggedIn'], ...AGREEMENT_ROWS },
  // published needs for everyone, withdrawn ones for the community's officers
  needs: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO], sameFor: [GW, DS, PM, RE] },
  // a unit its own resources; officers the offers of every community (so two community officers see the same offers)
  resources: { scopes: ['officer', 'unitContact'], rows: 'filtered', pairs: [SO, UC] },
  jointConstructionOverview: { scopes: ['officer'], args: ({ home }) => ({ regionId: home }) },
  // volunteering: published activities, the shelf and open wishes for everyone; the rest per person or region
  volunteerActivities: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO], sameFor: [GW, DS, PM, UC, RE] },
  activitySignups: { scopes: ['loggedIn'], rows: 'filtered', pairs: EVERY_ROLE_BUT_ADMIN },
  rewardItems: { scopes: ['loggedIn'], rows: 'filtered', pairs: [], sameFor: [GW, DS] }, // the seed has no item off the shelf
  redemptions: { scopes: ['loggedIn'], rows: 'filtered', pairs: EVERY_ROLE_BUT_ADMIN },
  microWishes: { scopes: ['loggedIn'], rows: 'filtered', pairs: [SO, CO, GW, PM, UC, RE], sameFor: [DS] },
  volunteerHours: { scopes: ['officer'], rows: 'filtered', pairs: [SO, CO] },
  // assessment (考核): officers their region (default their own), a department its own row; reports, not lists
  departmentPerformance: {
    scopes: ['officer', 'departmentStaff'],
    args: ({ home }) => ({ regionId: home, period: { month: '2026-12' } }),
  },
  gridPerformance: { scopes: ['officer'], args: ({ home }) => ({ regionId: home, period: { month: '2026-12' } }) },
  gridWorkerPerformance: {
    scopes: ['officer'],
    args: ({ home }) => ({ regionId: home, period: { month: '2026-12' } }),
  },
  caseStatistics: { scopes: ['officer'], args: ({ home }) => ({ regionId: home, period: { month: '2026-12' } }) },
  commandCentre: { scopes: ['officer'], args: ({ home }) => ({ regionId: home }) },
  assessmentWeights: { scopes: ['officer', 'departmentStaff'], args: ({ home }) => ({ regionId: home }) },
}

const MUTATIONS: Record<string, CallRow> = {
  // territory
  createRegion: { scopes: ['officer'] },
  updateRegion: { scopes: ['officer'] },
  createGrid: { scopes: ['officer'] },
  updateGrid: { scopes: ['officer'] },
  createBuilding: { scopes: ['officer', 'gridWorker'] },
  updateBuilding: { scopes: ['officer', 'gridWorker'] },
  assignGridWorker: { scopes: ['officer'] },
  endGridAssignment: { scopes: ['officer'] },
  createGridDuty: { scopes: ['officer'] },
  updateGridDuty: { scopes: ['officer'] },
  // cases
  reportCase: { scopes: ['loggedIn'] },
  acceptCase: { scopes: ['officer'] },
  rejectCase: { scopes: ['officer'] },
  verifyCase: { scopes: ['officer', 'gridWorker'] },
  submitCaseFeedback: { scopes: ['loggedIn'] },
  closeCase: { scopes: ['officer'] },
  escalateCase: { scopes: ['officer'] },
  resumeCase: { scopes: ['officer'] },
  requestCaseApproval: { scopes: ['loggedIn'] },
  decideCaseApproval: { scopes: ['streetOfficer'] },
  // dispatch: officers dispatch; the addressees (departments, grid workers) work the orders
  dispatchCase: { scopes: ['officer'] },
  signDispatchOrder: { scopes: ['departmentStaff', 'gridWorker', 'admin'] },
  reportOnSite: { scopes: ['departmentStaff', 'gridWorker', 'admin'] },
  completeDispatchOrder: { scopes: ['departmentStaff', 'gridWorker', 'admin'] },
  returnDispatchOrder: { scopes: ['departmentStaff', 'gridWorker', 'admin'] },
  cancelDispatchOrder: { scopes: ['officer'] },
  transferDispatchOrder: { scopes: ['officer'] },
  // supervision (督办): the addressee of the overdue order signs for and answers it
  acknowledgeSupervision: { scopes: ['departmentStaff', 'gridWorker'] },
  answerSupervision: { scopes: ['departmentStaff', 'gridWorker'] },
  registerWebhook: { scopes: ['admin', 'departmentStaff'] },
  // party building
  createPartyOrg: { scopes: ['officer'] },
  updatePartyOrg: { scopes: ['officer'] },
  createPartyMember: { scopes: ['communityOfficer'] },
  updatePartyMember: { scopes: ['loggedIn'] },
  submitDualReport: { scopes: ['loggedIn'] },
  approveDualReport: { scopes: ['communityOfficer'] },
  rejectDualReport: { scopes: ['communityOfficer'] },
  withdrawDualReport: { scopes: ['loggedIn'] },
  transferDualReport: { scopes: ['loggedIn'] },
  pledgeCommitment: { scopes: ['loggedIn'] },
  cancelCommitment: { scopes: ['loggedIn'] },
  recordPartyService: { scopes: ['communityOfficer'] },
  sendPerformanceFeedback: { scopes: ['communityOfficer'] },
  // joint construction: agreements (actors per row: the transition table)
  createJointAgreement: { scopes: ['officer'] },
  updateJointAgreement: { scopes: ['officer'] },
  addAgreementParty: { scopes: ['officer'] },
  addAgreementItem: { scopes: ['officer'] },
  cancelAgreementItem: { scopes: ['officer'] },
  confirmAgreementParty: { scopes: ['unitContact'] },
  signJointAgreement: { scopes: ['officer'] },
  activateJointAgreement: { scopes: ['officer'] },
  terminateJointAgreement: { scopes: ['officer'] },
  recordAgreementProgress: { scopes: ['loggedIn'] },
  submitAgreementReport: { scopes: ['unitContact'] },
  reviewAgreementUnit: { scopes: ['officer'] },
  // joint construction: the three lists and projects
  raiseNeed: { scopes: ['officer', 'gridWorker'] },
  withdrawNeed: { scopes: ['officer'] },
  offerResource: { scopes: ['officer', 'unitContact'] },
  withdrawResource: { scopes: ['officer', 'unitContact'] },
  claimNeed: { scopes: ['officer', 'unitContact'] },
  approveNeedClaim: { scopes: ['officer'] },
  rejectNeedClaim: { scopes: ['officer'] },
  withdrawNeedClaim: { scopes: ['loggedIn'] },
  claimResource: { scopes: ['officer'] },
  approveResourceClaim: { scopes: ['officer'] },
  rejectResourceClaim: { scopes: ['officer'] },
  withdrawResourceClaim: { scopes: ['officer'] },
  createProject: { scopes: ['officer'] },
  startProject: { scopes: ['loggedIn'] },
  recordProjectProgress: { scopes: ['loggedIn'] },
  addProjectMilestone: { scopes: ['officer'] },
  completeProjectMilestone: { scopes: ['loggedIn'] },
  cancelProject: { scopes: ['officer'] },
  // volunteering: teams and activities
  createVolunteerTeam: { scopes: ['officer'] },
  updateVolunteerTeam: { scopes: ['loggedIn'] },
  setVolunteerTeamMembership: { scopes: ['loggedIn'] },
  createVolunteerActivity: { scopes: ['loggedIn'] },
  updateVolunteerActivity: { scopes: ['loggedIn'] },
  publishVolunteerActivity: { scopes: ['loggedIn'] },
  startVolunteerActivity: { scopes: ['loggedIn'] },
  finishVolunteerActivity: { scopes: ['loggedIn'] },
  cancelVolunteerActivity: { scopes: ['loggedIn'] },
  signUpForActivity: { scopes: ['loggedIn'] },
  cancelActivitySignup: { scopes: ['loggedIn'] },
  checkInActivitySignup: { scopes: ['loggedIn'] },
  checkOutActivitySignup: { scopes: ['loggedIn'] },
  completeActivitySignup: { scopes: ['loggedIn'] },
  markActivityNoShow: { scopes: ['loggedIn'] },
  // volunteering: points, the love supermarket, micro-wishes
  adjustPoints: { scopes: ['officer'] },
  transferPoints: { scopes: ['loggedIn'] },
  createRewardItem: { scopes: ['officer'] },
  updateRewardItem: { scopes: ['officer'] },
  redeemReward: { scopes: ['loggedIn'] },
  fulfilRedemption: { scopes: ['officer'] },
  cancelRedemption: { scopes: ['loggedIn'] },
  createMicroWish: { scopes: ['loggedIn'] },
  claimMicroWish: { scopes: ['partyMember', 'unitContact'] },
  releaseMicroWish: { scopes: ['loggedIn'] },
  fulfilMicroWish: { scopes: ['partyMember', 'unitContact'] },
  confirmMicroWish: { scopes: ['loggedIn'] },
  cancelMicroWish: { scopes: ['loggedIn'] },
  // administration
  createUser: { scopes: ['streetOfficer'] },
  updateUser: { scopes: ['streetOfficer'] },
  setUserGrants: { scopes: ['streetOfficer'] },
  deactivateUser: { scopes: ['streetOfficer'] },
  reactivateUser: { scopes: ['streetOfficer'] },
  createDepartment: { scopes: ['streetOfficer'] },
  updateDepartment: { scopes: ['streetOfficer'] },
  createResidentUnit: { scopes: ['officer'] },
  updateResidentUnit: { scopes: ['officer'] },
  createCompound: { scopes: ['officer'] },
  updateCompound: { scopes: ['officer'] },
  createCaseCategory: { scopes: ['admin'] },
  updateCaseCategory: { scopes: ['admin'] },
  createRoutingRule: { scopes: ['streetOfficer'] },
  updateRoutingRule: { scopes: ['streetOfficer'] },
  createServiceItem: { scopes: ['admin'] },
  updateServiceItem: { scopes: ['admin'] },
  setAssessmentWeights: { scopes: ['streetOfficer'] },
  deactivateWebhook: { scopes: ['admin', 'departmentStaff'] },
  rotateWebhookSecret: { scopes: ['admin', 'departmentStaff'] },
}

/** Subscriptions: any signed-in viewer, which events reach them being the read policies' business; the command centre officers only. */
const SUBSCRIPTIONS: Record<string, CallRow> = {
  activityUpdated: { scopes: ['loggedIn'] },
  agreementUpdated: { scopes: ['loggedIn'] },
  caseUpdated: { scopes: ['loggedIn'] },
  commandCentreUpdated: { scopes: ['officer'] },
  dispatchOrderCreated: { scopes: ['loggedIn'] },
  dispatchOrderUpdated: { scopes: ['loggedIn'] },
  dualReportUpdated: { scopes: ['loggedIn'] },
  gridUpdated: { scopes: ['loggedIn'] },
  microWishUpdated: { scopes: ['loggedIn'] },
}

// ---------------------------------------------------------------- the app, the viewers, the rows the IDs name

let t: TestApp
let viewers: TableViewer[] = []
const tokens = new Map<string, string>()
/** One real row per object type (the first by id), for the ID arguments that name that type. */
const realRows = new Map<string, string>()
/** Per viewer: the region of their work (an officer's own; the street of community A otherwise). */
const homes = new Map<string, string>()
let regionA = ''

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

it.beforeAll(async ({ app }) => {
  t = app
  const found = await findViewers(t.prisma)
  viewers = found.viewers
  regionA = globalId('Region', found.communities.a)
  const streetA = (await t.prisma.region.findUniqueOrThrow({ where: { id: found.communities.a } })).parentId!
  await Promise.all(
    viewers.map(async (v) => {
      tokens.set(v.key, await t.tokenFor(v.username))
      const user = await t.prisma.user.findUniqueOrThrow({ where: { id: v.userId } })
      homes.set(
        v.key,
        globalId(
          'Region',
          (v.role === 'STREET_OFFICER' || v.role === 'COMMUNITY_OFFICER') && user.regionIds[0]
            ? user.regionIds[0]
            : streetA,
        ),
      )
    }),
  )
  const delegates = t.prisma as unknown as Record<
    string,
    { findFirst?: (a: object) => Promise<{ id: string } | null> } | undefined
  >
  for (const type of nodeTypeNames(schema)) {
    const row = await delegates[lowerFirst(type)]?.findFirst?.({ select: { id: true }, orderBy: { id: 'asc' } })
    if (row) realRows.set(type, row.id)
  }
})

// ---------------------------------------------------------------- calling

const allowed = (scopes: Scope[], v: TableViewer) => scopes.some((s) => SCOPE_ROLES[s].includes(v.role))

/** The ID sent for an argument naming `type`: the viewer's own account for users, else a real row, else a random one. */
const idChooser = (v: TableViewer | null) => (type: string | null) => {
  if (type === 'User') return globalId('User', v?.userId ?? realRows.get('User')!)
  if (type && realRows.has(type)) return globalId(type, realRows.get(type)!)
  return globalId(type ?? 'Node', randomUUID())
}

function call(
  kind: OperationKind,
  field: GraphQLField<unknown, unknown>,
  v: TableViewer | null,
  extra: Record<string, unknown> = {},
) {
  const op = operationFor(kind, field, schema, idChooser(v), extra)
  return gql(t.url, op.document, op.variables, { token: v ? tokens.get(v.key) : undefined })
}

const codes = (res: GqlResponse) => (res.errors ?? []).map((e) => String(e.extensions?.code ?? e.message))
const describeRes = (res: GqlResponse, field: string) =>
  JSON.stringify({ errors: codes(res), data: res.data?.[field] })?.slice(0, 300)

/** Refused: a top-level `auth/forbidden` error with no data, or the field's typed `Forbidden` member. */
function refused(res: GqlResponse, field: string): boolean {
  const value = res.data?.[field] as { __typename?: string; code?: string } | null | undefined
  if (value && value.__typename === 'Forbidden') return value.code === 'auth/forbidden' && !res.errors?.length
  return (value ?? null) === null && codes(res).includes('auth/forbidden')
}

const chunks = <T>(xs: T[], n: number) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n))

const NODE_IDS = graphql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }')

/** The ids `token` reads through `nodes(ids)`, in order (null for those it may not read). */
async function readable(ids: string[], token?: string): Promise<(string | null)[]> {
  const out: (string | null)[] = []
  for (const part of chunks(ids, 100)) {
    const res = await gql(t.url, NODE_IDS, { ids: part }, { token })
    if (res.errors?.length || !res.data) throw new Error(`nodes failed: ${JSON.stringify(res.errors)}`)
    out.push(...res.data.nodes.map((n) => n?.id ?? null))
  }
  return out
}

const same = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i])
const viewerByKey = (key: string) => viewers.find((v) => v.key === key)

// ---------------------------------------------------------------- the tests

const rootFields = (kind: OperationKind) => {
  const type =
    kind === 'query'
      ? schema.getQueryType()
      : kind === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType()
  return Object.values(type?.getFields() ?? {}) as GraphQLField<unknown, unknown>[]
}

describe('the authorization table', () => {
  it('should have viewers for every role: anonymous and two per role', () => {
    for (const role of ROLES)
      expect(viewers.filter((v) => v.role === role).length, role).toBeGreaterThanOrEqual(role === 'ADMIN' ? 1 : 2)
  })

  it('should name only fields that exist (no stale rows)', () => {
    const stale = (table: Record<string, unknown>, kind: OperationKind) =>
      Object.keys(table)
        .filter((name) => !rootFields(kind).some((f) => f.name === name))
        .map((n) => `${kind} ${n}`)
    expect([
      ...stale(QUERIES, 'query'),
      ...stale(MUTATIONS, 'mutation'),
      ...stale(SUBSCRIPTIONS, 'subscription'),
    ]).toEqual([])
  })
})

describe('queries', () => {
  for (const field of rootFields('query')) {
    it(`should answer Query.${field.name} as its row says`, async () => {
      const row = QUERIES[field.name]
      expect(row, `Query.${field.name} is missing from the authorization table (default deny)`).toBeDefined()
      if (!row) return
      const failures: string[] = []
      const extra = (v: TableViewer | null) =>
        row.args?.({ viewer: v, home: v ? homes.get(v.key)! : globalId('Region', randomUUID()), regionA }) ?? {}
      const [anonymous, ...results] = await Promise.all(
        [null, ...viewers].map((v) => call('query', field, v, extra(v))),
      )

      // anonymous: refused, or null for me/node/nodes
      if (row.anonymousNull) {
        const value = anonymous!.data?.[field.name]
        const empty = Array.isArray(value) ? value.every((x) => x === null) : value === null
        if (anonymous!.errors?.length || !empty)
          failures.push(`anonymous: expected null, got ${describeRes(anonymous!, field.name)}`)
      } else if (!refused(anonymous!, field.name))
        failures.push(`anonymous: expected a refusal, got ${describeRes(anonymous!, field.name)}`)

      // each viewer: refused outside the scopes, answered (no error at all) inside
      const rows = new Map<string, string[]>()
      viewers.forEach((v, i) => {
        const res = results[i]!
        if (!allowed(row.scopes, v)) {
          if (!refused(res, field.name))
            failures.push(
              `${v.key} (${v.username}, outside ${row.scopes.join('|')}): expected a refusal, got ${describeRes(res, field.name)}`,
            )
        } else if (res.errors?.length || res.data?.[field.name] === undefined) {
          failures.push(`${v.key} (${v.username}): expected an answer, got ${describeRes(res, field.name)}`)
        } else if (returnsRows(field)) rows.set(v.key, rowsOf(res.data[field.name]))
      })

      // rows: public lists the same for everyone allowed; filtered ones differ between the two viewers of a pair
      if (row.rows === 'public') {
        const [first, ...rest] = [...rows.entries()]
        for (const [key, ids] of rest)
          if (first && !same(first[1], ids))
            failures.push(
              `public list: ${key} sees ${ids.length} rows, ${first[0]} ${first[1].length} — not the same rows`,
            )
      }
      if (row.rows === 'filtered') {
        for (const role of row.pairs ?? [CO]) {
          const [a, b] = [rows.get(`${role}:a`), rows.get(`${role}:b`)]
          if (!a || !b) {
            if (viewerByKey(`${role}:a`) && allowed(row.scopes, viewerByKey(`${role}:a`)!))
              failures.push(`filtered pair ${role}: no answer to compare`)
            continue
          }
          if ((a.length || b.length) && same(a, b))
            failures.push(
              `filtered list: ${viewerByKey(`${role}:a`)!.username} and ${viewerByKey(`${role}:b`)!.username} (${role}, different scopes) see the same ${a.length} rows`,
            )
        }
        for (const role of row.sameFor ?? []) {
          const [a, b] = [rows.get(`${role}:a`), rows.get(`${role}:b`)]
          if (a && b && !same(a, b))
            failures.push(`public part: the two ${role} viewers see different rows (${a.length} / ${b.length})`)
        }
        for (const role of row.none ?? []) {
          for (const side of ['a', 'b']) {
            const seen = rows.get(`${role}:${side}`)
            if (seen?.length)
              failures.push(
                `${role}:${side} (${viewerByKey(`${role}:${side}`)!.username}) must see no row, sees ${seen.length}`,
              )
          }
        }
      }

      // policy consistency: what a viewer got, they read again through nodes(ids); anonymous reads none of it
      {
        const everything = new Set<string>()
        await Promise.all(
          viewers.map(async (v, i) => {
            const res = results[i]!
            if (!allowed(row.scopes, v) || res.errors?.length) return
            const ids = [...new Set(idsIn(res.data?.[field.name]))]
            for (const id of ids) everything.add(id)
            if (!ids.length) return
            const back = await readable(ids, tokens.get(v.key))
            const lost = ids.filter((id, k) => back[k] !== id)
            if (lost.length)
              failures.push(
                `${v.key} (${v.username}) got ${lost.length} of ${ids.length} rows it cannot read through nodes(), e.g. ${Buffer.from(lost[0]!, 'base64').toString()}`,
              )
          }),
        )
        const anonymousReads = (await readable([...everything])).filter((x) => x !== null)
        if (anonymousReads.length)
          failures.push(
            `anonymous reads ${anonymousReads.length} of these rows through nodes(), e.g. ${Buffer.from(anonymousReads[0]!, 'base64').toString()}`,
          )
      }

      expect(failures, `Query.${field.name}`).toEqual([])
    })
  }
})

describe('mutations', () => {
  for (const field of rootFields('mutation')) {
    it(`should answer Mutation.${field.name} as its row says`, async () => {
      const row = MUTATIONS[field.name]
      expect(row, `Mutation.${field.name} is missing from the authorization table (default deny)`).toBeDefined()
      if (!row) return
      const failures: string[] = []
      const [anonymous, ...results] = await Promise.all([null, ...viewers].map((v) => call('mutation', field, v)))
      const typedForbidden = (res: GqlResponse) => {
        const value = res.data?.[field.name] as { __typename?: string; code?: string } | undefined
        return !res.errors?.length && value?.__typename === 'Forbidden' && value.code === 'auth/forbidden'
      }
      if (!typedForbidden(anonymous!))
        failures.push(`anonymous: expected the typed Forbidden member, got ${describeRes(anonymous!, field.name)}`)
      viewers.forEach((v, i) => {
        const res = results[i]!
        if (!allowed(row.scopes, v)) {
          if (!typedForbidden(res))
            failures.push(
              `${v.key} (${v.username}, outside ${row.scopes.join('|')}): expected the typed Forbidden member, got ${describeRes(res, field.name)}`,
            )
        } else if (res.errors?.length || !res.data?.[field.name]) {
          failures.push(
            `${v.key} (${v.username}): expected a payload or a typed error, got ${describeRes(res, field.name)}`,
          )
        }
      })
      expect(failures, `Mutation.${field.name}`).toEqual([])
    })
  }
})

/** Subscribes over graphql-ws and over SSE; resolves with each transport's first result, closing both. */
async function subscribeBoth(document: string, variables: Record<string, unknown>, token?: string) {
  const deadline = <T>(p: Promise<T>, what: string) => {
    let timer: NodeJS.Timeout | undefined
    return Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within 5 s (not refused?)`)), 5_000)
      }),
    ]).finally(() => clearTimeout(timer))
  }
  const ws = wsClient(t.wsUrl, token ?? null)
  const sub = collect(ws, document, variables)
  const overWs = deadline(sub.next(1), 'graphql-ws')
    .then((items) => items[0]!)
    .finally(async () => {
      sub.dispose()
      await ws.dispose()
    })

  const abort = new AbortController()
  const overSse = deadline(
    (async () => {
      const res = await fetch(t.url, {
        method: 'POST',
        signal: abort.signal,
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          'x-graphql-yoga-csrf': '1',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query: document, variables }),
      })
      const reader = res.body!.getReader()
      const decoder = new TextDecoder()
      let text = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (value) text += decoder.decode(value, { stream: true })
        const data = /^data: (\{.*\})$/m.exec(text)
        if (data) return JSON.parse(data[1]!) as { data?: unknown; errors?: { extensions?: { code?: string } }[] }
        if (done) throw new Error(`SSE ended without a result: ${text}`)
      }
    })(),
    'SSE',
  ).finally(() => abort.abort())

  const [wsResult, sseResult] = await Promise.allSettled([overWs, overSse])
  return { ws: wsResult, sse: sseResult }
}

describe('subscriptions', () => {
  for (const field of rootFields('subscription')) {
    it(`should refuse Subscription.${field.name} to whoever its row leaves out`, async () => {
      const row = SUBSCRIPTIONS[field.name]
      expect(row, `Subscription.${field.name} is missing from the authorization table (default deny)`).toBeDefined()
      if (!row) return
      const failures: string[] = []
      const outside = [null, ...viewers.filter((v) => !allowed(row.scopes, v))]
      await Promise.all(
        outside.map(async (v) => {
          const op = operationFor('subscription', field, schema, idChooser(v))
          const { ws, sse } = await subscribeBoth(op.document, op.variables, v ? tokens.get(v.key) : undefined)
          for (const [transport, result] of [
            ['graphql-ws', ws],
            ['SSE', sse],
          ] as const) {
            const who = v ? `${v.key} (${v.username})` : 'anonymous'
            if (result.status === 'rejected') {
              failures.push(`${who} over ${transport}: ${String(result.reason)}`)
              continue
            }
            const errs = (result.value.errors ?? []) as { extensions?: { code?: string } }[]
            if (!errs.some((e) => e.extensions?.code === 'auth/forbidden') || result.value.data)
              failures.push(
                `${who} over ${transport}: expected a refusal, got ${JSON.stringify(result.value).slice(0, 300)}`,
              )
          }
        }),
      )
      expect(failures, `Subscription.${field.name}`).toEqual([])
    })
  }
})
