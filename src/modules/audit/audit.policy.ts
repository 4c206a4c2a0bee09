// Read policy of the audit log: admins only (ruleFor lets admins read every row; nobody else any).
import { definePolicies, NO_ROWS } from '../../auth/policy.js'

export const auditPolicies = definePolicies({
  AuditEntry: () => NO_ROWS,
})
