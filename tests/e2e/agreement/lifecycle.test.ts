import { afterAll, describe, expect } from 'vitest'
import { appTest, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, rowId } from '../../helpers/fixtures.js'
import {
  activeAgreement,
  AGREEMENT_MUTATIONS as M,
  type agreementWorld,
  draftAgreement,
  itemInput,
} from '../../factories/agreements.js'
import { answer, client, collect, graphql, must, ofType, type VariablesOf, wsClient } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
let w: Awaited<ReturnType<typeof agreementWorld>>
// the expiry runs only when a test calls it, with the clock it gives
it.beforeAll(({ app, agreementWorld: world }) => {
  t = app
  w = world
})

const SUB = graphql(`subscription($regionId: ID) { agreementUpdated(regionId: $regionId) { id status version } }`)

describe('joint-construction agreements (共建协议)', () => {
  describe('an agreement from draft to expiry: signed, activated, progressed, expired once and pushed live', () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    story()
    let a: Awaited<ReturnType<typeof draftAgreement>>
    let sockets: ReturnType<typeof wsClient>[] = []
    let subs: ReturnType<typeof collect<undefined, typeof SUB>>[] = []
    let past: Date
    afterAll(async () => {
      for (const s of subs) s.dispose()
      await Promise.all(sockets.map((s) => s.dispose()))
    })

    it('should be drafted with its parties and items', async () => {
      const [u1, u2] = w.contactsA
      a = await draftAgreement(t, w.officerA, w.orgA, [u1!, u2!], {
        parties: [{ unitId: u1!.unitGid, signatoryName: '张签署' }, { unitId: u2!.unitGid }],
      })
      expect(a).toMatchObject({ status: 'DRAFT', version: 0 })
      expect(a.items.map((i) => i.kind)).toEqual(['LINKED_ASSISTANCE', 'RESOURCE_SHARING'])
    })

    it('should refuse signing by a unit contact, and by the officer before every unit named its signatory', async () => {
      const [u1] = w.contactsA
      expect(await answer(t, u1!.token, M.sign, { id: a.id, version: 0 })).toMatchObject({
        __typename: 'Forbidden',
        code: 'auth/forbidden',
      })
      const early = await answer(t, w.officerA, M.sign, { id: a.id, version: 0 })
      expect(early.__typename).toBe('ValidationFailed')
      expect(ofType(early, 'ValidationFailed').message).toMatch(/signatory/)
    })

    it('should take a signatory from the unit, then refuse activating a draft, a stale version and another community', async () => {
      const [, u2] = w.contactsA
      a = await must(t, u2!.token, M.confirm, { id: a.id, version: 0, signatoryName: '赵主任' })
      expect(a).toMatchObject({ status: 'DRAFT', version: 1 })
      expect(a.parties.map((p) => p.signatoryName)).toEqual(['张签署', '赵主任'])

      expect(await answer(t, w.officerA, M.activate, { id: a.id, version: 1 })).toMatchObject({
        __typename: 'InvalidTransition',
        from: 'DRAFT',
        action: 'ACTIVATE',
      })
      expect(await answer(t, w.officerA, M.sign, { id: a.id, version: 0 })).toMatchObject({
        __typename: 'StaleVersion',
        expectedVersion: 0,
        actualVersion: 1,
      })
      expect(await answer(t, w.officerB, M.sign, { id: a.id, version: 1 })).toMatchObject({ __typename: 'NotFound' })
    })

    it('should be signed and then activated by its officer', async () => {
      a = await must(t, w.officerA, M.sign, { id: a.id, version: 1 })
      expect(a).toMatchObject({ status: 'SIGNED', version: 2 })
      expect(a.signedAt).not.toBeNull()
      a = await must(t, w.officerA, M.activate, { id: a.id, version: 2 })
      expect(a).toMatchObject({ status: 'ACTIVE', version: 3 })
    })

    it("should take a unit's progress on its own item at the item's version, and refuse a stale one", async () => {
      const [u1] = w.contactsA
      const item = a.items[0]!
      const progressed = await must(t, u1!.token, M.progress, {
        itemId: item.id,
        version: item.version,
        progress: 40,
        note: '走访结对家庭6户',
      })
      expect(progressed).toMatchObject({
        progress: 40,
        version: 1,
        entries: [{ progress: 40, note: '走访结对家庭6户' }],
      })
      expect(
        await answer(t, u1!.token, M.progress, { itemId: item.id, version: 0, progress: 50, note: '再次走访' }),
      ).toMatchObject({ __typename: 'StaleVersion' })
    })

    it("should refuse a subscription to another community's agreements", async () => {
      const [, u2] = w.contactsA
      sockets = [wsClient(t.wsUrl, w.officerA), wsClient(t.wsUrl, u2!.token), wsClient(t.wsUrl, w.contactsB[0]!.token)]
      subs = [
        collect(sockets[0]!, SUB, { regionId: globalId('Region', w.a.id) }),
        collect(sockets[1]!, SUB),
        collect(sockets[2]!, SUB),
      ]
      await Promise.all([
        t.pubsub.whenSubscribed('agreement:updated', `region:${w.a.id}`),
        t.pubsub.whenSubscribed('agreement:updated', `unit:${u2!.unitId}`),
        t.pubsub.whenSubscribed('agreement:updated', `unit:${w.contactsB[0]!.unitId}`),
      ])
      const refused = collect(sockets[0]!, SUB, { regionId: globalId('Region', w.b.id) })
      subs.push(refused)
      expect(JSON.stringify((await refused.next(1))[0]!.errors)).toMatch(/own region/)
    })

    it('should expire once the clock passes the end, exactly once under concurrent runs, each step on the timeline', async () => {
      // the clock moves past the end; two instances run the job at once
      past = new Date(new Date(a.endsAt).getTime() + 1000)
      expect(await t.app.jobs.expireAgreements(new Date(new Date(a.endsAt).getTime() - 1000))).toBe(0)
      const runs = (await Promise.all([t.app.jobs.expireAgreements(past), t.app.jobs.expireAgreements(past)])).sort()
      expect(runs[0]).toBe(0)
      expect(runs[1]).toBeGreaterThanOrEqual(1)

      const node = ofType(
        (
          await client(t, w.officerA).must(
            graphql(
              `query($id: ID!) { node(id: $id) { ... on JointAgreement { status version closedAt timeline { action fromStatus toStatus actor { username } } } } }`,
            ),
            { id: a.id },
          )
        ).node,
        'JointAgreement',
      )
      expect(node).toMatchObject({ status: 'EXPIRED', version: 4, closedAt: past.toISOString() })
      expect(node.timeline.map((e) => `${e.action}:${e.toStatus}`)).toEqual([
        'CREATE:DRAFT',
        'CONFIRM:DRAFT',
        'SIGN:SIGNED',
        'ACTIVATE:ACTIVE',
        'PROGRESS:ACTIVE',
        'EXPIRE:EXPIRED',
      ])
      expect(node.timeline.at(-1)).toMatchObject({ fromStatus: 'ACTIVE', actor: null })
      expect(await t.prisma.agreementEvent.count({ where: { agreementId: rowId(a.id), action: 'EXPIRE' } })).toBe(1)
    })

    it("should push the expiry to the region's officer and the party unit's contact, not to another unit", async () => {
      const [toOfficer] = await subs[0]!.next(1)
      const [toUnit] = await subs[1]!.next(1)
      expect(toOfficer!.data).toEqual({ agreementUpdated: { id: a.id, status: 'EXPIRED', version: 4 } })
      expect(toUnit!.data).toEqual({ agreementUpdated: { id: a.id, status: 'EXPIRED', version: 4 } })
      expect(subs[2]!.items).toEqual([])
    })

    it('should not let anything move an expired agreement', async () => {
      expect(await answer(t, w.officerA, M.terminate, { id: a.id, version: 4, reason: '提前终止' })).toMatchObject({
        __typename: 'InvalidTransition',
        from: 'EXPIRED',
      })
    })
  })

  it('should refuse a term that ends before it starts, and bad items, changing nothing', async () => {
    const before = await t.prisma.jointAgreement.count()
    const now = Date.now()
    const bad = await answer(t, w.officerA, M.create, {
      partyOrgId: w.orgA,
      title: '期限错误的协议',
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now).toISOString(),
      parties: [{ unitId: w.contactsA[0]!.unitGid }],
      items: [itemInput('SECONDMENT')],
    })
    expect(bad).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
    expect(ofType(bad, 'ValidationFailed').issues).toEqual([
      { path: 'endsAt', message: 'the term must end after it starts' },
    ])
    const outside = await answer(t, w.officerA, M.create, {
      partyOrgId: w.orgA,
      title: '单位不在辖区',
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
      parties: [{ unitId: w.contactsB[0]!.unitGid }],
    })
    expect(ofType(outside, 'ValidationFailed').issues).toEqual([
      { path: 'parties.0.unitId', message: "the unit is outside the party organisation's area" },
    ])
    const phone = await answer(t, w.officerA, M.create, {
      partyOrgId: w.orgA,
      title: '电话错误',
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
      parties: [{ unitId: w.contactsA[0]!.unitGid }],
      items: [itemInput('SECONDMENT', { orgLeadPhone: 'call me' })],
    })
    expect(ofType(phone, 'ValidationFailed').issues).toEqual([
      { path: 'items.0.orgLeadPhone', message: 'not a phone number' },
    ])
    expect(
      await answer(t, w.contactsA[0]!.token, M.create, {
        partyOrgId: w.orgA,
        title: '单位自建',
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 1000).toISOString(),
        parties: [{ unitId: w.contactsA[0]!.unitGid }],
      }),
    ).toMatchObject({ __typename: 'Forbidden' })
    expect(await t.prisma.jointAgreement.count()).toBe(before)
  })

  it('should refuse to activate a signed agreement whose term has ended, and let the job expire it', async () => {
    const now = Date.now()
    let a = await draftAgreement(t, w.officerB, w.orgB, [w.contactsB[0]!], {
      startsAt: new Date(now - 10 * 86_400_000).toISOString(),
      endsAt: new Date(now - 3_600_000).toISOString(),
    })
    a = await must(t, w.officerB, M.sign, { id: a.id, version: 0 })
    const late = await answer(t, w.officerB, M.activate, { id: a.id, version: 1 })
    expect(late.__typename).toBe('ValidationFailed')
    expect(ofType(late, 'ValidationFailed').message).toMatch(/term ended/)
    expect(await t.app.jobs.expireAgreements()).toBeGreaterThanOrEqual(1)
    const row = await t.prisma.jointAgreement.findUniqueOrThrow({ where: { id: rowId(a.id) } })
    expect(row).toMatchObject({ status: 'EXPIRED', version: 2 })
  })

  it('should terminate an active agreement with a reason, which only the officers may do', async () => {
    const a = await activeAgreement(t, w.officerA, w.orgA, [w.contactsA[0]!])
    expect(
      await answer(t, w.contactsA[0]!.token, M.terminate, { id: a.id, version: 2, reason: '单位搬迁' }),
    ).toMatchObject({ __typename: 'Forbidden' })
    expect(await answer(t, w.officerA, M.terminate, { id: a.id, version: 2, reason: ' ' })).toMatchObject({
      __typename: 'ValidationFailed',
    })
    const street = await must(t, w.street, M.terminate, { id: a.id, version: 2, reason: '单位搬迁出辖区' })
    expect(street).toMatchObject({ status: 'TERMINATED', version: 3, terminationReason: '单位搬迁出辖区' })
    expect(street.timeline.at(-1)).toMatchObject({
      action: 'TERMINATE',
      fromStatus: 'ACTIVE',
      toStatus: 'TERMINATED',
      note: '单位搬迁出辖区',
      actor: { username: 'street.officer' },
    })
    // progress only while ACTIVE
    expect(
      await answer(t, w.contactsA[0]!.token, M.progress, {
        itemId: a.items[0]!.id,
        version: 0,
        progress: 10,
        note: '开展活动',
      }),
    ).toMatchObject({ __typename: 'InvalidTransition', from: 'TERMINATED' })
  })

  it('should list agreements by status, unit, party organisation and those expiring within N days', async () => {
    const a = await activeAgreement(t, w.officerA, w.orgA, [w.contactsA[1]!])
    const Q = graphql(
      `query($f: JointAgreementFilter) { jointAgreements(first: 100, filter: $f) { edges { node { id status endsAt } } } }`,
    )
    const ids = async (f: VariablesOf<typeof Q>['f'], token = w.officerA) =>
      (await client(t, token).must(Q, { f })).jointAgreements.edges.map((e) => e.node.id)
    expect(await ids({ expiringWithinDays: 5, unitId: w.contactsA[1]!.unitGid })).toContain(a.id)
    expect(await ids({ expiringWithinDays: 1, unitId: w.contactsA[1]!.unitGid })).not.toContain(a.id)
    expect(await ids({ status: ['ACTIVE'], partyOrgId: w.orgA })).toContain(a.id)
    expect(await ids({ status: ['DRAFT'], partyOrgId: w.orgA })).not.toContain(a.id)
    expect(await ids({ partyOrgId: w.orgB })).not.toContain(a.id)
    const { jointAgreements } = await client(t, w.street).must(Q, { f: { expiringWithinDays: 30 } })
    for (const e of jointAgreements.edges) {
      expect(e.node.status).toMatch(/^(ACTIVE|SIGNED)$/)
      expect(new Date(e.node.endsAt).getTime()).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000)
    }
    // a unit's items: its own and those common to all
    const items = await client(t, w.contactsA[1]!.token).must(
      graphql(
        `query($u: ID!) { agreementItems(first: 50, filter: { unitId: $u, agreementStatus: [ACTIVE] }) { edges { node { id agreement { id } } } } }`,
      ),
      { u: w.contactsA[1]!.unitGid },
    )
    expect(items.agreementItems.edges.filter((e) => e.node.agreement.id === a.id)).toHaveLength(2)
  })
})
