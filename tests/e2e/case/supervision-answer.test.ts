// The addressee's side of a supervision notice (督办): the department an overdue
// order is addressed to signs for the notice (acknowledgeSupervision) and answers it
// (answerSupervision), each once and in order (OPEN → ACKNOWLEDGED → ANSWERED, the table in
// supervision.transitions.ts), at the version it read, with a step on the case's timeline. The
// officers over the case's region read the answer; the read policy keeps it from everyone else.
import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { appTest, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, rowId, userWithRole } from '../../helpers/fixtures.js'
import { caseFactory, caseInput, gridCenter } from '../../factories/cases.js'
import { answer, client, Failure, graphql, ofType, type VariablesOf } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
// No background sweeper: each test raises its supervisions through t.app.jobs.sweepOverdue(now).
it.beforeAll(async ({ app }) => {
  t = app
})

const GRID = 'CG-DM-01'
const DAY = 86_400_000

const Supervision = graphql(`fragment SupervisionFields on Supervision {
  id status version acknowledgedAt acknowledgedBy { id } answer promisedBy answeredAt answeredBy { id } }`)
const ACKNOWLEDGE = graphql(
  `mutation($input: AcknowledgeSupervisionInput!) { acknowledgeSupervision(input: $input) {
  __typename ...Failure ... on AcknowledgeSupervisionPayload { supervision { ...SupervisionFields } } } }`,
  [Failure, Supervision],
)
const ANSWER = graphql(
  `mutation($input: AnswerSupervisionInput!) { answerSupervision(input: $input) {
  __typename ...Failure ... on AnswerSupervisionPayload { supervision { ...SupervisionFields } } } }`,
  [Failure, Supervision],
)
const READ = graphql(
  `query($id: ID!) { node(id: $id) { ... on Supervision { ...SupervisionFields kind level order { id } } } }`,
  [Supervision],
)
const LIST = graphql(
  `query($caseId: ID, $filter: SupervisionFilter) { supervisions(caseId: $caseId, first: 100, filter: $filter) { edges { node { id status } } } }`,
)
const TIMELINE = graphql(
  `query($id: ID!) { node(id: $id) { ... on Case { timeline { action fromStatus toStatus note actor { id } order { id } } } } }`,
)

/**
 * A SANITATION case in GRID, reported by the grid's leader, accepted and dispatched by the routing
 * rules (城关环卫所 CGHW leads, 城管执法中队 CGZF assists), left unsigned past its sign deadline and
 * swept: one level-1 SIGN_OVERDUE supervision on each order.
 */
async function supervisedCase(title: string) {
  const { grid } = await gridCenter(t, GRID)
  const officerUser = await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })
  const officer = await t.tokenFor(officerUser.username)
  const worker = await t.tokenFor(`grid.worker.${GRID}.leader`)
  const flow = caseFactory(t, { reporter: worker, officer })
  await flow.report(
    await caseInput(t, { grid: GRID, category: 'SANITATION', title, description: `${title}，请尽快处理` }),
  )
  await flow.accept()
  await flow.dispatchAuto()
  const lead = flow.case.orders.find((o) => o.department?.code === 'CGHW')!
  const assist = flow.case.orders.find((o) => o.department?.code === 'CGZF')!
  const leadRow = await t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id: rowId(lead.id) } })
  await t.app.jobs.sweepOverdue(new Date(leadRow.signBy.getTime() + 60_000))
  const raised = await t.prisma.supervision.findMany({ where: { caseId: rowId(flow.case.id) } })
  const on = (orderId: string) => {
    const s = raised.find((x) => x.orderId === rowId(orderId))
    if (!s) throw new Error(`no supervision raised on order ${orderId}`)
    return s
  }
  const staff = await t.prisma.user.findUniqueOrThrow({ where: { username: 'dept.CGHW' } })
  return {
    flow,
    grid,
    lead,
    assist,
    officer,
    worker,
    staff,
    /** The supervision of the lead (CGHW) order, and the global id of it. */
    leadSupervision: on(lead.id),
    id: globalId('Supervision', on(lead.id).id),
    assistSupervision: on(assist.id),
    tokens: {
      hw: await t.tokenFor('dept.CGHW'),
      zf: await t.tokenFor('dept.CGZF'),
      pcs: await t.tokenFor('dept.CGPCS'),
    },
  }
}

