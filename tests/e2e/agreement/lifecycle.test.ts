import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { collect, wsClient } from '../../helpers/ws.js'
import { rowId } from '../../factories/party.js'
import {
  activeAgreement,
  AGREEMENT_MUTATIONS as M,
  agreementWorld,
  answer,
  draftAgreement,
  gql,
  itemInput,
  must,
} from '../../factories/agreements.js'

let t: TestApp
let w: Awaited<ReturnType<typeof agreementWorld>>
// the expiry runs only when a test calls it, with the clock it gives
beforeAll(async () => {
  t = await startTestApp({ BACKGROUND_JOBS: 'false' })
  w = await agreementWorld(t)
})
afterAll(async () => {
  await t?.stop()
})

const SUB = `subscription($regionId: ID) { agreementUpdated(regionId: $regionId) { id status version } }`

describe('joint-construction agreements (共建协议)', () => {
  it('should go draft → sign → activate → expired once the clock passes the end, once under concurrent expiry runs, each step on the timeline and pushed live', async () => {
    const [u1, u2] = w.contactsA
    let a = await draftAgreement(t, w.officerA, w.orgA, [u1!, u2!], {
      parties: [{ unitId: u1!.unitGid, signatoryName: '张签署' }, { unitId: u2!.unitGid }],
    })
    expect(a).toMatchObject({ status: 'DRAFT', version: 0 })
    expect(a.items.map((i: { kind: string }) => i.kind)).toEqual(['LINKED_ASSISTANCE', 'RESOURCE_SHARING'])

    // a unit contact cannot sign as the officer; the officer cannot sign before every unit named its signatory
    expect(await answer(t, u1!.token, M.sign, { id: a.id, version: 0 })).toMatchObject({
      __typename: 'Forbidden',
      code: 'auth/forbidden',
    })
    const early = await answer(t, w.officerA, M.sign, { id: a.id, version: 0 })
    expect(early.__typename).toBe('ValidationFailed')
    expect(early.message).toMatch(/signatory/)

    a = await must(t, u2!.token, M.confirm, { id: a.id, version: 0, signatoryName: '赵主任' })
    expect(a).toMatchObject({ status: 'DRAFT', version: 1 })
    expect(a.parties.map((p: { signatoryName: string }) => p.signatoryName)).toEqual(['张签署', '赵主任'])

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

    a = await must(t, w.officerA, M.sign, { id: a.id, version: 1 })
    expect(a).toMatchObject({ status: 'SIGNED', version: 2 })
    expect(a.signedAt).not.toBeNull()
    a = await must(t, w.officerA, M.activate, { id: a.id, version: 2 })
    expect(a).toMatchObject({ status: 'ACTIVE', version: 3 })

    // the unit reports progress on its own item, at the item's version
    const item = a.items[0]
    const progressed = await must(t, u1!.token, M.progress, {
      itemId: item.id,
      version: item.version,
      progress: 40,
      note: '走访结对家庭6户',
    })
    expect(progressed).toMatchObject({ progress: 40, version: 1, entries: [{ progress: 40, note: '走访结对家庭6户' }] })
    expect(
      await answer(t, u1!.token, M.progress, { itemId: item.id, version: 0, progress: 50, note: '再次走访' }),
    ).toMatchObject({ __typename: 'StaleVersion' })

    const sockets = [
      wsClient(t.wsUrl, w.officerA),
      wsClient(t.wsUrl, u2!.token),
      wsClient(t.wsUrl, w.contactsB[0]!.token),
    ]
    const subs = [
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
    expect(JSON.stringify((await refused.next(1))[0]!.errors)).toMatch(/own region/)

    // the clock moves past the end; two instances run the job at once
    const past = new Date(new Date(a.endsAt).getTime() + 1000)
    expect(await t.app.jobs.expireAgreements(new Date(new Date(a.endsAt).getTime() - 1000))).toBe(0)
    const runs = (await Promise.all([t.app.jobs.expireAgreements(past), t.app.jobs.expireAgreements(past)])).sort()
    expect(runs[0]).toBe(0)
    expect(runs[1]).toBeGreaterThanOrEqual(1)

    const { node } = await gql(t, w.officerA).must(
      `query($id: ID!) { node(id: $id) { ... on JointAgreement { status version closedAt timeline { action fromStatus toStatus actor { username } } } } }`,
      { id: a.id },
    )
    expect(node).toMatchObject({ status: 'EXPIRED', version: 4, closedAt: past.toISOString() })
    expect(node.timeline.map((e: { action: string; toStatus: string }) => `${e.action}:${e.toStatus}`)).toEqual([
      'CREATE:DRAFT',
      'CONFIRM:DRAFT',
      'SIGN:SIGNED',
      'ACTIVATE:ACTIVE',
      'PROGRESS:ACTIVE',
      'EXPIRE:EXPIRED',
    ])
    expect(node.timeline.at(-1)).toMatchObject({ fromStatus: 'ACTIVE', actor: null })
    expect(await t.prisma.agreementEvent.count({ where: { agreementId: rowId(a.id), action: 'EXPIRE' } })).toBe(1)

    // the officer of the region and the party unit's contact get the expiry; another unit does not
    const [toOfficer] = await subs[0]!.next(1)
    const [toUnit] = await subs[1]!.next(1)
    expect(toOfficer!.data).toEqual({ agreementUpdated: { id: a.id, status: 'EXPIRED', version: 4 } })
    expect(toUnit!.data).toEqual({ agreementUpdated: { id: a.id, status: 'EXPIRED', version: 4 } })
    expect(subs[2]!.items).toEqual([])
    for (const s of [...subs, refused]) s.dispose()
    await Promise.all(sockets.map((s) => s.dispose()))

    // nothing moves an expired agreement
    expect(await answer(t, w.officerA, M.terminate, { id: a.id, version: 4, reason: '提前终止' })).toMatchObject({
      __typename: 'InvalidTransition',
      from: 'EXPIRED',
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
    expect(bad.issues).toEqual([{ path: 'endsAt', message: 'the term must end after it starts' }])
    const outside = await answer(t, w.officerA, M.create, {
      partyOrgId: w.orgA,
      title: '单位不在辖区',
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
      parties: [{ unitId: w.contactsB[0]!.unitGid }],
    })
    expect(outside.issues).toEqual([
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
    expect(phone.issues).toEqual([{ path: 'items.0.orgLeadPhone', message: 'not a phone number' }])
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
    expect(late.message).toMatch(/term ended/)
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
        itemId: a.items[0].id,
        version: 0,
        progress: 10,
        note: '开展活动',
      }),
    ).toMatchObject({ __typename: 'InvalidTransition', from: 'TERMINATED' })
  })

  it('should list agreements by status, unit, party organisation and those expiring within N days', async () => {
    const a = await activeAgreement(t, w.officerA, w.orgA, [w.contactsA[1]!])
    const Q = `query($f: JointAgreementFilter) { jointAgreements(first: 100, filter: $f) { edges { node { id status endsAt } } } }`
    const ids = async (f: Record<string, unknown>, token = w.officerA) =>
      (await gql(t, token).must(Q, { f })).jointAgreements.edges.map((e: { node: { id: string } }) => e.node.id)
    expect(await ids({ expiringWithinDays: 5, unitId: w.contactsA[1]!.unitGid })).toContain(a.id)
    expect(await ids({ expiringWithinDays: 1, unitId: w.contactsA[1]!.unitGid })).not.toContain(a.id)
    expect(await ids({ status: ['ACTIVE'], partyOrgId: w.orgA })).toContain(a.id)
    expect(await ids({ status: ['DRAFT'], partyOrgId: w.orgA })).not.toContain(a.id)
    expect(await ids({ partyOrgId: w.orgB })).not.toContain(a.id)
    const { jointAgreements } = await gql(t, w.street).must(Q, { f: { expiringWithinDays: 30 } })
    for (const e of jointAgreements.edges) {
      expect(e.node.status).toMatch(/^(ACTIVE|SIGNED)$/)
      expect(new Date(e.node.endsAt).getTime()).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000)
    }
    // a unit's items: its own and those common to all
    const items = await gql(t, w.contactsA[1]!.token).must(
      `query($u: ID!) { agreementItems(first: 50, filter: { unitId: $u, agreementStatus: [ACTIVE] }) { edges { node { id agreement { id } } } } }`,
      { u: w.contactsA[1]!.unitGid },
    )
    expect(
      items.agreementItems.edges.filter((e: { node: { agreement: { id: string } } }) => e.node.agreement.id === a.id),
    ).toHaveLength(2)
  })
})
