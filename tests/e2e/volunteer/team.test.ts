import { describe, expect } from 'vitest'
import { it, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { activityInput, partyMemberPerson, people, V, volunteerWorld } from '../../factories/volunteer.js'
import { answer, client, graphql, must, ofType, type PayloadObjectOf } from '../../helpers/graphql.js'

let t: TestApp
const TEAM = graphql(
  `query($id: ID!) { node(id: $id) { __typename ... on VolunteerTeam { id name active version leader { id } } } }`,
)
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

  describe('a team changed after it was formed: by its leader, and by officers for its leader and its closing', () => {
    const s = story(async () => {
      const w = await volunteerWorld(t)
      const [leader, member] = await people(t, 2)
      const team = await must(t, w.officerA, V.createTeam, {
        name: '夕阳红助老服务队',
        kind: 'ELDERLY_CARE',
        communityId: globalId('Region', w.a.id),
        leaderId: globalId('User', leader!.id),
      })
      await must(t, member!.token, V.membership, { teamId: team.id, member: true })
      return { w, leader: leader!, member: member!, team }
    })
    /** The team as it is now, read back. */
    const current = async () => {
      const { w, team } = s
      const data = await client(t.url, w.officerA).must(TEAM, { id: team.id })
      return ofType(data.node, 'VolunteerTeam')
    }

    it('should let the leader rename the team and refuse a member, the refusal changing nothing', async () => {
      const { leader, member, team } = s
      expect(
        (await answer(t, member.token, V.updateTeam, { id: team.id, version: team.version, name: '改名' })).__typename,
      ).toBe('Forbidden')
      const renamed = await must(t, leader.token, V.updateTeam, {
        id: team.id,
        version: team.version,
        name: '夕阳红志愿服务队',
        description: '陪老人聊天、代购、理发',
      })
      expect(renamed).toMatchObject({
        name: '夕阳红志愿服务队',
        description: '陪老人聊天、代购、理发',
        version: team.version + 1,
        active: true,
      })
      expect(await current()).toMatchObject({ name: '夕阳红志愿服务队', version: team.version + 1 })
    })

    it("should refuse the leader changing the team's leader or closing it: officers do", async () => {
      const { leader, member, team } = s
      const version = team.version + 1
      for (const change of [{ leaderId: globalId('User', member.id) }, { active: false }])
        expect((await answer(t, leader.token, V.updateTeam, { id: team.id, version, ...change })).__typename).toBe(
          'Forbidden',
        )
      expect(await current()).toMatchObject({ version, active: true, leader: { id: globalId('User', leader.id) } })
    })

    it('should refuse a change made on a version already changed, as StaleVersion', async () => {
      const { w, team } = s
      const stale = await answer(t, w.officerA, V.updateTeam, { id: team.id, version: team.version, name: '旧版本' })
      expect(ofType(stale, 'StaleVersion')).toMatchObject({ expectedVersion: team.version })
      expect((await current()).name).toBe('夕阳红志愿服务队')
    })

    it('should let an officer hand the team to a new leader, who becomes a member if not one yet', async () => {
      const { w, team } = s
      const [newcomer] = await people(t, 1)
      const handed = await must(t, w.officerA, V.updateTeam, {
        id: team.id,
        version: team.version + 1,
        leaderId: globalId('User', newcomer!.id),
      })
      expect(handed).toMatchObject({ leader: { id: globalId('User', newcomer!.id) }, members: { totalCount: 3 } })
    })

    it('should let an officer close the team, and refuse an officer of another community', async () => {
      const { w, team } = s
      const version = team.version + 2
      expect((await answer(t, w.officerB, V.updateTeam, { id: team.id, version, active: false })).__typename).toBe(
        'Forbidden',
      )
      expect(await must(t, w.officerA, V.updateTeam, { id: team.id, version, active: false })).toMatchObject({
        active: false,
        version: version + 1,
      })
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
