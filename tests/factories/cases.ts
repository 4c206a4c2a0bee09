// Builds case state through the API, chainable: report → accept → dispatch → … Each step returns
// the factory so tests read as the workflow they exercise.
import type { TestApp } from '../helpers/app.js'
import { globalId, userWithRole } from '../helpers/fixtures.js'
import { client, graphql, must, ofType, type ResultOf, type VariablesOf } from '../helpers/graphql.js'

export const CASE_FIELDS = graphql(
  `fragment CaseFields on Case { id status version timeline { action fromStatus toStatus actor { username } createdAt } orders { id status version role department { code } } }`,
)

const M = {
  report: graphql(
    `mutation($input: ReportCaseInput!) { reportCase(input: $input) { __typename ... on ReportCasePayload { case { ...CaseFields grid { code } } } ... on Error { code message } } }`,
    [CASE_FIELDS],
  ),
  accept: graphql(
    `mutation($input: AcceptCaseInput!) { acceptCase(input: $input) { __typename ... on AcceptCasePayload { case { ...CaseFields } } ... on Error { code message } } }`,
    [CASE_FIELDS],
  ),
  dispatch: graphql(
    `mutation($input: DispatchCaseInput!) { dispatchCase(input: $input) { __typename ... on DispatchCasePayload { case { ...CaseFields } } ... on Error { code message } } }`,
    [CASE_FIELDS],
  ),
  sign: graphql(
    `mutation($input: SignDispatchOrderInput!) { signDispatchOrder(input: $input) { __typename ... on SignDispatchOrderPayload { order { id status version } } ... on Error { code message } } }`,
  ),
  onSite: graphql(
    `mutation($input: ReportOnSiteInput!) { reportOnSite(input: $input) { __typename ... on ReportOnSitePayload { order { id status version } } ... on Error { code message } } }`,
  ),
  complete: graphql(
    `mutation($input: CompleteDispatchOrderInput!) { completeDispatchOrder(input: $input) { __typename ... on CompleteDispatchOrderPayload { order { id status version case { status version } } } ... on Error { code message } } }`,
  ),
  verify: graphql(
    `mutation($input: VerifyCaseInput!) { verifyCase(input: $input) { __typename ... on VerifyCasePayload { case { ...CaseFields } } ... on Error { code message } } }`,
    [CASE_FIELDS],
  ),
  feedback: graphql(
    `mutation($input: SubmitCaseFeedbackInput!) { submitCaseFeedback(input: $input) { __typename ... on SubmitCaseFeedbackPayload { case { ...CaseFields } } ... on Error { code message } } }`,
    [CASE_FIELDS],
  ),
}
export const MUTATIONS = M
const CASE = graphql(`query($id: ID!) { node(id: $id) { ...CaseFields } }`, [CASE_FIELDS])

export async function categoryId(t: TestApp, code: string) {
  return globalId('CaseCategory', (await t.prisma.caseCategory.findUniqueOrThrow({ where: { code } })).id)
}

/** The center of a grid, by code. */
export async function gridCenter(t: TestApp, code: string) {
  const g = await t.prisma.grid.findUniqueOrThrow({ where: { code } })
  return { lng: (g.minLng + g.maxLng) / 2, lat: (g.minLat + g.maxLat) / 2, grid: g }
}

/** The input of `reportCase`. */
export type ReportCaseInput = VariablesOf<typeof M.report>['input']

/**
 * A `reportCase` input at the centre of grid `grid` (a code), in category `category` (a code): a PATROL
 * report that names no grid unless `withGridId`; any other field of the input may be given or replaced.
 */
export async function caseInput(
  t: TestApp,
  {
    grid,
    category,
    withGridId = false,
    ...fields
  }: { grid: string; category: string; withGridId?: boolean } & Partial<Omit<ReportCaseInput, 'categoryId' | 'gridId'>>,
): Promise<ReportCaseInput> {
  const center = await gridCenter(t, grid)
  return {
    title: '楼道堆物',
    description: '三单元楼道堆放纸箱',
    source: 'PATROL',
    lng: center.lng,
    lat: center.lat,
    categoryId: await categoryId(t, category),
    ...(withGridId ? { gridId: globalId('Grid', center.grid.id) } : {}),
    ...fields,
  }
}

export type CaseState = ResultOf<typeof CASE_FIELDS>

export function caseFactory(t: TestApp, tokens: { reporter: string; officer: string }) {
  let current: CaseState
  const self = {
    get case() {
      return current
    },
    async report(input: ReportCaseInput) {
      current = await must(t.url, tokens.reporter, M.report, input)
      return self
    },
    async accept() {
      current = await must(t.url, tokens.officer, M.accept, { id: current.id, version: current.version })
      return self
    },
    async dispatchAuto() {
      current = await must(t.url, tokens.officer, M.dispatch, {
        id: current.id,
        version: current.version,
        mode: 'AUTO',
      })
      return self
    },
    async dispatchTo(targets: NonNullable<VariablesOf<typeof M.dispatch>['input']['targets']>) {
      current = await must(t.url, tokens.officer, M.dispatch, {
        id: current.id,
        version: current.version,
        mode: 'MANUAL',
        targets,
      })
      return self
    },
    async verify(passed = true, note?: string) {
      current = await must(t.url, tokens.officer, M.verify, {
        id: current.id,
        version: current.version,
        passed,
        note,
      })
      return self
    },
    async rate(token: string, satisfaction: number, comment?: string) {
      current = await must(t.url, token, M.feedback, {
        id: current.id,
        version: current.version,
        satisfaction,
        comment,
      })
      return self
    },
    async refresh() {
      const d = await client(t.url, tokens.officer).must(CASE, { id: current.id })
      current = ofType(d.node, 'Case')
      return self
    },
  }
  return self
}

/** Takes an order through sign → on site → complete as its addressee. */
export async function workOrder(
  t: TestApp,
  token: string,
  order: { id: string; version: number },
  result = '已处理完毕',
) {
  const signed = await must(t.url, token, M.sign, { id: order.id, version: order.version })
  const onSite = await must(t.url, token, M.onSite, { id: signed.id, version: signed.version })
  return must(t.url, token, M.complete, { id: onSite.id, version: onSite.version, result })
}

/**
 * A resident's case in grid `grid` (a code), reported with the contact 王小明 / 13812345678 unless
 * given (anonymously or not), accepted by an officer of its community and dispatched by the routing
 * rules. Returns the factory, the grid row, the resident, the officer and their tokens.
 */
export async function residentCaseDispatched(
  t: TestApp,
  grid: string,
  title: string,
  opts: { anonymous?: boolean; reporterPhone?: string } = {},
) {
  const { grid: row } = await gridCenter(t, grid)
  const resident = await userWithRole(t.prisma, 'RESIDENT', { username: { startsWith: 'resident' } })
  const officer = await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: row.communityId } })
  const tokens = {
    reporter: await t.tokenFor(resident.username, ['RESIDENT']),
    officer: await t.tokenFor(officer.username),
  }
  const flow = caseFactory(t, tokens)
  await flow.report(
    await caseInput(t, {
      grid,
      category: 'SANITATION',
      title,
      description: `${title}，请处理`,
      source: 'RESIDENT',
      anonymous: opts.anonymous ?? false,
      reporterName: '王小明',
      reporterPhone: opts.reporterPhone ?? '13812345678',
    }),
  )
  await flow.accept()
  await flow.dispatchAuto()
  return { flow, grid: row, resident, officer, tokens }
}
