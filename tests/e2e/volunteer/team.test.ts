import { describe, expect } from 'vitest'
import { it, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { activityInput, partyMemberPerson, people, V, volunteerWorld } from '../../factories/volunteer.js'
import { answer, client, graphql, must, ofType, type PayloadObjectOf } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

describe('volunteer teams', () => {
  describe('a team from forming to its activities: formed, joined, left and organised by its leader', () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    const s = story(async () => {
      const w = await volunteerWorld(t)
      const [leader, joiner, outsider] = await people(t, 3)
      return { w, leader: leader!, joiner: joiner!, outsider: outsider! }
    })
    let team: PayloadObjectOf<typeof V.createTeam>
    let activity: PayloadObjectOf<typeof V.createActivity>

    it('should let an officer form a team in their community with its leader, and refuse an officer of another community', async () => {
      const { w, leader } = s
      team = await must(t, w.officerA, V.createTeam, {
        name: '幸福里党员先锋队',
        kind: 'PARTY_VANGUARD',
        communityId: globalId('Region', w.a.id),
        leaderId: globalId('User', leader.id),
      })
      expect(team).toMatchObject({
        kind: 'PARTY_VANGUARD',
        leader: { id: globalId('User', leader.id) },
        members: { totalCount: 1 },
      })
      expect(
        (
          await answer(t, w.officerB, V.createTeam, {
            name: '越权队',
            kind: 'OTHER',
            communityId: globalId('Region', w.a.id),
          })
        ).__typename,
      ).toBe('Forbidden')
    })

    it('should let a person join once, joining again being a Conflict', async () => {
      const { joiner } = s
      expect((await must(t, joiner.token, V.membership, { teamId: team.id, member: true })).members.totalCount).toBe(2)
      expect((await answer(t, joiner.token, V.membership, { teamId: team.id, member: true })).__typename).toBe(
        'Conflict',
      )
    })

    it('should let only the leader or an officer add someone else, and a member leave', async () => {
      const { leader, joiner, outsider } = s
      expect(
        (
          await answer(t, joiner.token, V.membership, {
            teamId: team.id,
            userId: globalId('User', outsider.id),
            member: true,
          })
        ).__typename,
      ).toBe('Forbidden')
      expect(
        (
          await must(t, leader.token, V.membership, {
            teamId: team.id,
            userId: globalId('User', outsider.id),
            member: true,
          })
        ).members.totalCount,
      ).toBe(3)
      expect((await must(t, outsider.token, V.membership, { teamId: team.id, member: false })).members.totalCount).toBe(
        2,
      )
    })

    it("should let the leader, not a member, publish the team's activities", async () => {
      const { w, leader, joiner } = s
      const { gridId: _g, ...input } = { ...activityInput(w.a.id), gridId: undefined }
      activity = await must(t, leader.token, V.createActivity, {
        ...input,
        communityId: undefined,
        teamId: team.id,
      })
      expect(activity.status).toBe('PUBLISHED')
      expect((await answer(t, joiner.token, V.createActivity, { ...input, teamId: team.id })).__typename).toBe(
        'Forbidden',
      )
    })

    it("should list the team among a member's teams and its activities with places by team", async () => {
      const { joiner } = s
      const mine = (
        await client(t.url, joiner.token).must(
          graphql(`{ volunteerTeams(filter: { mine: true }) { edges { node { id name } } } }`),
        )
      ).volunteerTeams.edges
      expect(mine.map((e: { node: { id: string } }) => e.node.id)).toEqual([team.id])
      const listed = (
        await client(t.url, joiner.token).must(
          graphql(
            `query($f: VolunteerActivityFilter) { volunteerActivities(filter: $f) { edges { node { id team { id } } } } }`,
          ),
          { f: { teamId: team.id, hasPlaces: true } },
        )
      ).volunteerActivities.edges
      expect(listed).toEqual([{ node: { id: activity.id, team: { id: team.id } } }])
    })
  })

  it("should show residents the other members of a team by surname only, and the officers of the member's community and the person themself in full", async () => {
    const w = await volunteerWorld(t)
    const [me] = await people(t, 1)
    // a party member living in community A: A is the community they belong to (DESIGN §4)
    const other = await partyMemberPerson(t, w.a.id)
    const team = await must(t, w.officerA, V.createTeam, {
      name: '彩虹志愿队',
      kind: 'RAINBOW',
      communityId: globalId('Region', w.a.id),
    })
    for (const p of [me!, other!]) await must(t, p.token, V.membership, { teamId: team.id, member: true })
    const members = async (token: string) => {
      const d = await client(t.url, token).must(
        graphql(
          `query($id: ID!) { node(id: $id) { ... on VolunteerTeam { members(first: 10) { edges { node { user { id username displayName } } } } } } }`,
        ),
        { id: team.id },
      )
      return Object.fromEntries(
        ofType(d.node, 'VolunteerTeam').members.edges.map((e: any) => [e.node.user.id, e.node.user]),
      )
    }
    const otherRow = await t.prisma.user.findUniqueOrThrow({ where: { id: other!.id } })
    const seenByMe = await members(me!.token)
    expect(seenByMe[globalId('User', other!.id)]).toEqual({
      id: globalId('User', other!.id),
      username: `v${'*'.repeat(otherRow.username.length - 1)}`,
      displayName: `志${'*'.repeat([...otherRow.displayName].length - 1)}`,
    })
    expect(seenByMe[globalId('User', me!.id)]).toMatchObject({ username: me!.username })
    expect((await members(w.officerA))[globalId('User', other!.id)]).toMatchObject({
      username: otherRow.username,
      displayName: otherRow.displayName,
    })
    // an officer of another community sees them as any neighbour does
    expect((await members(w.officerB))[globalId('User', other!.id)]).toMatchObject({
      displayName: `志${'*'.repeat([...otherRow.displayName].length - 1)}`,
    })
  })
})
