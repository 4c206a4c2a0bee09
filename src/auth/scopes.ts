// Named auth scopes (Pothos scope-auth): who may call a field at all, by role. Which rows they
// then read is the read policies' business (policy.ts); which rows they may change, the services'.
import { hasRole, type RoleName, type Viewer } from './viewer.js'

const SCOPES = {
  /** Any signed-in account. */
  loggedIn: null,
  admin: ['ADMIN'],
  /** Street and community officers (and admins). */
  officer: ['ADMIN', 'STREET_OFFICER', 'COMMUNITY_OFFICER'],
  streetOfficer: ['ADMIN', 'STREET_OFFICER'],
  communityOfficer: ['ADMIN', 'COMMUNITY_OFFICER'],
  gridWorker: ['GRID_WORKER'],
  departmentStaff: ['DEPARTMENT_STAFF'],
  partyMember: ['PARTY_MEMBER'],
  unitContact: ['UNIT_CONTACT'],
} as const satisfies Record<string, readonly RoleName[] | null>

export type ScopeName = keyof typeof SCOPES

/** The viewer's scopes, evaluated once per request. */
export function scopesFor(viewer: Viewer | null): Record<ScopeName, boolean> {
  const out = {} as Record<ScopeName, boolean>
  for (const [name, roles] of Object.entries(SCOPES) as [ScopeName, readonly RoleName[] | null][]) {
    out[name] = !!viewer && (roles === null || hasRole(viewer, ...roles))
  }
  return out
}
