import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, rowId } from '../../helpers/fixtures.js'
import { caseFactory, caseInput, workOrder } from '../../factories/cases.js'
import { answer, client, expectAnsweredAsMissing, graphql, must, NO_SUCH_ID, ofType } from '../../helpers/graphql.js'

let t: TestApp
let tokens: Record<string, string>
it.beforeAll(async ({ app, tokens: signed }) => {
  t = app
  tokens = {
    worker: await signed.user('grid.worker.CG-DM-02.leader', ['GRID_WORKER']),
    officer: await signed.user('community.officer.1'),
    street: await signed.user('street.officer'),
    hw: await signed.user('dept.CGHW'),
    zf: await signed.user('dept.CGZF'),
    sj: await signed.user('dept.CGSJ'),
  }
})

async function dispatchedCase(category = 'SANITATION') {
  const flow = caseFactory(t, { reporter: tokens.worker!, officer: tokens.officer! })
  await flow.report(
    await caseInput(t, {
      grid: 'CG-DM-02',
      category,
      title: '楼道堆放杂物',
      description: '2单元楼道堆满纸箱，堵塞消防通道',
    }),
  )
  await flow.accept()
  await flow.dispatchAuto()
  return flow
}

const RETURN = graphql(
  `mutation($input: ReturnDispatchOrderInput!) { returnDispatchOrder(input: $input) { __typename ... on ReturnDispatchOrderPayload { order { id status version returnReason } } ... on Error { code message } } }`,
)
const TRANSFER = graphql(
  `mutation($input: TransferDispatchOrderInput!) { transferDispatchOrder(input: $input) { __typename ... on TransferDispatchOrderPayload { order { id status transferredTo { id status department { code } } } } ... on Error { code message } } }`,
)
const ESCALATE = graphql(
  `mutation($input: EscalateCaseInput!) { escalateCase(input: $input) { __typename ... on EscalateCasePayload { case { id version status escalationLevel handlingRegion { level name } } } ... on Error { code message } } }`,
)
const REQUEST = graphql(
  `mutation($input: RequestCaseApprovalInput!) { requestCaseApproval(input: $input) { __typename ... on RequestCaseApprovalPayload { approval { id version status } } ... on Error { code message } } }`,
)
const DECIDE = graphql(
  `mutation($input: DecideCaseApprovalInput!) { decideCaseApproval(input: $input) { __typename ... on DecideCaseApprovalPayload { case { id version status deadline approvals { status decisionNote } } } ... on Error { code message } } }`,
)
const RESUME = graphql(
  `mutation($input: ResumeCaseInput!) { resumeCase(input: $input) { __typename ... on ResumeCasePayload { case { id version status } } ... on Error { code message } } }`,
)
const REJECT = graphql(
  `mutation($input: RejectCaseInput!) { rejectCase(input: $input) { __typename ... on RejectCasePayload { case { status closedAt } } ... on Error { code message } } }`,
)

describe('dispatch order detours', () => {
  it('should let a department return an order with a reason and the dispatcher transfer it to another department', async () => {
    const flow = await dispatchedCase()
    const lead = flow.case.orders.find((o) => o.role === 'LEAD')!
    const noReason = await client(t.url, tokens.hw).must(RETURN, {
      input: { id: lead.id, version: lead.version, reason: '' },
    })
    expect(noReason.returnDispatchOrder.__typename).toBe('ValidationFailed')
    const returned = await must(t.url, tokens.hw!, RETURN, {
      id: lead.id,
      version: lead.version,
      reason: '属于市场监管职责',
    })
    expect(returned).toMatchObject({ status: 'RETURNED', returnReason: '属于市场监管职责' })
    const sj = await t.prisma.department.findUniqueOrThrow({ where: { code: 'CGSJ' } })
    // only dispatchers transfer: the role check refuses it before the resolver runs, as the union's Forbidden
    const notYours = await client(t.url, tokens.hw).must(TRANSFER, {
      input: {
        id: lead.id,
        version: returned.version,
        reason: '转市场监管',
        to: { departmentId: globalId('Department', sj.id), role: 'LEAD' },
      },
    })
    expect(notYours.transferDispatchOrder).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
    const moved = await must(t.url, tokens.officer!, TRANSFER, {
      id: lead.id,
      version: returned.version,
      reason: '转市场监管',
      to: { departmentId: globalId('Department', sj.id), role: 'LEAD' },
    })
    expect(moved).toMatchObject({
      status: 'TRANSFERRED',
      transferredTo: { status: 'CREATED', department: { code: 'CGSJ' } },
    })
    const sjOrders = await client(t.url, tokens.sj).must(
      graphql(
        `{ dispatchOrders(first: 10, filter: { scope: MY_DEPARTMENT }) { edges { node { id status transferredFrom { id } } } } }`,
      ),
    )
    // the department sees its new order, but not the other department's order it replaced
    const mine = sjOrders.dispatchOrders.edges.find((e) => e.node.id === moved.transferredTo!.id)
    expect(mine!.node).toMatchObject({ status: 'CREATED', transferredFrom: null })
    const asOfficer = await client(t.url, tokens.officer).must(
      graphql(`query($id: ID!) { node(id: $id) { ... on DispatchOrder { transferredFrom { id returnReason } } } }`),
      { id: moved.transferredTo!.id },
    )
    expect(ofType(asOfficer.node, 'DispatchOrder').transferredFrom).toEqual({
      id: lead.id,
      returnReason: '属于市场监管职责',
    })
  })

  it('should refuse a transition from the wrong state with InvalidTransition, changing nothing', async () => {
    const flow = await dispatchedCase()
    const lead = flow.case.orders.find((o) => o.role === 'LEAD')!
    const res = await client(t.url, tokens.hw).must(
      graphql(
        `mutation($input: CompleteDispatchOrderInput!) { completeDispatchOrder(input: $input) { __typename ... on InvalidTransition { from action } } }`,
      ),
      { input: { id: lead.id, version: lead.version, result: '已处理' } },
    )
    expect(res.completeDispatchOrder).toEqual({ __typename: 'InvalidTransition', from: 'CREATED', action: 'COMPLETE' })
    expect(
      (
        await t.prisma.dispatchOrder.findUniqueOrThrow({
          where: { id: rowId(lead.id) },
        })
      ).status,
    ).toBe('CREATED')
  })
})

