import { builder } from '../../builder.js'
import { rowIds } from '../../shared/mutations.js'
import { rowById } from '../../shared/rows-by-id.js'
import '../directory/directory.schema.js'
import '../grid/grid.schema.js'
import * as service from './assessment.service.js'

import { AS_OF, CASES, percent, performanceArgs, reportRef } from './assessment.schema.js'

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
    onTimePercent: t.exposeFloat('onTimePercent', percent('resolvedOnTimeCount ÷ dueCount', '按期办结率')),
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
    verificationPassPercent: t.exposeFloat(
      'verificationPassPercent',
      percent('verificationsPassed ÷ (verificationsPassed + verificationsFailed)', '核查通过率'),
    ),
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

const GridReportRef = reportRef('GridPerformanceReport', {
  description: 'Grid assessment of a region for a period (网格考核表): every grid whose community lies in the region.',
  row: GridRowRef,
  rows: 'One row per grid, by grid code (各网格指标).',
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
    onTimePercent: t.exposeFloat('onTimePercent', percent('resolvedOnTimeCount ÷ dueCount', '按期办结率')),
  }),
})

const GridWorkerReportRef = reportRef('GridWorkerPerformanceReport', {
  description: "Grid workers' figures of a region for a period (网格员考核表).",
  row: GridWorkerRowRef,
  rows: 'One row per person and grid, by grid code (各网格员指标).',
})

builder.queryFields((t) => ({
  gridPerformance: t.field({
    type: GridReportRef,
    authScopes: { officer: true },
    args: performanceArgs(t.arg),
    description:
      "Grid assessment (网格考核): each grid's figures for a region and a period. Officers: regions within their own; admins: any.",
    resolve: (_r, a, ctx) => service.gridPerformance(ctx, rowIds(a)),
  }),
  gridWorkerPerformance: t.field({
    type: GridWorkerReportRef,
    authScopes: { officer: true },
    args: performanceArgs(t.arg),
    description:
      "Grid workers' figures (网格员考核): cases each worker filed in each grid of a region for a period. Officers: regions within their own; admins: any.",
    resolve: (_r, a, ctx) => service.gridWorkerPerformance(ctx, rowIds(a)),
  }),
}))
