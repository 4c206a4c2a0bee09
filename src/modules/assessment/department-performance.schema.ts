import { builder } from '../../builder.js'
import { rowIds } from '../../shared/mutations.js'
import { rowById } from '../../shared/rows-by-id.js'
import '../directory/directory.schema.js'
import '../grid/grid.schema.js'
import * as service from './assessment.service.js'

import { ORDERS, COUNTED, AS_OF, WeightsRef, percent, performanceArgs, reportRef } from './assessment.schema.js'

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
    signedOnTimePercent: t.exposeFloat(
      'signedOnTimePercent',
      percent('signedOnTimeCount ÷ signingDueCount', '签收及时率'),
    ),
    completedOnTimeCount: t.exposeInt('completedOnTime', {
      description:
        'Counted orders COMPLETED no later than their completion deadline: completedAt ≤ completeBy, the deadline as it stands (moved by approved extensions and suspensions) (按时办结数).',
    }),
    completionDueCount: t.exposeInt('completionDue', {
      description: `Counted orders that had to be completed by now: those COMPLETED, plus those still open (CREATED, SIGNED, ON_SITE) whose completeBy has passed ${AS_OF}. Orders that left the department (RETURNED, TRANSFERRED) are not due (应办结数).`,
    }),
    completedOnTimePercent: t.exposeFloat(
      'completedOnTimePercent',
      percent('completedOnTimeCount ÷ completionDueCount', '办结及时率'),
    ),
    returnedCount: t.exposeInt('returned', {
      description:
        'Counted orders the department returned (退单) to the dispatcher, whatever happened to them after (e.g. transferred on) (退单数).',
    }),
    returnedPercent: t.exposeFloat('returnedPercent', percent('returnedCount ÷ ordersCounted', '退单率')),
    transferredCount: t.exposeInt('transferred', {
      description:
        'Counted orders the dispatcher moved from the department to another addressee (转单), now TRANSFERRED (转单数).',
    }),
    transferredPercent: t.exposeFloat('transferredPercent', percent('transferredCount ÷ ordersCounted', '转单率')),
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
    supervisedPercent: t.exposeFloat('supervisedPercent', percent('supervisedOrderCount ÷ ordersCounted', '督办率')),
    caseCount: t.exposeInt('cases', { description: 'Distinct cases of the counted orders (涉及案件数).' }),
    reopenedCaseCount: t.exposeInt('reopenedCases', {
      description:
        "Of those cases, the ones reopened (重办: an unsatisfied rating moved the case to REOPENED, a CaseEvent with toStatus REOPENED) after the department's first counted order on the case was created (被重办案件数).",
    }),
    reopenedPercent: t.exposeFloat('reopenedPercent', percent('reopenedCaseCount ÷ caseCount', '重办率')),
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

const DepartmentReportRef = reportRef<service.DepartmentRow, service.DepartmentReport>('DepartmentPerformanceReport', {
  description:
    'Department assessment of a region for a period (部门考核表). The departments listed: those of the region, of the regions above it (district) and below it, and any other that received an order there in the period.',
  asOf: 'When the figures were computed: what is due, late or done is judged at this moment (统计时点).',
  fields: (t) => ({
    weights: t.field({
      type: WeightsRef,
      resolve: (r) => r.weights,
      description: "The weights of the score: the region's street's (计分权重).",
    }),
    formula: t.exposeString('formula', {
      description:
        'The score as a formula with these weights, e.g. "0.2×签收及时率 + 0.3×办结及时率 + 0.3×满意度得分 + …"; 满意度得分 = averageSatisfaction × 20; figures without data are left out and the result divided by scoreBasis ÷ 100 (计分公式).',
    }),
  }),
  row: DepartmentRowRef,
  rows: 'One row per department, best score first, unscored ones last (by code); department staff receive their own row only (各部门指标).',
})

builder.queryFields((t) => ({
  departmentPerformance: t.field({
    type: DepartmentReportRef,
    authScopes: { officer: true, departmentStaff: true },
    args: performanceArgs(t.arg),
    description:
      "Department assessment (部门考核): response figures, composite score and rank of each department for a region and a period. Officers: regions within their own; department staff: their own department's row (and its rank); admins: any.",
    resolve: (_r, a, ctx) => service.departmentPerformance(ctx, rowIds(a)),
  }),
}))
