// Assessment (考核): DepartmentPerformance and GridPerformance (DESIGN §2), GridWorkerPerformance,
// and the weights of the departments' composite score. The descriptions below are the definition
// of every figure: a street office checks the numbers against them.
import { builder } from '../../builder.js'
import { rowById } from '../../shared/rows-by-id.js'
import { payload } from '../../shared/mutations.js'
import '../directory/directory.schema.js'
import '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as service from './assessment.service.js'
import { MAX_RANGE_DAYS, type Period } from './period.js'
import { DEFAULT_WEIGHTS, WEIGHT_DESCRIPTIONS, WEIGHT_KEYS, type WeightKey } from './weights.js'

// ---------------------------------------------------------------- shared wording

/** Which orders a department's figures count. */
const ORDERS =
  'the orders received: dispatch orders (派单) addressed to the department, created in the period, on cases whose grid lies in the region'
/** Which orders the shares are of. */
const COUNTED = "orders received that were not cancelled (撤单 by the dispatcher: not the department's doing)"
/** When outcomes are judged. */
const AS_OF = 'as of `asOf`'
const SCORE_SCALE = 'Percent, 0–100; null when the denominator is 0'
const CASES = 'cases reported (created) in the period in the grid'

// ---------------------------------------------------------------- period

export const PeriodInput = builder.inputType('AssessmentPeriodInput', {
  description:
    'An assessment period (考核周期) in China Standard Time (Asia/Shanghai, UTC+8): exactly one of month, quarter, year, or startDate with endDate.',
  fields: (t) => ({
    month: t.string({
      required: false,
      description:
        "A calendar month, `YYYY-MM`, e.g. `2026-11`: from the 1st 00:00 to the next month's 1st 00:00, Shanghai time (月度).",
    }),
    quarter: t.string({
      required: false,
      description: 'A calendar quarter, `YYYY-Q1` … `YYYY-Q4` (Q1 = January–March) (季度).',
    }),
    year: t.int({ required: false, description: 'A calendar year, e.g. 2026 (年度).' }),
    startDate: t.string({
      required: false,
      description: 'First day of a range, `YYYY-MM-DD`, from 00:00 Shanghai time; with endDate (起始日).',
    }),
    endDate: t.string({
      required: false,
      description: `Last day of a range, \`YYYY-MM-DD\`, included (to 24:00 Shanghai time); at most ${MAX_RANGE_DAYS} days (截止日，含当日).`,
    }),
  }),
})

export const PeriodRef = builder.objectRef<Pick<Period, 'label' | 'from' | 'to'>>('AssessmentPeriod').implement({
  description: 'The period the figures cover (考核周期): the half-open range [from, to) of instants.',
  fields: (t) => ({
    label: t.exposeString('label', {
      description: 'The period as given: `2026-11`, `2026-Q4`, `2026` or `2026-11-01~2026-11-15` (周期名称).',
    }),
    from: t.field({
      type: 'DateTime',
      resolve: (p) => p.from,
      description: 'First instant of the period, e.g. 2026-10-31T16:00:00Z for November 2026 (起始时刻，含).',
    }),
    to: t.field({
      type: 'DateTime',
      resolve: (p) => p.to,
      description: 'First instant after the period (截止时刻，不含).',
    }),
  }),
})

// ---------------------------------------------------------------- weights

const WeightsRef = builder.objectRef<service.WeightsView>('AssessmentWeights').implement({
  description: `How a street weighs the figures of the departments' composite score (考核权重): whole percentage points, non-negative, summing to 100. A street that never set them uses the defaults (${WEIGHT_KEYS.map((k) => `${k} ${DEFAULT_WEIGHTS[k]}`).join(', ')}); regions above street level always do.`,
  fields: (t) => ({
    street: t.prismaField({
      type: 'Region',
      nullable: true,
      description: 'The street the weights belong to; null above street level (所属街道).',
      resolve: (query, w, _a, ctx) =>
        w.streetId ? ctx.reader.region.findUnique({ ...query, where: { id: w.streetId } }) : null,
    }),
    ...(Object.fromEntries(
      WEIGHT_KEYS.map((k) => [k, t.exposeInt(k, { description: WEIGHT_DESCRIPTIONS[k] })]),
    ) as Record<WeightKey, ReturnType<typeof t.exposeInt>>),
    isDefault: t.exposeBoolean('isDefault', {
      description: 'The street has not set its own weights: these are the defaults (是否默认权重).',
    }),
    version: t.exposeInt('version', {
      description: 'Version for optimistic concurrency; 0 while the defaults apply (版本号).',
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (w) => w.updatedAt,
      description: 'Last set at; null for the defaults (设置时间).',
    }),
  }),
})

