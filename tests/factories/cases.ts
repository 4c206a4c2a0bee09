// Builds case state through the API, chainable: report → accept → dispatch → … Each step returns
// the factory so tests read as the workflow they exercise.
import type { TestApp } from '../helpers/app.js'
import { globalId } from '../helpers/fixtures.js'
import { client, must } from '../helpers/graphql.js'

export const CASE_FIELDS = `id status version timeline { action fromStatus toStatus actor { username } createdAt } orders { id status version role department { code } }`

const M = {
  report: `mutation($input: ReportCaseInput!) { reportCase(input: $input) { __typename ... on ReportCasePayload { case { ${CASE_FIELDS} grid { code } } } ... on Error { code message } } }`,
  accept: `mutation($input: AcceptCaseInput!) { acceptCase(input: $input) { __typename ... on AcceptCasePayload { case { ${CASE_FIELDS} } } ... on Error { code message } } }`,
  dispatch: `mutation($input: DispatchCaseInput!) { dispatchCase(input: $input) { __typename ... on DispatchCasePayload { case { ${CASE_FIELDS} } } ... on Error { code message } } }`,
  sign: `mutation($input: SignDispatchOrderInput!) { signDispatchOrder(input: $input) { __typename ... on SignDispatchOrderPayload { order { id status version } } ... on Error { code message } } }`,
  onSite: `mutation($input: ReportOnSiteInput!) { reportOnSite(input: $input) { __typename ... on ReportOnSitePayload { order { id status version } } ... on Error { code message } } }`,
  complete: `mutation($input: CompleteDispatchOrderInput!) { completeDispatchOrder(input: $input) { __typename ... on CompleteDispatchOrderPayload { order { id status version case { status version } } } ... on Error { code message } } }`,
  verify: `mutation($input: VerifyCaseInput!) { verifyCase(input: $input) { __typename ... on VerifyCasePayload { case { ${CASE_FIELDS} } } ... on Error { code message } } }`,
  feedback: `mutation($input: SubmitCaseFeedbackInput!) { submitCaseFeedback(input: $input) { __typename ... on SubmitCaseFeedbackPayload { case { ${CASE_FIELDS} } } ... on Error { code message } } }`,
}
export const MUTATIONS = M

export async function categoryId(t: TestApp, code: string) {
  return globalId('CaseCategory', (await t.prisma.caseCategory.findUniqueOrThrow({ where: { code } })).id)
}

/** The center of a grid, by code. */
export async function gridCenter(t: TestApp, code: string) {
  const g = await t.prisma.grid.findUniqueOrThrow({ where: { code } })
  return { lng: (g.minLng + g.maxLng) / 2, lat: (g.minLat + g.maxLat) / 2, grid: g }
}

export interface CaseState {
  id: string
  status: string
  version: number
  timeline: {
    action: string
    fromStatus: string | null
    toStatus: string | null
    actor: { username: string } | null
    createdAt: string
  }[]
  orders: { id: string; status: string; version: number; role: string; department: { code: string } | null }[]
}

export function caseFactory(t: TestApp, tokens: { reporter: string; officer: string }) {
  let current: CaseState
  const self = {
    get case() {
      return current
    },
    async report(input: Record<string, unknown>) {
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
    async dispatchTo(targets: Record<string, unknown>[]) {
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
      const d = await client(t.url, tokens.officer).must(
        `query($id: ID!) { node(id: $id) { ... on Case { ${CASE_FIELDS} } } }`,
        { id: current.id },
      )
      current = d.node
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
