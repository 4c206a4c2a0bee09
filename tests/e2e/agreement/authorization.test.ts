import { describe, expect } from 'vitest'
import { it, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { activeAgreement, AGREEMENT_MUTATIONS as M, agreementWorld } from '../../factories/agreements.js'
import { answer, client, graphql, must, ofType, type PayloadObjectOf } from '../../helpers/graphql.js'

let t: TestApp
let w: Awaited<ReturnType<typeof agreementWorld>>
it.beforeAll(async ({ app }) => {
  t = app
  w = await agreementWorld(t)
})

const LIST = graphql(`{ jointAgreements(first: 100) { edges { node { id } } } }`)
const NODE = graphql(
  `query($id: ID!) { node(id: $id) { ... on JointAgreement { id title } ... on AgreementReview { id score } } }`,
)
const ids = (r: { jointAgreements: { edges: { node: { id: string } }[] } }) =>
  r.jointAgreements.edges.map((e) => e.node.id)
const year = new Date().getFullYear()

describe('who sees and acts on agreements and reviews', () => {
  describe("two units' agreements: a unit contact sees and acts on its own unit's agreement and review only", () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    const s = story(async () => {
      const [u1, u2] = w.contactsA
      const mine = await activeAgreement(t, w.officerA, w.orgA, [u1!])
      const theirs = await activeAgreement(t, w.officerA, w.orgA, [u2!])
      return { u1: u1!, u2: u2!, mine, theirs }
    })
    let scored: PayloadObjectOf<typeof M.review>

    it("should list a unit contact its own agreement, and neither list nor resolve another unit's", async () => {
      const { u1, mine, theirs } = s
      expect(ids(await client(t, u1.token).must(LIST))).toContain(mine.id)
      expect(ids(await client(t, u1.token).must(LIST))).not.toContain(theirs.id)
      expect((await client(t, u1.token).query(NODE, { id: theirs.id })).data?.node ?? null).toBeNull()
    })

    it("should answer NotFound to a unit contact reporting or recording progress on another unit's agreement", async () => {
      const { u1, theirs } = s
      expect(
        await answer(t, u1.token, M.report, { agreementId: theirs.id, year, report: '我单位本年度积极履行协议内容。' }),
      ).toMatchObject({ __typename: 'NotFound' })
      expect(
        await answer(t, u1.token, M.progress, {
          itemId: theirs.items[0]!.id,
          version: 0,
          progress: 10,
          note: '冒名填报',
        }),
      ).toMatchObject({ __typename: 'NotFound' })
    })

    it("should take the unit's yearly report, refuse the unit scoring itself with a typed Forbidden, and let the officer score it", async () => {
      const { u2, theirs } = s
      const report = await must(t, u2.token, M.report, {
        agreementId: theirs.id,
        year,
        report: '本年度开展结对帮扶4次，共享场地12次。',
      })
      expect(report).toMatchObject({ year, score: null, version: 0, unit: { id: u2.unitGid } })
      // a role refusal is the mutation's typed Forbidden member (DESIGN §4)
      const selfScore = await answer(t, u2.token, M.review, {
        agreementId: theirs.id,
        unitId: u2.unitGid,
        year,
        score: 100,
        comment: '自评满分',
      })
      expect(selfScore).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
      scored = await must(t, w.officerA, M.review, {
        agreementId: theirs.id,
        unitId: u2.unitGid,
        year,
        score: 92,
        comment: '履约积极，成效明显',
        version: 0,
      })
      expect(scored).toMatchObject({
        score: 92,
        comment: '履约积极，成效明显',
        unitReport: '本年度开展结对帮扶4次，共享场地12次。',
        version: 1,
      })
    })

    it('should refuse rescoring the review from a stale version or with a score above 100', async () => {
      const { u2, theirs } = s
      expect(
        await answer(t, w.officerA, M.review, {
          agreementId: theirs.id,
          unitId: u2.unitGid,
          year,
          score: 95,
          comment: '再评',
          version: 0,
        }),
      ).toMatchObject({ __typename: 'StaleVersion' })
      expect(
        await answer(t, w.officerA, M.review, {
          agreementId: theirs.id,
          unitId: u2.unitGid,
          year,
          score: 101,
          comment: '超出',
          version: 1,
        }),
      ).toMatchObject({ __typename: 'ValidationFailed' })
    })

    it("should show the review to its unit and not to another unit's contact", async () => {
      const { u1, u2 } = s
      const REVIEWS = graphql(
        `query($u: ID) { agreementReviews(first: 50, unitId: $u) { edges { node { id score unit { id } } } } }`,
      )
      const byU1 = await client(t, u1.token).must(REVIEWS, { u: u2.unitGid })
      expect(byU1.agreementReviews.edges).toEqual([])
      expect((await client(t, u1.token).query(NODE, { id: scored.id })).data?.node ?? null).toBeNull()
      const byU2 = await client(t, u2.token).must(REVIEWS, { u: null })
      expect(byU2.agreementReviews.edges.map((e) => e.node)).toContainEqual(
        expect.objectContaining({ id: scored.id, score: 92 }),
      )
    })
  })

  it('should show each unit of a shared agreement only its own review', async () => {
    const [u1, u2] = w.contactsA
    const shared = await activeAgreement(t, w.officerA, w.orgA, [u1!, u2!])
    for (const u of [u1!, u2!])
      await must(t, w.officerA, M.review, {
        agreementId: shared.id,
        unitId: u.unitGid,
        year,
        score: 80,
        comment: '良好',
      })
    const Q = graphql(`query($id: ID!) { node(id: $id) { ... on JointAgreement { reviews { unit { id } score } } } }`)
    expect(ofType((await client(t, u1!.token).must(Q, { id: shared.id })).node, 'JointAgreement').reviews).toEqual([
      { unit: { id: u1!.unitGid }, score: 80 },
    ])
    expect(
      ofType((await client(t, w.officerA).must(Q, { id: shared.id })).node, 'JointAgreement').reviews,
    ).toHaveLength(2)
  })

  it("should let officers act only within their region and show the street officer the communities' agreements", async () => {
    const a = await activeAgreement(t, w.officerA, w.orgA, [w.contactsA[0]!])
    expect(ids(await client(t, w.street).must(LIST))).toContain(a.id)
    expect(ids(await client(t, w.officerB).must(LIST))).not.toContain(a.id)
    expect(await answer(t, w.officerB, M.terminate, { id: a.id, version: 2, reason: '越权终止' })).toMatchObject({
      __typename: 'NotFound',
    })
    const other = await answer(t, w.officerB, M.create, {
      partyOrgId: w.orgA,
      title: '越权草拟',
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      parties: [{ unitId: w.contactsA[0]!.unitGid }],
    })
    expect(other).toMatchObject({ __typename: 'Forbidden' })
    // residents see no agreements at all
    expect(ids(await client(t, w.resident).must(LIST))).toEqual([])
    // a street agreement may name units of every community of the street
    const street = await activeAgreement(t, w.street, w.streetOrg, [w.contactsA[0]!, w.contactsB[0]!])
    expect(street.status).toBe('ACTIVE')
    expect(
      await answer(t, w.officerA, M.terminate, { id: street.id, version: 2, reason: '社区无权终止街道协议' }),
    ).toMatchObject({ __typename: 'Forbidden' })
    const phones = await client(t, w.contactsB[0]!.token).must(
      graphql(`query($id: ID!) { node(id: $id) { ... on JointAgreement { items { orgLeadPhone } } } }`),
      { id: street.id },
    )
    expect(ofType(phones.node, 'JointAgreement').items[0]!.orgLeadPhone).toBe('13800001111')
  })
})