// ---------------------------------------------------------------- department figures

interface LevelCount {
  level: number
  count: number
}
const LevelCountRef = builder.objectRef<LevelCount>('SupervisionLevelCount').implement({
  description: 'Supervisions (督办) of one level (按级别统计的督办数).',
  fields: (t) => ({
    level: t.exposeInt('level', {
      description:
        'Level: 1 the first notice, each repetition one level (and one region) higher; 3 also counts any above (督办级别).',
    }),
    count: t.exposeInt('count', { description: 'Supervisions of that level (督办次数).' }),
  }),
})

const DepartmentRowRef = builder.objectRef<service.DepartmentRow>('DepartmentPerformance').implement({
  description: `One department's response figures for a period and region (部门考核). Every figure counts ${ORDERS}; what has happened to them is judged ${AS_OF}. Percentages are 0–100.`,
  fields: (t) => ({
    department: t.prismaField({
      type: 'Department',
      description: 'The department (职能部门).',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'department', query, r.departmentId),
    }),
    ordersReceived: t.exposeInt('received', { description: `Orders received: ${ORDERS}, in any state (接单数).` }),
    ordersCancelled: t.exposeInt('cancelled', {
      description: 'Of those, cancelled by the dispatcher (撤单数); left out of every share below.',
    }),
    ordersCounted: t.exposeInt('counted', {
      description: `ordersReceived − ordersCancelled: the ${COUNTED} (计入考核的派单数).`,
    }),
    signedOnTimeCount: t.exposeInt('signedOnTime', {
      description: `Counted orders signed for (签收) no later than their signing deadline: signedAt ≤ signBy (按时签收数).`,
    }),
    signingDueCount: t.exposeInt('signDue', {
      description: `Counted orders that had to be signed by now: those signed, plus those still unsigned (CREATED) whose signBy has passed ${AS_OF}. Orders returned or transferred before anyone signed them are not due (应签收数).`,
    }),
    signedOnTimePercent: t.exposeFloat('signedOnTimePercent', {
      nullable: true,
      description: `signedOnTimeCount ÷ signingDueCount × 100. ${SCORE_SCALE} (签收及时率).`,
    }),
    completedOnTimeCount: t.exposeInt('completedOnTime', {
      description:
        'Counted orders COMPLETED no later than their completion deadline: completedAt ≤ completeBy, the deadline as it stands (moved by approved extensions and suspensions) (按时办结数).',
    }),
    completionDueCount: t.exposeInt('completionDue', {
      description: `Counted orders that had to be completed by now: those COMPLETED, plus those still open (CREATED, SIGNED, ON_SITE) whose completeBy has passed ${AS_OF}. Orders that left the department (RETURNED, TRANSFERRED) are not due (应办结数).`,
    }),
    completedOnTimePercent: t.exposeFloat('completedOnTimePercent', {
      nullable: true,
      description: `completedOnTimeCount ÷ completionDueCount × 100. ${SCORE_SCALE} (办结及时率).`,
    }),
    returnedCount: t.exposeInt('returned', {
      description:
        'Counted orders the department returned (退单) to the dispatcher, whatever happened to them after (e.g. transferred on) (退单数).',
    }),
    returnedPercent: t.exposeFloat('returnedPercent', {
      nullable: true,
      description: `returnedCount ÷ ordersCounted × 100. ${SCORE_SCALE} (退单率).`,
    }),
    transferredCount: t.exposeInt('transferred', {
      description:
        'Counted orders the dispatcher moved from the department to another addressee (转单), now TRANSFERRED (转单数).',
    }),
    transferredPercent: t.exposeFloat('transferredPercent', {
      nullable: true,
      description: `transferredCount ÷ ordersCounted × 100. ${SCORE_SCALE} (转单率).`,
    }),
    supervisionCount: t.exposeInt('supervisions', {
      description:
        'Supervisions (督办, rows of the Supervision table) raised on the counted orders, at any time until now, of both kinds (sign or completion overdue) (督办次数).',
    }),
    supervisionsByLevel: t.field({
      type: [LevelCountRef],
      description: 'supervisionCount by level, levels 1, 2 and 3 (分级督办数).',
      resolve: (r) => [
        { level: 1, count: r.supervisionsLevel1 },
        { level: 2, count: r.supervisionsLevel2 },
        { level: 3, count: r.supervisionsLevel3 },
      ],
    }),
    supervisedOrderCount: t.exposeInt('supervisedOrders', {
      description: 'Counted orders with at least one supervision (被督办派单数).',
    }),
    supervisedPercent: t.exposeFloat('supervisedPercent', {
      nullable: true,
      description: `supervisedOrderCount ÷ ordersCounted × 100. ${SCORE_SCALE} (督办率).`,
    }),
    caseCount: t.exposeInt('cases', { description: 'Distinct cases of the counted orders (涉及案件数).' }),
    reopenedCaseCount: t.exposeInt('reopenedCases', {
      description:
        "Of those cases, the ones reopened (重办: an unsatisfied rating moved the case to REOPENED, a CaseEvent with toStatus REOPENED) after the department's first counted order on the case was created (被重办案件数).",
    }),
    reopenedPercent: t.exposeFloat('reopenedPercent', {
      nullable: true,
      description: `reopenedCaseCount ÷ caseCount × 100. ${SCORE_SCALE} (重办率).`,
    }),
    averageSatisfaction: t.exposeFloat('averageSatisfaction', {
      nullable: true,
      description:
        "Mean of the ratings (CaseFeedback.satisfaction, 1–5) the department answers for: each rating of a case belongs to the case's lead order (主办) that was the latest one, not cancelled, created before the rating; it counts here when that order is the department's and is one of the orders received. Null without ratings (平均满意度).",
    }),
    ratingCount: t.exposeInt('ratings', { description: 'The ratings averaged in averageSatisfaction (评价数).' }),
    medianHoursToSign: t.exposeFloat('medianHoursToSign', {
      nullable: true,
      description:
        'Median of signedAt − createdAt in hours over the counted orders that were signed (continuous median, percentile_cont 0.5); null when none was (签收用时中位数，小时).',
    }),
    medianHoursToComplete: t.exposeFloat('medianHoursToComplete', {
      nullable: true,
      description:
        'Median of completedAt − createdAt in hours over the COMPLETED orders (percentile_cont 0.5); null when none was (办结用时中位数，小时).',
    }),
    score: t.exposeFloat('score', {
      nullable: true,
      description:
        "Composite score 0–100, rounded to 2 decimals (综合得分): Σ weight × figure ÷ scoreBasis over the six figures of the report's `formula` — signedOnTimePercent, completedOnTimePercent, averageSatisfaction × 20, 100 − returnedPercent, 100 − reopenedPercent, 100 − supervisedPercent. A figure that is null (nothing due, no rating) is left out, and so is its weight; null when every weighted figure is.",
    }),
    scoreBasis: t.exposeInt('scoreBasis', {
      description:
        'The sum of the weights of the figures that had data: 100 when all had; the score divides by it (计分权重合计).',
    }),
    rank: t.exposeInt('rank', {
      nullable: true,
      description:
        'Place by score among the departments of the region, from 1; equal scores share a place and the next place is skipped (1, 2, 2, 4); null without a score (排名).',
    }),
    rankedOutOf: t.exposeInt('ranked', {
      description: 'How many departments of the region have a score (参与排名的部门数).',
    }),
  }),
})

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never

