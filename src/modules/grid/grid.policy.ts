// Read policies of the territory (DESIGN §5): the region tree and compounds are reference data for
// every signed-in viewer. Grids are public to residents, party members and units (they find theirs
// on the map); staff read the grids they serve: officers and departments their region subtrees,
// grid workers their grids (and the case module adds the grids of their own cases). A grid's
// buildings, assignments and published duty lists go with the grid.
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

/** A grid's own rows (buildings, assignments, duty lists) go with the grid: never one whose grid the viewer may not read. */
const ofReadGrids = (v: Viewer) => {
  const grids = gridRule(v)
  return grids === true ? true : { grid: grids }
}

export const gridPolicies = definePolicies({
  Region: signedIn,
  Compound: signedIn,
  Grid: gridRule,
  Building: ofReadGrids,
  GridAssignment: ofReadGrids,
  GridDuty: ofReadGrids,
})
