// Default deny (DESIGN §5): every object type of the schema is read under a policy. A type backed by
// a Prisma model needs that model's read policy; any other object type must be one of the shapes
// that carry no rows of their own (payloads, connections, errors) or be listed below with the
// parent whose policy covers it. A new type without either fails here.
import { describe, expect, it } from 'vitest'
import { isObjectType, type GraphQLObjectType } from 'graphql'
import { schema } from '../../../src/schema.js'
import { policyModels, ruleFor } from '../../../src/auth/policy.js'
import { getDatamodel } from '../../../src/generated/pothos-types.js'

/** Object types that are no rows: each is reached only through a parent read under a policy. */
const VALUE_TYPES: Record<string, string> = {
  FieldIssue: 'the ValidationFailed error it details',
  CaseLocation: 'the Case row it belongs to',
  BoundingBox: 'the Grid row it belongs to',
  GridPublicCard: 'the Grid row it belongs to (a projection of published data)',
  PublicCardDuty: 'GridPublicCard',
  PublicCardPartyMember: 'GridPublicCard (approved reports; phones by personal-data.ts)',
  PublicCardWorker: 'GridPublicCard (phones by personal-data.ts)',
  DispatchOrderFeedEvent: 'dispatchOrderCreated: its order is read through the reader',
  RegisteredWebhook: 'registerWebhook payload: its endpoint is read through the reader',
  CommitmentProgress: 'MemberServiceRecord',
  MemberServiceRecord: 'partyMemberRecord: computed for a member readable under the PartyMember policy',
  CommunityPartyCoverage: 'partyCoverage: officers, aggregated over their region',
  JointConstructionOverview: 'jointConstructionOverview: officers, aggregated over their region',
  CommunityJointOverview: 'JointConstructionOverview',
  StatusCount: 'the overviews above',
  VolunteerHoursRow: 'volunteerHours: aggregated over rows under the activity and signup policies',
  VolunteerLeaderboardEntry: 'volunteerLeaderboard: names by personal-data.ts',
  AssessmentPeriod: 'the assessment reports below',
  AssessmentWeights: 'assessmentWeights / the reports: an AssessmentWeights row (policy: signed in) or the defaults',
  SupervisionLevelCount: 'DepartmentPerformance',
  DepartmentPerformance:
    'departmentPerformance: aggregated in SQL; officers their subtree, a department its own row (assessment.service.ts)',
  DepartmentPerformanceReport: 'departmentPerformance',
  GridPerformance: "gridPerformance: aggregated in SQL over an officer's region (assessment.service.ts)",
  GridPerformanceReport: 'gridPerformance',
  GridWorkerPerformance: "gridWorkerPerformance: aggregated in SQL over an officer's region (assessment.service.ts)",
  GridWorkerPerformanceReport: 'gridWorkerPerformance',
  CaseStatistics:
    "caseStatistics / CommandCentre.caseStatistics: aggregated in SQL over an officer's region (statistics.service.ts)",
  CaseCount: 'CaseStatistics',
  CaseStatusCount: 'CaseStatistics',
  CaseSourceCount: 'CaseStatistics',
  CaseCategoryCount: 'CaseStatistics: its category is read through the reader',
  GridCaseCount: 'CaseStatistics: its grid is read through the reader',
  CommunityCaseCount: 'CaseStatistics: its community is read through the reader',
  DepartmentCaseCount: 'CaseStatistics: its department is read through the reader',
  MonthCaseCount: 'CaseStatistics',
  CommandCentre:
    "commandCentre / commandCentreUpdated: aggregated in SQL over an officer's region (statistics.service.ts)",
  CommandCentreTotals: 'CommandCentre',
  GridOverdue: 'CommandCentre: its grid is read through the reader',
  DepartmentLoad: 'CommandCentre: its department is read through the reader',
}

const objectTypes = () =>
  Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
const modelOf = (t: GraphQLObjectType) => (t.extensions as { pothosPrismaModel?: string }).pothosPrismaModel
const carriesNoRows = (t: GraphQLObjectType) =>
  ['Query', 'Mutation', 'Subscription', 'PageInfo'].includes(t.name) ||
  /(Payload|Connection|ConnectionEdge)$/.test(t.name) ||
  t.getInterfaces().some((i) => i.name === 'Error')

describe('default deny', () => {
  it('should find a read policy for the model of every object type backed by Prisma', () => {
    const missing = objectTypes()
      .map(modelOf)
      .filter((m): m is string => !!m && !policyModels().has(m))
    expect(missing).toEqual([])
  })

  it('should find a read policy for every model of the data model, reached or not', () => {
    const models = Object.keys(getDatamodel().datamodel.models)
    expect(models.filter((m) => !policyModels().has(m))).toEqual([])
  })

  it('should know every other object type as a shape without rows or a value of a policed parent', () => {
    const unknown = objectTypes()
      .filter((t) => !modelOf(t) && !carriesNoRows(t) && !(t.name in VALUE_TYPES))
      .map((t) => t.name)
    expect(unknown).toEqual([])
    const stale = Object.keys(VALUE_TYPES).filter((name) => !schema.getType(name))
    expect(stale).toEqual([])
  })

  it('should give an anonymous viewer no rows of any model and an unknown model no rows for anyone', () => {
    for (const m of policyModels()) expect(ruleFor(m, null)).toEqual({ id: { in: [] } })
    const viewer = {
      userId: 'u',
      roles: new Set(['STREET_OFFICER'] as const),
      regionIds: ['r'],
      gridIds: [],
      departmentId: null,
      unitId: null,
    }
    expect(ruleFor('NoSuchModel', viewer)).toEqual({ id: { in: [] } })
  })
})
