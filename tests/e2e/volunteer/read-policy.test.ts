// Read policies of the volunteer module (DESIGN §4/§5): rows are filtered by the data
// layer wherever they are reached — lists, nested fields, node/nodes — and personal data of team
// members is masked for officers of other communities.
import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { activityInput, partyMemberPerson, people, rowId, V, volunteerWorld } from '../../factories/volunteer.js'
import {
  answer,
  client,
  expectAnsweredAsMissing,
  graphql,
  must,
  NO_SUCH_ID,
  ofType,
  type PayloadObjectOf,
} from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const NODE = graphql(`query($id: ID!) { node(id: $id) { __typename id } }`)
const NODES = graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`)
const node = async (token: string, id: string) => (await client(t.url, token).must(NODE, { id })).node
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
    const q = graphql(`query($f: VolunteerTeamFilter) { volunteerTeams(filter: $f, first: 5) { edges { node { id
      leader { id displayName phone } members(first: 5) { edges { node { user { id username displayName phone } } } } } } } }`)
    const seen = async (token: string) => {
      const teams = (
        await client(t.url, token).must(q, { f: { within: globalId('Region', w.a.id), kind: 'PARTY_VANGUARD' } })
      ).volunteerTeams.edges.map((e) => e.node)
      const mine = teams.find((x) => x.id === team.id)
      expect(mine).toBeTruthy()
      const users = mine!.members.edges.map((e) => e.node.user).filter((u) => u.id === globalId('User', member.id))
      expect(users).toHaveLength(1)
      return { user: users[0]!, leader: mine!.leader }
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

describe("a resident's own rows: another resident reads none of a resident's signup, points or redemption", () => {
  // One story in ordered steps: each `it` continues from the state the previous one left.
  const s = story(async () => {
    const w = await volunteerWorld(t)
    const [p1, p2] = await people(t, 2)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { startsInH: 24 }))
    const s1 = await must(t, p1!.token, V.signUp, { activityId: activity.id })
    const s2 = await must(t, p2!.token, V.signUp, { activityId: activity.id })
    return { w, p1: p1!, p2: p2!, activity, s1, s2 }
  })
  let r: PayloadObjectOf<typeof V.redeem>
  let item: PayloadObjectOf<typeof V.createItem>

  it('should show a signup by node and in lists only to its volunteer and the officers of its region', async () => {
    const { w, p1, p2, s1, s2 } = s
    expect(await node(p2.token, s1.id)).toBeNull()
    expect(await node(w.officerB, s1.id)).toBeNull()
    expect(await node(p1.token, s1.id)).toMatchObject({ id: s1.id })
    expect(await node(w.officerA, s1.id)).toMatchObject({ id: s1.id })
    const nodes = (await client(t.url, p2.token).must(NODES, { ids: [s1.id, s2.id] })).nodes
    expect(nodes).toEqual([null, { __typename: 'ActivitySignup', id: s2.id }])
    const listed = async (token: string) =>
      ids(
        (await client(t.url, token).must(graphql(`{ activitySignups(first: 100) { edges { node { id } } } }`)))
          .activitySignups.edges,
      )
    expect(await listed(p2.token)).toEqual([s2.id])
    expect(await listed(w.officerA)).toEqual(expect.arrayContaining([s1.id, s2.id]))
    expect(await listed(w.officerB)).not.toContain(s1.id)
  })

  it("should give an activity's officers all its signups and anyone else only their own", async () => {
    const { w, p2, s2, activity } = s
    const nested = graphql(
      `query($id: ID!) { node(id: $id) { ... on VolunteerActivity { signups(first: 10) { totalCount edges { node { id } } } mySignup { id } } } }`,
    )
    const ofActivity = async (token: string) =>
      ofType((await client(t.url, token).must(nested, { id: activity.id })).node, 'VolunteerActivity')
    expect(await ofActivity(p2.token)).toEqual({
      signups: { totalCount: 1, edges: [{ node: { id: s2.id } }] },
      mySignup: { id: s2.id },
    })
    expect((await ofActivity(w.officerA)).signups.totalCount).toBe(2)
    expect((await ofActivity(w.officerB)).signups.totalCount).toBe(0)
  })

  it("should answer NotFound to a resident cancelling another resident's signup", async () => {
    const { p2, s1 } = s
    expect((await answer(t, p2.token, V.cancelSignup, { id: s1.id, version: s1.version })).__typename).toBe('NotFound')
  })

  it('should show a points account only to its owner, and an adjustment to its owner and the officer who made it', async () => {
    const { w, p1, p2 } = s
    const entry = await must(t, w.officerA, V.adjust, {
      userId: globalId('User', p1.id),
      points: 50,
      reason: '补记服务',
      idempotencyKey: randomUUID(),
    })
    const account = await t.prisma.pointsAccount.findUniqueOrThrow({ where: { userId: p1.id } })
    const accountId = globalId('PointsAccount', account.id)
    expect(await node(p1.token, accountId)).toMatchObject({ id: accountId })
    for (const token of [p2.token, w.officerA, w.officerB]) expect(await node(token, accountId)).toBeNull()
    for (const token of [p2.token, w.officerB]) expect(await node(token, entry.id)).toBeNull()
    expect(await node(p1.token, entry.id)).toMatchObject({ id: entry.id })
    expect(await node(w.officerA, entry.id)).toMatchObject({ id: entry.id })
    const theirs = await client(t.url, p2.token).query(
      graphql(`query($u: ID!) { pointsAccount(userId: $u) { balance } }`),
      {
        u: globalId('User', p1.id),
      },
    )
    expect(theirs.data?.pointsAccount ?? null).toBeNull()
    expect(
      (await client(t.url, p2.token).must(graphql(`{ myPoints { balance entries(first: 10) { totalCount } } }`)))
        .myPoints,
    ).toEqual({ balance: 0, entries: { totalCount: 0 } })
  })

  it('should show a redemption only to who redeemed and the officers of its community, and refuse cancelling it to others', async () => {
    const { w, p1, p2 } = s
    item = await must(t, w.officerA, V.createItem, {
      communityId: globalId('Region', w.a.id),
      name: '洗衣液',
      pointsCost: 5,
      stock: 10,
    })
    r = await must(t, p1.token, V.redeem, { itemId: item.id, idempotencyKey: randomUUID() })
    for (const token of [p2.token, w.officerB]) expect(await node(token, r.id)).toBeNull()
    for (const token of [p1.token, w.officerA]) expect(await node(token, r.id)).toMatchObject({ id: r.id })
    const redemptions = async (token: string) =>
      ids(
        (await client(t.url, token).must(graphql(`{ redemptions(first: 100) { edges { node { id } } } }`))).redemptions
          .edges,
      )
    expect(await redemptions(p2.token)).not.toContain(r.id)
    expect(await redemptions(w.officerB)).not.toContain(r.id)
    expect(await redemptions(p1.token)).toEqual([r.id])
    expect(await redemptions(w.officerA)).toContain(r.id)
    expect(
      (
        await answer(t, p2.token, V.cancelRedemption, {
          id: r.id,
          version: r.version,
          reason: '不需要了',
          idempotencyKey: randomUUID(),
        })
      ).__typename,
    ).toBe('NotFound')
  })

  it('should keep an item taken off the shelf readable to who redeemed it, through their redemption', async () => {
    const { w, p1, p2 } = s
    await must(t, w.officerA, V.updateItem, { id: item.id, version: item.version, active: false })
    expect(await node(p2.token, item.id)).toBeNull()
    const mine = (
      await client(t.url, p1.token).must(
        graphql(`query($id: ID!) { node(id: $id) { ... on Redemption { item { id active } } } }`),
        { id: r.id },
      )
    ).node
    expect(ofType(mine, 'Redemption').item).toEqual({ id: item.id, active: false })
  })
})

describe('timeline events: node(id) of a VolunteerEvent answers exactly when its parent row is readable', () => {
  const TIMELINE = {
    VolunteerActivity: graphql(
      `query($id: ID!) { node(id: $id) { ... on VolunteerActivity { timeline { id action } } } }`,
    ),
    ActivitySignup: graphql(`query($id: ID!) { node(id: $id) { ... on ActivitySignup { timeline { id action } } } }`),
    Redemption: graphql(`query($id: ID!) { node(id: $id) { ... on Redemption { timeline { id action } } } }`),
    RewardItem: graphql(`query($id: ID!) { node(id: $id) { ... on RewardItem { timeline { id action } } } }`),
    MicroWish: graphql(`query($id: ID!) { node(id: $id) { ... on MicroWish { timeline { id action } } } }`),
  }
  const timeline = async (token: string, type: keyof typeof TIMELINE, id: string) => {
    const { node } = await client(t.url, token).must(TIMELINE[type], { id })
    return node && 'timeline' in node ? node.timeline : null
  }

  // One story in ordered steps: each `it` continues from the state the previous one left.
  const s = story(async () => {
    const w = await volunteerWorld(t)
    const [p1, p2] = await people(t, 2)
    return { w, p1: p1!, p2: p2! }
  })
  type Event = { id: string; action: string }
  let created: Event
  let published: PayloadObjectOf<typeof V.publish>
  let signedUp: Event
  let redeemed: Event
  let item: PayloadObjectOf<typeof V.createItem>
  let stocked: Event
  let posted: Event

  it("should show a draft activity's events only to its region's officers until it is published", async () => {
    const { w, p1 } = s
    const draft = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { publish: false, startsInH: 24 }))
    created = (await timeline(w.officerA, 'VolunteerActivity', draft.id))![0]!
    expect(created.action).toBe('CREATE')
    expect(await node(p1.token, created.id)).toBeNull()
    expect(await node(w.officerB, created.id)).toBeNull()
    expect(await node(w.officerA, created.id)).toMatchObject({ __typename: 'VolunteerEvent', id: created.id })
    published = await must(t, w.officerA, V.publish, { id: draft.id, version: draft.version })
    expect(await node(p1.token, created.id)).toMatchObject({ id: created.id })
    expect((await timeline(p1.token, 'VolunteerActivity', published.id))!.map((e) => e.action)).toEqual([
      'CREATE',
      'PUBLISH',
    ])
  })

  it("should show a signup's events to the volunteer and the organizer's side, not to another resident", async () => {
    const { w, p1, p2 } = s
    const s1 = await must(t, p1.token, V.signUp, { activityId: published.id })
    signedUp = (await timeline(p1.token, 'ActivitySignup', s1.id))![0]!
    expect(await node(p2.token, signedUp.id)).toBeNull()
    expect(await node(w.officerB, signedUp.id)).toBeNull()
    expect(await node(w.officerA, signedUp.id)).toMatchObject({ id: signedUp.id })
    const link = await t.prisma.volunteerEvent.findUniqueOrThrow({ where: { id: rowId(signedUp.id) } })
    expect(link).toMatchObject({
      entity: 'ActivitySignup',
      entityId: rowId(s1.id),
      signupId: rowId(s1.id),
      activityId: null,
    })
  })

  it("should show a redemption's events to who redeemed and the officers, not to another resident", async () => {
    const { w, p1, p2 } = s
    await must(t, w.officerA, V.adjust, {
      userId: globalId('User', p1.id),
      points: 20,
      reason: '补记服务',
      idempotencyKey: randomUUID(),
    })
    item = await must(t, w.officerA, V.createItem, {
      communityId: globalId('Region', w.a.id),
      name: '理发券',
      pointsCost: 5,
      stock: 3,
    })
    const r = await must(t, p1.token, V.redeem, { itemId: item.id, idempotencyKey: randomUUID() })
    redeemed = (await timeline(p1.token, 'Redemption', r.id))![0]!
    expect(await node(p2.token, redeemed.id)).toBeNull()
    expect(await node(w.officerA, redeemed.id)).toMatchObject({ id: redeemed.id })
  })

  it("should show a reward item's events to anyone while on the shelf, then to its officers and who redeemed it", async () => {
    const { w, p1, p2 } = s
    stocked = (await timeline(p2.token, 'RewardItem', item.id))![0]!
    expect(await node(p2.token, stocked.id)).toMatchObject({ id: stocked.id })
    await must(t, w.officerA, V.updateItem, { id: item.id, version: item.version, active: false })
    expect(await node(p2.token, stocked.id)).toBeNull()
    expect(await node(p1.token, stocked.id)).toMatchObject({ id: stocked.id })
    expect(await node(w.officerA, stocked.id)).toMatchObject({ id: stocked.id })
  })

  it("should show a team's events to signed-in users", async () => {
    const { w, p2 } = s
    const team = await must(t, w.officerA, V.createTeam, {
      name: `青年队${randomUUID().slice(0, 4)}`,
      kind: 'YOUTH',
      communityId: globalId('Region', w.a.id),
    })
    const formed = await t.prisma.volunteerEvent.findFirstOrThrow({ where: { teamId: rowId(team.id) } })
    expect(await node(p2.token, globalId('VolunteerEvent', formed.id))).toMatchObject({
      id: globalId('VolunteerEvent', formed.id),
    })
  })

  it("should show a wish's events to its parties, not to neighbours who may read the open wish", async () => {
    const { w, p1, p2 } = s
    const wish = await must(t, p1.token, V.createWish, {
      title: '想学用智能手机',
      gridId: globalId('Grid', w.gridA.id),
    })
    posted = (await timeline(p1.token, 'MicroWish', wish.id))![0]!
    expect(await node(p2.token, wish.id)).toMatchObject({ id: wish.id })
    expect(await node(p2.token, posted.id)).toBeNull()
    expect(await node(w.officerB, posted.id)).toBeNull()
    expect(await node(w.officerA, posted.id)).toMatchObject({ id: posted.id })
  })

  it('should give nodes(ids) of these events the same answers in one batch', async () => {
    const { p2 } = s
    const batch = (
      await client(t.url, p2.token).must(NODES, {
        ids: [created.id, signedUp.id, redeemed.id, stocked.id, posted.id],
      })
    ).nodes
    expect(batch.map((n) => n?.id ?? null)).toEqual([created.id, null, null, null, null])
  })
})

describe('grids out of reach', () => {
  it("should answer an activity in another community's grid as one in no grid, and create nothing", async () => {
    const w = await volunteerWorld(t)
    const activities = await t.prisma.volunteerActivity.count()
    const createIn = (gridId: string) => answer(t, w.officerA, V.createActivity, activityInput(w.a.id, { gridId }))
    const hidden = await createIn(w.b.grids[0]!.id)
    const none = await createIn(NO_SUCH_ID)
    expect(hidden).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
    expectAnsweredAsMissing(hidden, none, [w.b.id, w.b.name])
    expect(await t.prisma.volunteerActivity.count()).toBe(activities)
  })
})
