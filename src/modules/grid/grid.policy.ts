// Read policies of the territory (DESIGN §5): the region tree, compounds, assignments and the
// published duty lists are reference data for every signed-in viewer. Grids are public to
// residents, party members and units (they find theirs on the map); staff read the grids they
// serve: officers and departments their region subtrees, grid workers their grids.
import type { Prisma } from '../../generated/prisma/client.js'
import { anyOf, definePolicies, regionSubtrees, signedIn } from '../../auth/policy.js'
import { hasRole, OFFICER_ROLES, type Viewer } from '../../auth/viewer.js'

export const gridRule = (v: Viewer): Prisma.GridWhereInput | true => {
  if (hasRole(v, 'RESIDENT', 'PARTY_MEMBER', 'UNIT_CONTACT')) return true
  const regions = hasRole(v, ...OFFICER_ROLES, 'DEPARTMENT_STAFF') ? regionSubtrees(v.regionIds) : null
  return anyOf<Prisma.GridWhereInput>([
    regions && { community: regions },
    v.gridIds.length > 0 && { id: { in: [...v.gridIds] } },
  ])
}

export const gridPolicies = definePolicies({
  Region: signedIn,
  Compound: signedIn,
  Grid: gridRule,
  Building: (v) => {
    const grids = gridRule(v)
    return grids === true ? true : { grid: grids }
  },
  GridAssignment: signedIn,
  GridDuty: signedIn,
})
