import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import { globalId } from '../../helpers/fixtures.js'
import { rowId } from '../../factories/party.js'
import { answer, Failure, graphql, must } from '../../helpers/graphql.js'

const CREATE_ORG = graphql(
  `mutation($input: CreatePartyOrgInput!) { createPartyOrg(input: $input) { __typename ...Failure
  ... on CreatePartyOrgPayload { org { id name active version } } } }`,
  [Failure],
)
const UPDATE_ORG = graphql(
  `mutation($input: UpdatePartyOrgInput!) { updatePartyOrg(input: $input) { __typename ...Failure
  ... on UpdatePartyOrgPayload { org { id name active version } } } }`,
  [Failure],
)

describe('reactivating a party organisation (党组织)', () => {
  it("should refuse to reactivate a grid branch while another serves its grid, as creating one is refused, and allow it once that one's dissolved", async ({
    app: t,
    partyWorld: w,
  }) => {
    const seeded = await t.prisma.partyOrg.findFirstOrThrow({
      where: { level: 'GRID_BRANCH', gridId: w.gridA.id, active: true },
    })
    const a = await must(t, w.officerA, UPDATE_ORG, {
      id: globalId('PartyOrg', seeded.id),
      version: seeded.version,
      active: false,
    })
    expect(a.active).toBe(false)
    const b = await must(t, w.officerA, CREATE_ORG, {
      level: 'GRID_BRANCH',
      name: '第一网格新党支部',
      gridId: globalId('Grid', w.gridA.id),
    })
    const second = await answer(t, w.officerA, CREATE_ORG, {
      level: 'GRID_BRANCH',
      name: '第一网格又一党支部',
      gridId: globalId('Grid', w.gridA.id),
    })
    expect(second).toMatchObject({ __typename: 'Conflict' })

    expect(await answer(t, w.officerA, UPDATE_ORG, { id: a.id, version: a.version, active: true })).toEqual({
      __typename: 'Conflict',
      code: 'common/conflict',
      message: `${b.name} already serves there; dissolve it first`,
    })
    expect(await t.prisma.partyOrg.count({ where: { level: 'GRID_BRANCH', gridId: w.gridA.id, active: true } })).toBe(1)

    await must(t, w.officerA, UPDATE_ORG, { id: b.id, version: b.version, active: false })
    expect(await must(t, w.officerA, UPDATE_ORG, { id: a.id, version: a.version, active: true })).toMatchObject({
      id: a.id,
      active: true,
      version: a.version + 1,
    })
    expect(
      (await t.prisma.partyOrg.findMany({ where: { level: 'GRID_BRANCH', gridId: w.gridA.id, active: true } })).map(
        (o) => o.id,
      ),
    ).toEqual([rowId(a.id)])
  })
})