describe('guards on dispatch', () => {
  it('should keep a returned lead order in place: a second lead needs a transfer, not a new dispatch', async () => {
    const flow = await dispatchedCase()
    const lead = flow.case.orders.find((o) => o.role === 'LEAD')!
    await must(t.url, tokens.hw!, RETURN, { id: lead.id, version: lead.version, reason: '不属于本部门' })
    await flow.refresh()
    const sj = await t.prisma.department.findUniqueOrThrow({ where: { code: 'CGSJ' } })
    const res = await client(t.url, tokens.officer).must(
      graphql(
        `mutation($input: DispatchCaseInput!) { dispatchCase(input: $input) { __typename ... on ValidationFailed { issues { message } } } }`,
      ),
      {
        input: {
          id: flow.case.id,
          version: flow.case.version,
          mode: 'MANUAL',
          targets: [{ departmentId: globalId('Department', sj.id), role: 'LEAD' }],
        },
      },
    )
    expect(res.dispatchCase.__typename).toBe('ValidationFailed')
    expect(JSON.stringify(ofType(res.dispatchCase, 'ValidationFailed').issues)).toMatch(/lead/)
  })

  it('should pause work on the orders of a suspended case', async () => {
    const flow = await dispatchedCase()
    const asked = await must(t.url, tokens.officer!, REQUEST, {
      caseId: flow.case.id,
      kind: 'SUSPEND',
      reason: '等待产权单位答复',
    })
    await flow.refresh()
    await must(t.url, tokens.street!, DECIDE, {
      id: asked.id,
      version: asked.version,
      caseVersion: flow.case.version,
      approve: true,
    })
    const lead = flow.case.orders.find((o) => o.role === 'LEAD')!
    const res = await client(t.url, tokens.hw).must(
      graphql(
        `mutation($input: SignDispatchOrderInput!) { signDispatchOrder(input: $input) { __typename ... on InvalidTransition { from action } } }`,
      ),
      { input: { id: lead.id, version: lead.version } },
    )
    expect(res.signDispatchOrder).toEqual({ __typename: 'InvalidTransition', from: 'SUSPENDED', action: 'SIGN' })
  })
})

