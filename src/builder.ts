// The schema builder and its plugins. It defines no types; see src/schema.ts.
import SchemaBuilder from '@pothos/core'
import { isObjectType, type GraphQLSchema } from 'graphql'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import ErrorsPlugin from '@pothos/plugin-errors'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import GlobalIdErrorsPlugin from './shared/global-id-errors.js'
import type PrismaTypes from './generated/pothos-types.js'
import { getDatamodel } from './generated/pothos-types.js'
import type { Context } from './context.js'
import { scopesFor, type ScopeName } from './auth/scopes.js'
import type { GeoJSONPolygon } from './shared/scalars.js'
import {
  ForbiddenError,
  NotFoundError,
  StaleVersionError,
  ValidationFailedError,
  ConflictError,
  InvalidTransitionError,
} from './shared/errors.js'
import { parseGlobalId } from './shared/relay.js'

export const MAX_PAGE_SIZE = 100
/** Rows of a page when the query gives no `first`. */
export const DEFAULT_PAGE_SIZE = 20
/** `nodes(ids)` takes at most this many ids (DESIGN §4). */
export const MAX_NODES = 100

const isNodeType = (schema: GraphQLSchema, typename: string) => {
  const type = schema.getType(typename)
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node')
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

export const builder = new SchemaBuilder<{
  Context: Context
  PrismaTypes: PrismaTypes
  AuthScopes: Record<ScopeName, boolean>
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: Date; Output: Date | string }
    JSON: { Input: unknown; Output: unknown }
    GeoJSONPolygon: { Input: GeoJSONPolygon; Output: GeoJSONPolygon }
    ID: { Input: string; Output: string }
  }
}>({
  // Errors before scope-auth: a refused role is the mutation's typed `Forbidden` member, the same
  // shape as a refused row (DESIGN §4), not a top-level error.
  plugins: [ErrorsPlugin, GlobalIdErrorsPlugin, ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => scopesFor(ctx.viewer),
    unauthorizedError: (_parent, _ctx, _info, result) => new ForbiddenError(result.message),
  },
  errors: {
    // argument errors (a global ID of the wrong type) answer as ValidationFailed, see global-id-errors.ts
    unsafelyHandleInputErrors: true,
    defaultTypes: [
      ValidationFailedError,
      NotFoundError,
      ForbiddenError,
      StaleVersionError,
      InvalidTransitionError,
      ConflictError,
    ],
    defaultUnionOptions: {
      name: ({ fieldName }) => `${capitalize(fieldName)}Result`,
      description: 'The payload of a mutation, or one of its typed errors (变更结果：成功载荷或业务错误).',
    },
    defaultResultOptions: {
      name: ({ fieldName }) => `${capitalize(fieldName)}Payload`,
      description: "A successful mutation's result (变更成功载荷).",
    },
  },
  relay: {
    clientMutationId: 'omit',
    decodeGlobalID: (globalId) => parseGlobalId(globalId),
    cursorType: 'String',
    // Relay: null for a row that does not exist, that the viewer may not read (read policies) or
    // whose type is no Node — never an error that tells them apart.
    nodeQueryOptions: {
      description:
        'Fetches any object by its global ID; null when it does not exist or you may not read it (Node 接口按全局 ID 取对象，无权或不存在时为 null).',
      resolve: (_root, args, _ctx, info, resolveNode) =>
        isNodeType(info.schema, args.id.typename) ? resolveNode(args.id) : null,
    },
    nodesQueryOptions: {
      description: `Fetches objects by their global IDs, at most ${MAX_NODES} (按全局 ID 批量取对象，最多 ${MAX_NODES} 个).`,
      resolve: (_root, args, _ctx, info, resolveNodes) => {
        if (args.ids.length > MAX_NODES)
          throw new ValidationFailedError([{ path: 'ids', message: `at most ${MAX_NODES} ids` }])
        const ids = args.ids.map((id) => (isNodeType(info.schema, id.typename) ? id : null)) as typeof args.ids
        args.ids.splice(0, args.ids.length, ...ids)
        return resolveNodes(ids)
      },
    },
    nodeTypeOptions: { description: 'An object with a global ID (带全局 ID 的对象).' },
    pageInfoTypeOptions: { description: 'Relay pagination information (分页信息).' },
    idFieldOptions: { description: 'Opaque global ID (全局 ID).' },
    defaultConnectionTypeOptions: { description: 'A page of results, Relay cursor connection (分页结果).' },
    defaultEdgeTypeOptions: { description: 'An item of a page with its cursor (分页条目).' },
    cursorFieldOptions: { description: 'Cursor of this item, for `after`/`before` (游标).' },
    nodeFieldOptions: { description: 'The item (条目对象).' },
    edgesFieldOptions: { description: 'Items of this page (本页条目).' },
    pageInfoFieldOptions: { description: 'Pagination information (分页信息).' },
    hasNextPageFieldOptions: { description: 'More items after this page (是否有下一页).' },
    hasPreviousPageFieldOptions: { description: 'More items before this page (是否有上一页).' },
    startCursorFieldOptions: { description: 'Cursor of the first item (首条游标).' },
    endCursorFieldOptions: { description: 'Cursor of the last item (末条游标).' },
    firstArgOptions: {
      description: `Page size from the start, at most ${MAX_PAGE_SIZE} (每页条数，上限 ${MAX_PAGE_SIZE}).`,
    },
    afterArgOptions: { description: 'Items after this cursor (此游标之后).' },
    lastArgOptions: { description: `Page size from the end, at most ${MAX_PAGE_SIZE} (倒数条数).` },
    beforeArgOptions: { description: 'Items before this cursor (此游标之前).' },
  },
  prisma: {
    client: (ctx) => ctx.reader,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
    maxConnectionSize: MAX_PAGE_SIZE,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
  },
})
