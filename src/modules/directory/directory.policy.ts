// Read policies of the directory (DESIGN §5): accounts, departments and resident units are read by
// every signed-in viewer; what they show of a private person is decided by personal-data.ts.
import { definePolicies, signedIn } from '../../auth/policy.js'

export const directoryPolicies = definePolicies({
  User: signedIn,
  Department: signedIn,
  ResidentUnit: signedIn,
})