/** The region and the period every assessment report names, said once. */
const reportHeader = <R extends Pick<service.Scope, 'region' | 'period'>>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, R>,
) => ({
  region: t.prismaField({
    type: 'Region',
    description: 'The region (考核区域).',
    resolve: (query, r, _a, ctx) => rowById(ctx, 'region', query, r.region.id),
  }),
  period: t.field({ type: PeriodRef, resolve: (r) => r.period, description: 'The period (考核周期).' }),
})

const DepartmentReportRef = builder.objectRef<service.DepartmentReport>('DepartmentPerformanceReport').implement({
  description:
    'Department assessment of a region for a period (部门考核表). The departments listed: those of the region, of the regions above it (district) and below it, and any other that received an order there in the period.',
  fields: (t) => ({
    ...reportHeader(t),
    asOf: t.field({
      type: 'DateTime',
      resolve: (r) => r.asOf,
      description: 'When the figures were computed: what is due, late or done is judged at this moment (统计时点).',
    }),
    weights: t.field({
      type: WeightsRef,
      resolve: (r) => r.weights,
      description: "The weights of the score: the region's street's (计分权重).",
    }),
    formula: t.exposeString('formula', {
      description:
        'The score as a formula with these weights, e.g. "0.2×签收及时率 + 0.3×办结及时率 + 0.3×满意度得分 + …"; 满意度得分 = averageSatisfaction × 20; figures without data are left out and the result divided by scoreBasis ÷ 100 (计分公式).',
    }),
    rows: t.field({
      type: [DepartmentRowRef],
      resolve: (r) => r.rows,
      description:
        'One row per department, best score first, unscored ones last (by code); department staff receive their own row only (各部门指标).',
    }),
  }),
})

