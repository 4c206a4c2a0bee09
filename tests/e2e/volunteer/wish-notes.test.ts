// A wish's timeline is read by the wish's parties, who see each other's names masked in the wish's
// fields (DESIGN §4): the notes the steps write must not name them whole either.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { partyMemberPerson, people, V, volunteerWorld } from '../../factories/volunteer.js'
import { client, graphql, must } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const NOTES = graphql(`query($id: ID!) { node(id: $id) { ... on MicroWish { wisherName timeline { action note } } } }`)
const notesAs = async (token: string, id: string) => {
  const node = (await client(t.url, token).must(NOTES, { id })).node as {
    wisherName: string | null
    timeline: { action: string; note: string | null }[]
  }
  return { wisherName: node.wisherName, notes: JSON.stringify(node.timeline) }
}

describe("the names in a wish's timeline (心愿时间线中的姓名)", () => {
  it('should not name the wisher whole in the note of a wish an officer recorded on their behalf, to the claimer', async () => {
    const w = await volunteerWorld(t)
    const [wisher] = await people(t, 1)
    const member = await partyMemberPerson(t, w.a.id)
    const name = (await t.prisma.user.findUniqueOrThrow({ where: { id: wisher!.id } })).displayName
    let wish = await must(t, w.officerA, V.createWish, {
      title: '代为登记的心愿',
      gridId: globalId('Grid', w.gridA.id),
      wisherId: globalId('User', wisher!.id),
    })
    wish = await must(t, member.token, V.claimWish, { id: wish.id, version: wish.version })
    const seen = await notesAs(member.token, wish.id)
    expect(seen.wisherName).not.toBe(name)
    expect(seen.notes).not.toContain(name)
  })

  it('should not name the claiming party member whole in the note of the claim, to the wisher', async () => {
    const w = await volunteerWorld(t)
    const [wisher] = await people(t, 1)
    const member = await partyMemberPerson(t, w.a.id)
    const memberName = (await t.prisma.partyMember.findUniqueOrThrow({ where: { id: member.memberId } })).name
    let wish = await must(t, wisher!.token, V.createWish, {
      title: '想请人陪同就医',
      gridId: globalId('Grid', w.gridA.id),
    })
    wish = await must(t, member.token, V.claimWish, { id: wish.id, version: wish.version })
    expect((await notesAs(wisher!.token, wish.id)).notes).not.toContain(memberName)
  })
})