const rowOf = (id: string) => t.prisma.supervision.findUniqueOrThrow({ where: { id: rowId(id) } })
const stepsOf = (s: { caseId: string; orderId: string | null }) =>
  t.prisma.caseEvent.findMany({
    where: { caseId: s.caseId, orderId: s.orderId, action: { startsWith: 'SUPERVISION_' } },
    orderBy: { createdAt: 'asc' },
  })
/** Ids of the case's supervisions `token` lists under `filter`. */
const listed = async (token: string, caseId: string, filter: VariablesOf<typeof LIST>['filter']) =>
  (await client(t.url, token).must(LIST, { caseId, filter })).supervisions.edges.map((e) => e.node.id)

describe('answering a supervision (督办签收与答复)', () => {
  describe('a supervision signed for and answered by the addressed department, each with a timeline step, read by the supervising officers', () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    const s = story(() => supervisedCase('小区垃圾未清运督办'))
    const promisedBy = new Date(Date.now() + 2 * DAY).toISOString()
    const reply = '清运车辆故障导致延误，已调派备用车辆，明日上午清运完毕'

    it('should raise an open level-1 SIGN_OVERDUE supervision, listed to the dispatcher as unanswered', async () => {
      expect(s.leadSupervision).toMatchObject({
        status: 'OPEN',
        version: 0,
        kind: 'SIGN_OVERDUE',
        level: 1,
        answer: null,
      })
      expect(await listed(s.officer, s.flow.case.id, { answered: false })).toContain(s.id)
      expect(await listed(s.officer, s.flow.case.id, { status: ['OPEN'] })).toContain(s.id)
    })

    it('should let the addressed department sign for it, leaving it unanswered', async () => {
      const acked = await answer(t, s.tokens.hw, ACKNOWLEDGE, { id: s.id, version: 0, note: '已收到督办，立即安排' })
      expect(acked.__typename).toBe('AcknowledgeSupervisionPayload')
      expect(ofType(acked, 'AcknowledgeSupervisionPayload').supervision).toMatchObject({
        id: s.id,
        status: 'ACKNOWLEDGED',
        version: 1,
        acknowledgedBy: { id: globalId('User', s.staff.id) },
        answer: null,
        answeredAt: null,
      })
      expect(Date.parse(ofType(acked, 'AcknowledgeSupervisionPayload').supervision.acknowledgedAt!)).toBeGreaterThan(
        Date.now() - 60_000,
      )
      expect(await listed(s.officer, s.flow.case.id, { answered: false })).toContain(s.id)
      expect(await listed(s.officer, s.flow.case.id, { status: ['ACKNOWLEDGED'] })).toContain(s.id)
    })

    it('should let the department answer it with a promised date', async () => {
      const answered = await answer(t, s.tokens.hw, ANSWER, { id: s.id, version: 1, answer: reply, promisedBy })
      expect(answered.__typename).toBe('AnswerSupervisionPayload')
      expect(ofType(answered, 'AnswerSupervisionPayload').supervision).toMatchObject({
        status: 'ANSWERED',
        version: 2,
        answer: reply,
        promisedBy,
        answeredBy: { id: globalId('User', s.staff.id) },
      })
    })

    it('should keep for assessment who signed for it and answered it, and when', async () => {
      const row = await rowOf(s.id)
      expect(row).toMatchObject({
        status: 'ANSWERED',
        version: 2,
        acknowledgedById: s.staff.id,
        answeredById: s.staff.id,
        answer: reply,
        promisedBy: new Date(promisedBy),
      })
      expect(row.acknowledgedAt!.getTime()).toBeLessThanOrEqual(row.answeredAt!.getTime())
    })

    it("should show the answer to the community's and the street's officers and list it as answered", async () => {
      for (const token of [s.officer, await t.tokenFor('street.officer')]) {
        const { node } = await client(t.url, token).must(READ, { id: s.id })
        expect(node).toMatchObject({
          status: 'ANSWERED',
          answer: reply,
          promisedBy,
          answeredBy: { id: globalId('User', s.staff.id) },
          order: { id: s.lead.id },
        })
      }
      expect(await listed(s.officer, s.flow.case.id, { answered: false })).not.toContain(s.id)
      expect(await listed(s.officer, s.flow.case.id, { answered: true })).toContain(s.id)
      expect(await listed(s.officer, s.flow.case.id, { status: ['OPEN', 'ACKNOWLEDGED'] })).not.toContain(s.id)
    })

    it("should put one step for each on the case's timeline, on the supervised order, by the department's staff", async () => {
      const node = ofType((await client(t.url, s.officer).must(TIMELINE, { id: s.flow.case.id })).node, 'Case')
      const steps = node.timeline.filter((e) => e.action.startsWith('SUPERVISION_'))
      expect(steps).toEqual([
        {
          action: 'SUPERVISION_ACKNOWLEDGE',
          fromStatus: 'OPEN',
          toStatus: 'ACKNOWLEDGED',
          note: '已收到督办，立即安排',
          actor: { id: globalId('User', s.staff.id) },
          order: { id: s.lead.id },
        },
        {
          action: 'SUPERVISION_ANSWER',
          fromStatus: 'ACKNOWLEDGED',
          toStatus: 'ANSWERED',
          note: expect.stringContaining(reply),
          actor: { id: globalId('User', s.staff.id) },
          order: { id: s.lead.id },
        },
      ])
    })
  })

  describe('each step once and in order: a wrong state is InvalidTransition, a stale version StaleVersion, each changing nothing', () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    const s = story(() => supervisedCase('道路积水督办'))
    const unchanged = async (status: string, version: number, steps: number) => {
      expect(await rowOf(s.id)).toMatchObject({ status, version })
      expect(await stepsOf(s.leadSupervision)).toHaveLength(steps)
    }
    let firstAck: Date | null
    let winner: unknown

    it('should refuse an answer before the supervision is signed for', async () => {
      expect(
        await answer(t, s.tokens.hw, ANSWER, { id: s.id, version: 0, answer: '人手不足，本周内处理' }),
      ).toMatchObject({
        __typename: 'InvalidTransition',
        entity: 'Supervision',
        from: 'OPEN',
        action: 'ANSWER',
      })
      await unchanged('OPEN', 0, 0)
      expect((await rowOf(s.id)).answer).toBeNull()
    })

    it('should refuse signing for it at a version that was never read', async () => {
      expect(await answer(t, s.tokens.hw, ACKNOWLEDGE, { id: s.id, version: 3 })).toMatchObject({
        __typename: 'StaleVersion',
        expectedVersion: 3,
        actualVersion: 0,
      })
      await unchanged('OPEN', 0, 0)
    })

    it('should sign for it at the version read, with one step', async () => {
      expect((await answer(t, s.tokens.hw, ACKNOWLEDGE, { id: s.id, version: 0 })).__typename).toBe(
        'AcknowledgeSupervisionPayload',
      )
      await unchanged('ACKNOWLEDGED', 1, 1)
      firstAck = (await rowOf(s.id)).acknowledgedAt
    })

    it('should refuse signing for it twice, and an answer at the version before the signing', async () => {
      expect(await answer(t, s.tokens.hw, ACKNOWLEDGE, { id: s.id, version: 1 })).toMatchObject({
        __typename: 'InvalidTransition',
        from: 'ACKNOWLEDGED',
        action: 'ACKNOWLEDGE',
      })
      expect(
        await answer(t, s.tokens.hw, ANSWER, { id: s.id, version: 0, answer: '人手不足，本周内处理' }),
      ).toMatchObject({
        __typename: 'StaleVersion',
        expectedVersion: 0,
        actualVersion: 1,
      })
      await unchanged('ACKNOWLEDGED', 1, 1)
      expect((await rowOf(s.id)).acknowledgedAt).toEqual(firstAck)
    })

    it('should let exactly one of two concurrent answers at the same version win', async () => {
      const racing = await Promise.all(
        ['人手不足，本周内处理', '设备故障，明日处理'].map((text) =>
          answer(t, s.tokens.hw, ANSWER, { id: s.id, version: 1, answer: text }),
        ),
      )
      expect(racing.map((r) => r.__typename).sort()).toEqual(['AnswerSupervisionPayload', 'StaleVersion'])
      winner = ofType(
        racing.find((r) => r.__typename === 'AnswerSupervisionPayload'),
        'AnswerSupervisionPayload',
      ).supervision.answer
      await unchanged('ANSWERED', 2, 2)
    })

    it('should refuse answering or signing for it once answered, the first answer standing', async () => {
      expect(
        await answer(t, s.tokens.hw, ANSWER, { id: s.id, version: 2, answer: '补充说明：已协调完毕' }),
      ).toMatchObject({
        __typename: 'InvalidTransition',
        from: 'ANSWERED',
        action: 'ANSWER',
      })
      expect(await answer(t, s.tokens.hw, ACKNOWLEDGE, { id: s.id, version: 2 })).toMatchObject({
        __typename: 'InvalidTransition',
        from: 'ANSWERED',
        action: 'ACKNOWLEDGE',
      })
      await unchanged('ANSWERED', 2, 2)
      expect((await rowOf(s.id)).answer).toBe(winner)
    })
  })

  it('should refuse bad input as ValidationFailed, changing nothing', async () => {
    const s = await supervisedCase('井盖缺失督办')
    expect((await answer(t, s.tokens.hw, ACKNOWLEDGE, { id: s.id, version: 0 })).__typename).toBe(
      'AcknowledgeSupervisionPayload',
    )
    type Input = VariablesOf<typeof ANSWER>['input']
    const bad: [string, Pick<Input, 'answer'> & Partial<Input>][] = [
      ['an empty answer', { answer: '   ' }],
      [
        'a promise in the past',
        { answer: '人手不足，本周内处理', promisedBy: new Date(Date.now() - DAY).toISOString() },
      ],
      [
        'a promise beyond a year',
        { answer: '人手不足，本周内处理', promisedBy: new Date(Date.now() + 400 * DAY).toISOString() },
      ],
      ['an answer of 5001 characters', { answer: '慢'.repeat(5001) }],
      ['the id of an order', { answer: '人手不足，本周内处理', id: s.lead.id }],
    ]
    for (const [what, input] of bad) {
      const res = await answer(t, s.tokens.hw, ANSWER, { id: s.id, version: 1, ...input })
      expect(res, what).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
    }
    expect(await answer(t, s.tokens.hw, ACKNOWLEDGE, { id: s.id, version: 1, note: '备'.repeat(1001) })).toMatchObject({
      __typename: 'ValidationFailed',
    })
    expect(await rowOf(s.id)).toMatchObject({
      status: 'ACKNOWLEDGED',
      version: 1,
      answer: null,
      promisedBy: null,
      answeredAt: null,
    })
    expect(await stepsOf(s.leadSupervision)).toHaveLength(1)
  })

  it("should let only the addressed department act: another department finds nothing to act on, the case's officer and grid worker are Forbidden, each changing nothing", async () => {
    const s = await supervisedCase('占道经营督办')
    const resident = await userWithRole(t.prisma, 'RESIDENT', { username: { startsWith: 'resident' } })
    // the assisting department of the same case and a department with no order on it may not read the
    // lead department's notice: NotFound, exactly as for a notice that does not exist
    for (const token of [s.tokens.zf, s.tokens.pcs]) {
      expect(await answer(t, token, ACKNOWLEDGE, { id: s.id, version: 0 })).toMatchObject({
        __typename: 'NotFound',
        code: 'common/not-found',
      })
      expect(await answer(t, token, ANSWER, { id: s.id, version: 0, answer: '人手不足，本周内处理' })).toMatchObject({
        __typename: 'NotFound',
      })
    }
    expect(
      await answer(t, s.tokens.zf, ACKNOWLEDGE, { id: globalId('Supervision', randomUUID()), version: 0 }),
    ).toMatchObject({ __typename: 'NotFound' })
    // those who read the case whole but are not its addressee: the grid's worker (by the transition
    // table), officers and residents (by role)
    for (const token of [s.worker, s.officer, await t.tokenFor(resident.username, ['RESIDENT'])]) {
      expect(await answer(t, token, ACKNOWLEDGE, { id: s.id, version: 0 })).toMatchObject({
        __typename: 'Forbidden',
        code: 'auth/forbidden',
      })
      expect(await answer(t, token, ANSWER, { id: s.id, version: 0, answer: '人手不足，本周内处理' })).toMatchObject({
        __typename: 'Forbidden',
        code: 'auth/forbidden',
      })
    }
    expect(await rowOf(s.id)).toMatchObject({ status: 'OPEN', version: 0, acknowledgedAt: null, answer: null })
    expect(await stepsOf(s.leadSupervision)).toHaveLength(0)
    // the assisting department acts on its own notice
    expect(
      (await answer(t, s.tokens.zf, ACKNOWLEDGE, { id: globalId('Supervision', s.assistSupervision.id), version: 0 }))
        .__typename,
    ).toBe('AcknowledgeSupervisionPayload')
  })

  it("should keep the answer from everyone but the case's readers: other departments, other communities' officers and other grids' workers read nothing of it", async () => {
    const s = await supervisedCase('违章搭建督办')
    const reply = '涉及多部门协调，已报街道联合执法，三日内拆除'
    await answer(t, s.tokens.hw, ACKNOWLEDGE, { id: s.id, version: 0 })
    expect((await answer(t, s.tokens.hw, ANSWER, { id: s.id, version: 1, answer: reply })).__typename).toBe(
      'AnswerSupervisionPayload',
    )

    // who reads it: the addressee, the community's and street's officers, the case's grid worker
    for (const token of [s.tokens.hw, s.officer, await t.tokenFor('street.officer'), s.worker]) {
      expect((await client(t.url, token).must(READ, { id: s.id })).node).toMatchObject({ answer: reply })
    }
    const otherOfficer = await userWithRole(t.prisma, 'COMMUNITY_OFFICER', {
      NOT: { regionIds: { has: s.grid.communityId } },
    })
    const otherGrid = await t.prisma.grid.findFirstOrThrow({ where: { code: { not: GRID } }, orderBy: { code: 'asc' } })
    const others = {
      'the assisting department': s.tokens.zf,
      'a department with no order on the case': s.tokens.pcs,
      "another community's officer": await t.tokenFor(otherOfficer.username),
      "another grid's worker": await t.tokenFor(`grid.worker.${otherGrid.code}.leader`),
    }
    for (const [who, token] of Object.entries(others)) {
      const c = client(t.url, token)
      expect((await c.must(READ, { id: s.id })).node, who).toBeNull()
      expect(await listed(token, s.flow.case.id, { answered: true }), who).not.toContain(s.id)
      // nor through the case and its timeline, whose answer step carries the answer as its note
      const seen = await c.must(
        graphql(
          `query($id: ID!) { node(id: $id) { ... on Case { supervisions { id answer } timeline { action note } } } }`,
        ),
        { id: s.flow.case.id },
      )
      expect(JSON.stringify(seen), who).not.toContain(reply)
      expect(
        (seen.node ? ofType(seen.node, 'Case').supervisions : []).map((x) => x.id),
        who,
      ).not.toContain(s.id)
    }
  })
})