// ---------------------------------------------------------------- grid figures

const GridRowRef = builder.objectRef<service.GridRow>('GridPerformance').implement({
  description: `One grid's figures for a period (网格考核). Case figures count the ${CASES}; what has happened to them is judged ${AS_OF}.`,
  fields: (t) => ({
    grid: t.prismaField({
      type: 'Grid',
      description: 'The grid (网格).',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'grid', query, r.gridId),
    }),
    casesReported: t.exposeInt('reported', {
      description: `All ${CASES}, from every source and in every state (案件总数).`,
    }),
    casesFoundByPatrol: t.exposeInt('patrol', {
      description: 'Of those, found by patrol: source PATROL (巡查发现数).',
    }),
    casesReportedByResidents: t.exposeInt('residents', {
      description:
        'Of those, reported by residents themselves: source RESIDENT or ONLINE (群众上报数); hotline calls (HOTLINE) are not in it.',
    }),
    casesResolved: t.exposeInt('resolved', {
      description: 'Of those, now RESOLVED, VERIFIED or CLOSED: the work is done and was not sent back (办结数).',
    }),
    resolvedOnTimeCount: t.exposeInt('resolvedOnTime', {
      description:
        "Resolved cases whose last resolution (the latest RESOLVE event) came no later than the case's deadline as it stands (moved by approved extensions and suspensions) (按期办结数).",
    }),
    dueCount: t.exposeInt('due', {
      description: `Cases judged for timeliness: the resolved ones, plus those still open on the clock (not REJECTED, SUSPENDED, RESOLVED, VERIFIED or CLOSED) whose deadline has passed ${AS_OF} (应办结数).`,
    }),
    onTimePercent: t.exposeFloat('onTimePercent', {
      nullable: true,
      description: `resolvedOnTimeCount ÷ dueCount × 100. ${SCORE_SCALE} (按期办结率).`,
    }),
    averageSatisfaction: t.exposeFloat('averageSatisfaction', {
      nullable: true,
      description:
        'Mean of every rating (CaseFeedback.satisfaction, 1–5) of those cases, at any time until now; null without ratings (平均满意度).',
    }),
    ratingCount: t.exposeInt('ratings', { description: 'The ratings averaged (评价数).' }),
    verificationsPassed: t.exposeInt('verificationsPassed', {
      description: 'On-site checks of those cases that passed (VERIFY_PASS events) (核查通过次数).',
    }),
    verificationsFailed: t.exposeInt('verificationsFailed', {
      description:
        'On-site checks of those cases that failed and sent the work back (VERIFY_FAIL events) (核查不通过次数).',
    }),
    verificationPassPercent: t.exposeFloat('verificationPassPercent', {
      nullable: true,
      description: `verificationsPassed ÷ (verificationsPassed + verificationsFailed) × 100. ${SCORE_SCALE} (核查通过率).`,
    }),
    activeWorkers: t.exposeInt('activeWorkers', {
      description:
        'Distinct people with a grid assignment (GridAssignment, any role: leader, full-time, part-time, building leader) that served the grid at some time in the period: started before its end and not ended before its start (在岗网格人员数).',
    }),
    households: t.exposeInt('households', {
      nullable: true,
      description:
        'Households of the grid: the sum of Building.households over its buildings, as recorded now (buildings without a figure add nothing); null when none has one (户数).',
    }),
    householdsPerWorker: t.exposeFloat('householdsPerWorker', {
      nullable: true,
      description: 'households ÷ activeWorkers; null when either is missing or 0 (人均服务户数).',
    }),
    volunteerHours: t.exposeFloat('volunteerHours', {
      description:
        "Service hours of completed signups (ActivitySignup COMPLETED) of volunteer activities held in the grid (VolunteerActivity.grid), completed in the period (completedAt, else the activity's end). Activities of the community without a grid count for no grid (志愿服务时长).",
    }),
    volunteerServices: t.exposeInt('volunteerServices', {
      description: 'The completed signups summed in volunteerHours (志愿服务人次).',
    }),
    partyMembersReported: t.exposeInt('partyMembers', {
      description:
        'Distinct party members with an approved member dual report (双报到, DualReport kind MEMBER) assigned to the grid that was in force at the end of the period (or now, for a period not over): approved before the end and not withdrawn or transferred before it (报到党员数).',
    }),
  }),
})

