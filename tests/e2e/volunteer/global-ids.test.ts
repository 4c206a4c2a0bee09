// ID inputs of the volunteer module are declared with their type (`globalID({ for })`): an ID of
// another type is refused before any resolver runs — the mutation's ValidationFailed member, or a
// query's top-level error with the same code — and the right type is read as before.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { activityInput, V, volunteerWorld } from '../../factories/volunteer.js'
import { client, graphql, must } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

describe('global IDs of the wrong type', () => {
  it('should answer a mutation with ValidationFailed and a query with a validation error, and accept the right type', async () => {
    const w = await volunteerWorld(t)
    const officer = client(t.url, w.officerA)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id))

    const SIGN_UP = graphql(
      `mutation($input: SignUpForActivityInput!) { signUpForActivity(input: $input) { __typename ... on Error { code message } } }`,
    )
    const wrong = await officer.must(SIGN_UP, { input: { activityId: globalId('Grid', w.gridA.id) } })
    expect(wrong.signUpForActivity).toMatchObject({
      __typename: 'ValidationFailed',
      code: 'common/validation-failed',
      message: expect.stringMatching(/expected a VolunteerActivity ID/),
    })

    const LIST = graphql(
      `query($f: VolunteerActivityFilter) { volunteerActivities(filter: $f, first: 50) { edges { node { id } } } }`,
    )
    const refused = await officer.query(LIST, { f: { teamId: globalId('Region', w.a.id) } })
    expect(refused.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
    const listed = await officer.must(LIST, { f: { communityId: globalId('Region', w.a.id), gridId: null } })
    expect(listed.volunteerActivities.edges.map((e) => e.node.id)).toContain(activity.id)
  })
})