describe('case detours', () => {
  it('should reject a report with a reason and then allow nothing more', async () => {
    const flow = caseFactory(t, { reporter: tokens.worker!, officer: tokens.officer! })
    await flow.report(
      await caseInput(t, {
        grid: 'CG-DM-02',
        category: 'SANITATION',
        title: '重复上报',
        description: '与昨日案件重复',
      }),
    )
    const rejected = await client(t.url, tokens.officer).must(REJECT, {
      input: { id: flow.case.id, version: flow.case.version, reason: '重复案件，已合并办理' },
    })
    expect(rejected.rejectCase).toMatchObject({ case: { status: 'REJECTED' } })
    const again = await client(t.url, tokens.officer).must(
      graphql(
        `mutation($input: AcceptCaseInput!) { acceptCase(input: $input) { __typename ... on InvalidTransition { from } } }`,
      ),
      { input: { id: flow.case.id, version: flow.case.version + 1 } },
    )
    expect(again.acceptCase).toEqual({ __typename: 'InvalidTransition', from: 'REJECTED' })
  })

  it('should escalate a case from the community to the street', async () => {
    const flow = await dispatchedCase('DISPUTE')
    const up = await must(t.url, tokens.officer!, ESCALATE, {
      id: flow.case.id,
      version: flow.case.version,
      reason: '涉及多个社区，需街道协调',
    })
    expect(up).toMatchObject({ status: 'DISPATCHED', escalationLevel: 1, handlingRegion: { level: 'STREET' } })
    // the street now handles it; the community officer can still read it
    const seen = await client(t.url, tokens.officer).must(
      graphql(`query($id: ID!) { node(id: $id) { ... on Case { handlingRegion { level } } } }`),
      { id: flow.case.id },
    )
    expect(ofType(seen.node, 'Case').handlingRegion.level).toBe('STREET')
  })

  it("should suspend only with a street officer's logged approval, then resume with the deadline moved", async () => {
    const flow = await dispatchedCase()
    const asked = await must(t.url, tokens.officer!, REQUEST, {
      caseId: flow.case.id,
      kind: 'SUSPEND',
      reason: '当事人外出，暂无法入户',
    })
    expect(asked.status).toBe('PENDING')
    const byCommunity = await client(t.url, tokens.officer).must(DECIDE, {
      input: { id: asked.id, version: asked.version, caseVersion: flow.case.version, approve: true },
    })
    expect(byCommunity.decideCaseApproval).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
    await flow.refresh()
    const before = await t.prisma.case.findUniqueOrThrow({
      where: { id: rowId(flow.case.id) },
    })
    const suspended = await must(t.url, tokens.street!, DECIDE, {
      id: asked.id,
      version: asked.version,
      caseVersion: flow.case.version,
      approve: true,
      note: '同意挂起',
    })
    expect(suspended).toMatchObject({
      status: 'SUSPENDED',
      approvals: [{ status: 'APPROVED', decisionNote: '同意挂起' }],
    })
    const resumed = await must(t.url, tokens.officer!, RESUME, { id: flow.case.id, version: suspended.version })
    expect(resumed.status).toBe('DISPATCHED')
    const after = await t.prisma.case.findUniqueOrThrow({ where: { id: before.id } })
    expect(after.deadline!.getTime()).toBeGreaterThanOrEqual(before.deadline!.getTime())
    const events = await t.prisma.caseEvent.findMany({ where: { caseId: before.id }, orderBy: { createdAt: 'asc' } })
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['REQUEST_SUSPEND', 'SUSPEND', 'RESUME']))
  })

  it('should answer a decision on a request about a case the viewer may not read as one on no request, naming no case', async () => {
    const flow = await dispatchedCase()
    const asked = await must(t.url, tokens.officer!, REQUEST, {
      caseId: flow.case.id,
      kind: 'SUSPEND',
      reason: '当事人外出，暂无法入户',
    })
    // a street officer (the role that decides) of a community the case is not in
    const { regionId } = await t.prisma.case.findUniqueOrThrow({ where: { id: rowId(flow.case.id) } })
    const elsewhere = await t.prisma.region.findFirstOrThrow({ where: { level: 'COMMUNITY', id: { not: regionId } } })
    const officer = await t.prisma.user.create({
      data: {
        username: `street.elsewhere.${randomUUID()}`,
        displayName: '邻街道干部',
        roles: ['STREET_OFFICER'],
        regionIds: [elsewhere.id],
      },
    })
    const stranger = await t.tokenFor(officer.username)
    expect(
      (await client(t.url, stranger).must(graphql(`query($id: ID!) { node(id: $id) { id } }`), { id: flow.case.id }))
        .node,
    ).toBeNull()
    await flow.refresh()
    const decide = (token: string, id: string) =>
      answer(t, token, DECIDE, { id, version: asked.version, caseVersion: flow.case.version, approve: true })
    const hidden = await decide(stranger, asked.id)
    expect(hidden).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
    expectAnsweredAsMissing(hidden, await decide(stranger, globalId('CaseApproval', NO_SUCH_ID)), [
      rowId(flow.case.id),
      flow.case.id,
    ])
    expect(await t.prisma.caseApproval.findUniqueOrThrow({ where: { id: rowId(asked.id) } })).toMatchObject({
      status: 'PENDING',
      version: asked.version,
    })
    // the same decision by the street officer of the case's region goes through
    expect(await decide(tokens.street!, asked.id)).toMatchObject({ __typename: 'DecideCaseApprovalPayload' })
  })

  it('should extend the deadline by the approved hours', async () => {
    const flow = await dispatchedCase()
    const asked = await must(t.url, tokens.hw!, REQUEST, {
      caseId: flow.case.id,
      kind: 'EXTEND',
      reason: '需协调物业，延期两天',
      extendHours: 48,
    })
    await flow.refresh()
    const id = rowId(flow.case.id)
    const before = await t.prisma.case.findUniqueOrThrow({ where: { id } })
    await must(t.url, tokens.street!, DECIDE, {
      id: asked.id,
      version: asked.version,
      caseVersion: flow.case.version,
      approve: true,
    })
    const after = await t.prisma.case.findUniqueOrThrow({ where: { id } })
    expect(after.deadline!.getTime() - before.deadline!.getTime()).toBe(48 * 3_600_000)
    expect(after.status).toBe('DISPATCHED')
  })
})