const GridReportRef = builder.objectRef<service.GridReport>('GridPerformanceReport').implement({
  description: 'Grid assessment of a region for a period (网格考核表): every grid whose community lies in the region.',
  fields: (t) => ({
    ...reportHeader(t),
    asOf: t.field({
      type: 'DateTime',
      resolve: (r) => r.asOf,
      description: 'When the figures were computed (统计时点).',
    }),
    rows: t.field({
      type: [GridRowRef],
      resolve: (r) => r.rows,
      description: 'One row per grid, by grid code (各网格指标).',
    }),
  }),
})

const GridWorkerRowRef = builder.objectRef<service.GridWorkerRow>('GridWorkerPerformance').implement({
  description: `One grid worker's cases in one grid for a period (网格员考核): one row per person and grid they served in the period (see GridPerformance.activeWorkers). Cases counted: those the person filed (Case.createdBy, also on a resident's behalf) in that grid, reported in the period; judged ${AS_OF}.`,
  fields: (t) => ({
    worker: t.prismaField({
      type: 'User',
      description: 'The grid worker (网格员).',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'user', query, r.userId),
    }),
    grid: t.prismaField({
      type: 'Grid',
      description: 'The grid (网格).',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'grid', query, r.gridId),
    }),
    casesReported: t.exposeInt('reported', {
      description: 'Cases the person filed in the grid in the period (上报案件数).',
    }),
    casesResolved: t.exposeInt('resolved', { description: 'Of those, now RESOLVED, VERIFIED or CLOSED (办结数).' }),
    resolvedOnTimeCount: t.exposeInt('resolvedOnTime', {
      description: 'Resolved no later than the deadline, as GridPerformance.resolvedOnTimeCount (按期办结数).',
    }),
    dueCount: t.exposeInt('due', { description: 'Judged for timeliness, as GridPerformance.dueCount (应办结数).' }),
    onTimePercent: t.exposeFloat('onTimePercent', {
      nullable: true,
      description: `resolvedOnTimeCount ÷ dueCount × 100. ${SCORE_SCALE} (按期办结率).`,
    }),
  }),
})

