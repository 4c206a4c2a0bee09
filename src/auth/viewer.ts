import { Role } from '../generated/prisma/enums.js'

export { Role }
export type RoleName = keyof typeof Role

/** The authenticated caller: the account's grants in the database, narrowed by its token's claims (DESIGN §5). */
export interface Viewer {
  userId: string
  roles: ReadonlySet<RoleName>
  /** Region subtrees the viewer serves (officers, department's region). */
  regionIds: readonly string[]
  /** Grids the viewer serves (grid workers). */
  gridIds: readonly string[]
  departmentId: string | null
  unitId: string | null
  /** When the token stops being valid (ms since the epoch); open sockets are closed then. */
  expiresAt?: number
  /** The grants this viewer was derived from (accounts.ts grantsKey): open sockets close when they change. */
  grantsKey?: string
}

export const hasRole = (viewer: Viewer | null, ...roles: RoleName[]) =>
  !!viewer && roles.some((r) => viewer.roles.has(r))
export const isAdmin = (viewer: Viewer | null) => hasRole(viewer, 'ADMIN')
export const OFFICER_ROLES: RoleName[] = ['STREET_OFFICER', 'COMMUNITY_OFFICER']
