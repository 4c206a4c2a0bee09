// Read policies of assessment (考核, DESIGN §5). A street's weights are public to every signed-in
// viewer: a department is entitled to know how it is assessed. The figures themselves are no rows:
// who may read them is decided in assessment.service.ts (officers their subtree, a department its
// own row, admins everything).
import { definePolicies, signedIn } from '../../auth/policy.js'

export const assessmentPolicies = definePolicies({
  AssessmentWeights: signedIn,
})