const CANCEL =
  graphql(`mutation($input: CancelDispatchOrderInput!) { cancelDispatchOrder(input: $input) { __typename ... on CancelDispatchOrderPayload { order { id status version case { status version } } }
  ... on StaleVersion { expectedVersion actualVersion } ... on InvalidTransition { from action } ... on Error { code message } } }`)

describe('cancelling an order (撤单)', () => {
  it('should let the dispatcher withdraw one order while the others carry the case to resolution', async () => {
    const flow = await dispatchedCase()
    expect(flow.case.orders.length).toBeGreaterThan(1)
    const [first, ...rest] = flow.case.orders
    const cancelled = await must(t.url, tokens.officer!, CANCEL, {
      id: first!.id,
      version: first!.version,
      reason: '重复派单',
    })
    expect(cancelled).toMatchObject({ status: 'CANCELLED', case: { status: 'DISPATCHED' } })
    for (const o of rest) {
      const token = o.department?.code === 'CGHW' ? tokens.hw! : o.department?.code === 'CGZF' ? tokens.zf! : tokens.sj!
      await workOrder(t, token, o)
    }
    await flow.refresh()
    expect(flow.case.status).toBe('RESOLVED')
    const cancelEvent = (
      await t.prisma.caseEvent.findMany({
        where: { orderId: rowId(first!.id) },
      })
    ).find((e) => e.action === 'CANCEL')
    expect(cancelEvent).toMatchObject({ fromStatus: 'CREATED', toStatus: 'CANCELLED', note: '重复派单' })
  })

  it('should return a case whose every order was withdrawn to awaiting dispatch, ready to be dispatched again', async () => {
    const flow = await dispatchedCase()
    for (const o of flow.case.orders)
      await must(t.url, tokens.officer!, CANCEL, { id: o.id, version: o.version, reason: '派错部门' })
    await flow.refresh()
    expect(flow.case.status).toBe('ACCEPTED')
    expect(flow.case.timeline.at(-1)).toMatchObject({
      action: 'RECALL',
      fromStatus: 'DISPATCHED',
      toStatus: 'ACCEPTED',
      actor: null,
    })
    await flow.dispatchAuto()
    expect(flow.case.status).toBe('DISPATCHED')
    expect(flow.case.orders.filter((o) => o.status === 'CREATED').length).toBeGreaterThan(0)
  })

  it('should refuse withdrawing with typed errors: no reason, a stale version, a finished order, and departments at all', async () => {
    const flow = await dispatchedCase()
    const o = flow.case.orders[0]!
    expect(await answer(t, tokens.officer!, CANCEL, { id: o.id, version: o.version, reason: ' ' })).toMatchObject({
      __typename: 'ValidationFailed',
    })
    expect(
      await answer(t, tokens.officer!, CANCEL, { id: o.id, version: o.version + 1, reason: '重复派单' }),
    ).toMatchObject({
      __typename: 'StaleVersion',
      expectedVersion: o.version + 1,
      actualVersion: o.version,
    })
    expect(await answer(t, tokens.hw!, CANCEL, { id: o.id, version: o.version, reason: '不想办' })).toMatchObject({
      __typename: 'Forbidden',
      code: 'auth/forbidden',
    })
    const token = o.department?.code === 'CGHW' ? tokens.hw! : o.department?.code === 'CGZF' ? tokens.zf! : tokens.sj!
    const done = await workOrder(t, token, o)
    expect(
      await answer(t, tokens.officer!, CANCEL, { id: o.id, version: done.version, reason: '重复派单' }),
    ).toMatchObject({
      __typename: 'InvalidTransition',
      from: 'COMPLETED',
      action: 'CANCEL',
    })
    expect(
      (
        await t.prisma.dispatchOrder.findUniqueOrThrow({
          where: { id: rowId(o.id) },
        })
      ).status,
    ).toBe('COMPLETED')
  })
})
