// Imports every module's read policies (like schema.ts for types): whoever builds a request
// context has every model's rule registered, whether or not the schema was loaded (seeds, jobs).
import './modules/grid/grid.policy.js'
import './modules/directory/directory.policy.js'
import './modules/case/case.policy.js'
import './modules/party/party.policy.js'
import './modules/agreement/agreement.policy.js'
import './modules/volunteer/volunteer.policy.js'
import './modules/audit/audit.policy.js'
import './modules/assessment/assessment.policy.js'
