// Imports every module's types; exports the executable schema, every mutation audited.
import { builder } from './builder.js'
import { auditMutations } from './modules/audit/audit.js'
import './shared/scalars.schema.js'
import './shared/errors.schema.js'
import './policies.js'
import './modules/grid/region.schema.js'
import './modules/grid/grid.schema.js'
import './modules/directory/directory.schema.js'
import './modules/directory/account.schema.js'
import './modules/case/case.schema.js'
import './modules/case/dispatch.schema.js'
import './modules/case/supervision.schema.js'
import './modules/case/webhook.schema.js'
import './modules/case/service-record-case.schema.js'
import './modules/case/territory-cases.schema.js'
import './modules/case/reference.schema.js'
import './modules/party/party.schema.js'
import './modules/party/dual-report.schema.js'
import './modules/party/service-record.schema.js'
import './modules/party/catalog.schema.js'
import './modules/agreement/agreement.schema.js'
import './modules/agreement/lists.schema.js'
import './modules/agreement/project.schema.js'
import './modules/volunteer/volunteer.schema.js'
import './modules/volunteer/activity.schema.js'
import './modules/volunteer/points.schema.js'
import './modules/volunteer/reward.schema.js'
import './modules/volunteer/wish.schema.js'
import './modules/volunteer/stats.schema.js'
import './modules/audit/audit.schema.js'
import './modules/assessment/assessment.schema.js'
import './modules/statistics/statistics.schema.js'

builder.queryType({ description: 'Queries (查询).' })
builder.mutationType({
  description: 'Mutations (变更). Each takes one `input` and returns a payload or a typed error.',
})
builder.subscriptionType({ description: 'Live updates over WebSocket (graphql-transport-ws) or SSE (实时推送).' })

export const schema = auditMutations(builder.toSchema({ sortSchema: true }))
