// Read policies of the volunteer module (DESIGN §4/§5): rows are filtered by the data
// layer wherever they are reached — lists, nested fields, node/nodes — and personal data of team
// members is masked for officers of other communities.
import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { activityInput, partyMemberPerson, people, rowId, V, volunteerWorld } from '../../factories/volunteer.js'
import { answer, client, graphql, must, ofType } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const NODE = graphql(`query($id: ID!) { node(id: $id) { __typename id } }`)
const NODES = graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`)
const node = async (token: string, id: string) =>
  (await client(t.url, token).must(NODE, { id })).node as { id: string } | null
const ids = (edges: { node: { id: string } }[]) => edges.map((e) => e.node.id)

describe('volunteer teams: personal data of members', () => {
  it("should mask the names and phones of a team's private members for an officer of another community", async () => {
    const w = await volunteerWorld(t)
    const member = await partyMemberPerson(t, w.a.id)
    await t.prisma.user.update({ where: { id: member.id }, data: { phone: '13812345678' } })
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: member.id } })
    const team = await must(t, w.officerA, V.createTeam, {
      name: `幸福里先锋队${randomUUID().slice(0, 4)}`,
      kind: 'PARTY_VANGUARD',
      communityId: globalId('Region', w.a.id),
      leaderId: globalId('User', member.id),
    })
    const q = `query($f: VolunteerTeamFilter) { volunteerTeams(filter: $f, first: 5) { edges { node { id
      leader { id displayName phone } members(first: 5) { edges { node { user { id username displayName phone } } } } } } } }`
    const seen = async (token: string) => {
      const teams = (
        await client(t.url, token).must(q, { f: { within: globalId('Region', w.a.id), kind: 'PARTY_VANGUARD' } })
      ).volunteerTeams.edges.map((e: any) => e.node)
      const mine = teams.find((x: { id: string }) => x.id === team.id)
      expect(mine).toBeTruthy()
      const users = mine.members.edges
        .map((e: any) => e.node.user)
        .filter((u: { id: string }) => u.id === globalId('User', member.id))
      expect(users).toHaveLength(1)
      return { user: users[0], leader: mine.leader }
    }
    const masked = { displayName: `志${'*'.repeat([...row.displayName].length - 1)}`, phone: '138****5678' }
    // the officer of the member's community, and the member, read them whole
    for (const token of [w.officerA, member.token]) {
      const { user, leader } = await seen(token)
      expect(user).toMatchObject({ username: row.username, displayName: row.displayName, phone: '13812345678' })
      expect(leader).toMatchObject({ displayName: row.displayName, phone: '13812345678' })
    }
    // an officer of another community reads the team (public) but not the person
    const other = await seen(w.officerB)
    expect(other.user).toMatchObject(masked)
    expect(other.user.username).not.toBe(row.username)
    expect(other.leader).toMatchObject(masked)
    // nor through the member row itself
    const membership = await t.prisma.volunteerTeamMember.findFirstOrThrow({
      where: { teamId: rowId(team.id), userId: member.id },
    })
    const viaNode = (
      await client(t.url, w.officerB).must(
        graphql(`query($id: ID!) { node(id: $id) { ... on VolunteerTeamMember { user { displayName phone } } } }`),
        { id: globalId('VolunteerTeamMember', membership.id) },
      )
    ).node
    expect(ofType(viaNode, 'VolunteerTeamMember').user).toEqual(masked)
  })
})

describe("a resident's own rows", () => {
  it("should not let a resident read another resident's signup, points or redemption, by node or in lists", async () => {
    const w = await volunteerWorld(t)
    const [p1, p2] = await people(t, 2)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { startsInH: 24 }))
    const s1 = await must(t, p1!.token, V.signUp, { activityId: activity.id })
    const s2 = await must(t, p2!.token, V.signUp, { activityId: activity.id })

    // signups
    expect(await node(p2!.token, s1.id)).toBeNull()
    expect(await node(w.officerB, s1.id)).toBeNull()
    expect(await node(p1!.token, s1.id)).toMatchObject({ id: s1.id })
    expect(await node(w.officerA, s1.id)).toMatchObject({ id: s1.id })
    const nodes = (await client(t.url, p2!.token).must(NODES, { ids: [s1.id, s2.id] })).nodes
    expect(nodes).toEqual([null, { __typename: 'ActivitySignup', id: s2.id }])
    const listed = async (token: string) =>
      ids(
        (await client(t.url, token).must(graphql(`{ activitySignups(first: 100) { edges { node { id } } } }`)))
          .activitySignups.edges,
      )
    expect(await listed(p2!.token)).toEqual([s2.id])
    expect(await listed(w.officerA)).toEqual(expect.arrayContaining([s1.id, s2.id]))
    expect(await listed(w.officerB)).not.toContain(s1.id)
    // the activity's signups: everyone's for its officers, your own for anyone else
    const nested = `query($id: ID!) { node(id: $id) { ... on VolunteerActivity { signups(first: 10) { totalCount edges { node { id } } } mySignup { id } } } }`
    const ofActivity = async (token: string) => (await client(t.url, token).must(nested, { id: activity.id })).node
    expect(await ofActivity(p2!.token)).toEqual({
      signups: { totalCount: 1, edges: [{ node: { id: s2.id } }] },
      mySignup: { id: s2.id },
    })
    expect((await ofActivity(w.officerA)).signups.totalCount).toBe(2)
    expect((await ofActivity(w.officerB)).signups.totalCount).toBe(0)
    // nor may they act on it
    expect((await answer(t, p2!.token, V.cancelSignup, { id: s1.id, version: s1.version })).__typename).toBe('NotFound')

    // points: the officer's adjustment is read back by that officer, the account by its owner only
    const entry = await must(t, w.officerA, V.adjust, {
      userId: globalId('User', p1!.id),
      points: 50,
      reason: '补记服务',
      idempotencyKey: randomUUID(),
    })
    const account = await t.prisma.pointsAccount.findUniqueOrThrow({ where: { userId: p1!.id } })
    const accountId = globalId('PointsAccount', account.id)
    expect(await node(p1!.token, accountId)).toMatchObject({ id: accountId })
    for (const token of [p2!.token, w.officerA, w.officerB]) expect(await node(token, accountId)).toBeNull()
    for (const token of [p2!.token, w.officerB]) expect(await node(token, entry.id)).toBeNull()
    expect(await node(p1!.token, entry.id)).toMatchObject({ id: entry.id })
    expect(await node(w.officerA, entry.id)).toMatchObject({ id: entry.id })
    const theirs = await client(t.url, p2!.token).query(
      graphql(`query($u: ID!) { pointsAccount(userId: $u) { balance } }`),
      {
        u: globalId('User', p1!.id),
      },
    )
    expect(theirs.data?.pointsAccount ?? null).toBeNull()
    expect(
      (await client(t.url, p2!.token).must(graphql(`{ myPoints { balance entries(first: 10) { totalCount } } }`)))
        .myPoints,
    ).toEqual({ balance: 0, entries: { totalCount: 0 } })

    // redemptions
    const item = await must(t, w.officerA, V.createItem, {
      communityId: globalId('Region', w.a.id),
      name: '洗衣液',
      pointsCost: 5,
      stock: 10,
    })
    const r = await must(t, p1!.token, V.redeem, { itemId: item.id, idempotencyKey: randomUUID() })
    for (const token of [p2!.token, w.officerB]) expect(await node(token, r.id)).toBeNull()
    for (const token of [p1!.token, w.officerA]) expect(await node(token, r.id)).toMatchObject({ id: r.id })
    const redemptions = async (token: string) =>
      ids(
        (await client(t.url, token).must(graphql(`{ redemptions(first: 100) { edges { node { id } } } }`))).redemptions
          .edges,
      )
    expect(await redemptions(p2!.token)).not.toContain(r.id)
    expect(await redemptions(w.officerB)).not.toContain(r.id)
    expect(await redemptions(p1!.token)).toEqual([r.id])
    expect(await redemptions(w.officerA)).toContain(r.id)
    expect(
      (
        await answer(t, p2!.token, V.cancelRedemption, {
          id: r.id,
          version: r.version,
          reason: '不需要了',
          idempotencyKey: randomUUID(),
        })
      ).__typename,
    ).toBe('NotFound')

    // an item taken off the shelf stays readable to who redeemed it (their redemption names it)
    await must(t, w.officerA, V.updateItem, { id: item.id, version: item.version, active: false })
    expect(await node(p2!.token, item.id)).toBeNull()
    const mine = (
      await client(t.url, p1!.token).must(
        graphql(`query($id: ID!) { node(id: $id) { ... on Redemption { item { id active } } } }`),
        { id: r.id },
      )
    ).node
    expect(ofType(mine, 'Redemption').item).toEqual({ id: item.id, active: false })
  })
})

describe('timeline events', () => {
  const TIMELINE = (type: string) => `query($id: ID!) { node(id: $id) { ... on ${type} { timeline { id action } } } }`
  const timeline = async (token: string, type: string, id: string) =>
    ((await client(t.url, token).must(TIMELINE(type), { id })).node?.timeline ?? null) as
      | { id: string; action: string }[]
      | null

  it('should answer node(id) of a VolunteerEvent exactly when its parent row is readable', async () => {
    const w = await volunteerWorld(t)
    const [p1, p2] = await people(t, 2)

    // a draft activity: its organizer and the region's officers only, until published
    const draft = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { publish: false, startsInH: 24 }))
    const [created] = (await timeline(w.officerA, 'VolunteerActivity', draft.id))!
    expect(created!.action).toBe('CREATE')
    expect(await node(p1!.token, created!.id)).toBeNull()
    expect(await node(w.officerB, created!.id)).toBeNull()
    expect(await node(w.officerA, created!.id)).toMatchObject({ __typename: 'VolunteerEvent', id: created!.id })
    const published = await must(t, w.officerA, V.publish, { id: draft.id, version: draft.version })
    expect(await node(p1!.token, created!.id)).toMatchObject({ id: created!.id })
    expect((await timeline(p1!.token, 'VolunteerActivity', published.id))!.map((e) => e.action)).toEqual([
      'CREATE',
      'PUBLISH',
    ])

    // a signup's steps: the volunteer, the organizer's side, not another resident
    const s1 = await must(t, p1!.token, V.signUp, { activityId: published.id })
    const [signedUp] = (await timeline(p1!.token, 'ActivitySignup', s1.id))!
    expect(await node(p2!.token, signedUp!.id)).toBeNull()
    expect(await node(w.officerB, signedUp!.id)).toBeNull()
    expect(await node(w.officerA, signedUp!.id)).toMatchObject({ id: signedUp!.id })
    const link = await t.prisma.volunteerEvent.findUniqueOrThrow({ where: { id: rowId(signedUp!.id) } })
    expect(link).toMatchObject({
      entity: 'ActivitySignup',
      entityId: rowId(s1.id),
      signupId: rowId(s1.id),
      activityId: null,
    })

    // a redemption's steps
    await must(t, w.officerA, V.adjust, {
      userId: globalId('User', p1!.id),
      points: 20,
      reason: '补记服务',
      idempotencyKey: randomUUID(),
    })
    const item = await must(t, w.officerA, V.createItem, {
      communityId: globalId('Region', w.a.id),
      name: '理发券',
      pointsCost: 5,
      stock: 3,
    })
    const r = await must(t, p1!.token, V.redeem, { itemId: item.id, idempotencyKey: randomUUID() })
    const [redeemed] = (await timeline(p1!.token, 'Redemption', r.id))!
    expect(await node(p2!.token, redeemed!.id)).toBeNull()
    expect(await node(w.officerA, redeemed!.id)).toMatchObject({ id: redeemed!.id })

    // a reward item's steps: public while on the shelf, then its community's officers (and who redeemed it)
    const [stocked] = (await timeline(p2!.token, 'RewardItem', item.id))!
    expect(await node(p2!.token, stocked!.id)).toMatchObject({ id: stocked!.id })
    await must(t, w.officerA, V.updateItem, { id: item.id, version: item.version, active: false })
    expect(await node(p2!.token, stocked!.id)).toBeNull()
    expect(await node(p1!.token, stocked!.id)).toMatchObject({ id: stocked!.id })
    expect(await node(w.officerA, stocked!.id)).toMatchObject({ id: stocked!.id })

    // a team's steps: public to signed-in users
    const team = await must(t, w.officerA, V.createTeam, {
      name: `青年队${randomUUID().slice(0, 4)}`,
      kind: 'YOUTH',
      communityId: globalId('Region', w.a.id),
    })
    const formed = await t.prisma.volunteerEvent.findFirstOrThrow({ where: { teamId: rowId(team.id) } })
    expect(await node(p2!.token, globalId('VolunteerEvent', formed.id))).toMatchObject({
      id: globalId('VolunteerEvent', formed.id),
    })

    // a wish's steps name its parties: readable to them, not to neighbours who may read the open wish
    const wish = await must(t, p1!.token, V.createWish, {
      title: '想学用智能手机',
      gridId: globalId('Grid', w.gridA.id),
    })
    const [posted] = (await timeline(p1!.token, 'MicroWish', wish.id))!
    expect(await node(p2!.token, wish.id)).toMatchObject({ id: wish.id })
    expect(await node(p2!.token, posted!.id)).toBeNull()
    expect(await node(w.officerB, posted!.id)).toBeNull()
    expect(await node(w.officerA, posted!.id)).toMatchObject({ id: posted!.id })

    // nodes: the same answers in one batch
    const batch = (
      await client(t.url, p2!.token).must(NODES, {
        ids: [created!.id, signedUp!.id, redeemed!.id, stocked!.id, posted!.id],
      })
    ).nodes
    expect(batch.map((n: { id: string } | null) => n?.id ?? null)).toEqual([created!.id, null, null, null, null])
  })
})
