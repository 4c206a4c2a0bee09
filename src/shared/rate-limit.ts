// Per-account limits on mutations (@envelop/rate-limiter): each account (or, signed out, each
// client address) may call each mutation `perMinute` times in a sliding minute. Queries and
// subscriptions are bounded by their cost instead (query-cost.ts), so the limiter — which walks
// the document — runs for mutation operations only. The count is per instance (in memory).
import { useRateLimiter } from '@envelop/rate-limiter'
import { getOperationAST, GraphQLError } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { Context } from '../context.js'

export const RATE_LIMITED = 'common/rate-limited'

export function useMutationRateLimit(opts: { perMinute: number }): Plugin {
  const limiter = useRateLimiter({
    identifyFn: (ctx) => {
      const c = ctx as Context & { req?: { socket?: { remoteAddress?: string } } }
      return c.viewer?.userId ?? `address:${c.req?.socket?.remoteAddress ?? 'unknown'}`
    },
    configByField: [{ type: 'Mutation', field: '*', max: opts.perMinute, window: '1m' }],
    transformError: (message) =>
      new GraphQLError(`${message}: at most ${opts.perMinute} calls a minute; retry later`, {
        extensions: { code: RATE_LIMITED, http: { status: 429, headers: { 'retry-after': '60' } } },
      }),
  })
  return {
    onExecute(payload) {
      if (getOperationAST(payload.args.document, payload.args.operationName)?.operation !== 'mutation') return
      return (limiter.onExecute as unknown as NonNullable<Plugin['onExecute']>)(payload)
    },
  }
}