const GridWorkerReportRef = builder.objectRef<service.GridWorkerReport>('GridWorkerPerformanceReport').implement({
  description: "Grid workers' figures of a region for a period (网格员考核表).",
  fields: (t) => ({
    ...reportHeader(t),
    asOf: t.field({
      type: 'DateTime',
      resolve: (r) => r.asOf,
      description: 'When the figures were computed (统计时点).',
    }),
    rows: t.field({
      type: [GridWorkerRowRef],
      resolve: (r) => r.rows,
      description: 'One row per person and grid, by grid code (各网格员指标).',
    }),
  }),
})

// ---------------------------------------------------------------- queries and the mutation

builder.queryFields((t) => {
  const args = {
    regionId: t.arg.globalID({
      required: false,
      for: RegionRef,
      description: 'A street or a community (or, for admins, any region); default your first region (考核区域).',
    }),
    period: t.arg({ type: PeriodInput, required: true, description: 'The period (考核周期).' }),
  }
  const input = (a: { regionId?: { id: string } | null; period: typeof PeriodInput.$inferInput }) => ({
    regionId: a.regionId?.id ?? null,
    period: a.period,
  })
  return {
    departmentPerformance: t.field({
      type: DepartmentReportRef,
      authScopes: { officer: true, departmentStaff: true },
      args,
      description:
        "Department assessment (部门考核): response figures, composite score and rank of each department for a region and a period. Officers: regions within their own; department staff: their own department's row (and its rank); admins: any.",
      resolve: (_r, a, ctx) => service.departmentPerformance(ctx, input(a)),
    }),
    gridPerformance: t.field({
      type: GridReportRef,
      authScopes: { officer: true },
      args,
      description:
        "Grid assessment (网格考核): each grid's figures for a region and a period. Officers: regions within their own; admins: any.",
      resolve: (_r, a, ctx) => service.gridPerformance(ctx, input(a)),
    }),
    gridWorkerPerformance: t.field({
      type: GridWorkerReportRef,
      authScopes: { officer: true },
      args,
      description:
        "Grid workers' figures (网格员考核): cases each worker filed in each grid of a region for a period. Officers: regions within their own; admins: any.",
      resolve: (_r, a, ctx) => service.gridWorkerPerformance(ctx, input(a)),
    }),
    assessmentWeights: t.field({
      type: WeightsRef,
      authScopes: { officer: true, departmentStaff: true },
      description: "The weights of the departments' composite score that apply to a region: its street's (考核权重).",
      args: {
        regionId: t.arg.globalID({
          required: true,
          for: RegionRef,
          description: "A street, or a community (its street's weights) (区域).",
        }),
      },
      resolve: (_r, { regionId }, ctx) => service.weightsFor(ctx, regionId.id),
    }),
  }
})

const SetWeightsInput = builder.inputType('SetAssessmentWeightsInput', {
  description: "A street's new weights (设置考核权重): whole percentage points, each 0–100, summing to 100.",
  fields: (t) => ({
    streetId: t.globalID({
      required: true,
      for: RegionRef,
      description: 'The street region whose weights these are (街道).',
    }),
    version: t.int({
      required: true,
      description: 'The version you read (AssessmentWeights.version; 0 while the defaults apply) (读取时的版本号).',
    }),
    ...(Object.fromEntries(
      WEIGHT_KEYS.map((k) => [k, t.int({ required: true, description: WEIGHT_DESCRIPTIONS[k] })]),
    ) as Record<WeightKey, ReturnType<typeof t.int>>),
  }),
})

builder.mutationFields((t) => ({
  setAssessmentWeights: t.field({
    type: WeightsRef,
    description:
      "Sets the weights of a street's departmental composite score (设置考核权重). Street officers of that street, admins.",
    authScopes: { streetOfficer: true },
    errors: payload('weights', "The street's weights (考核权重)."),
    args: { input: t.arg({ type: SetWeightsInput, required: true }) },
    resolve: (_r, { input }, ctx) => service.setAssessmentWeights(ctx, { ...input, streetId: input.streetId.id }),
  }),
}))
