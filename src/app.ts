// buildApp(): graphql-yoga on /graphql (HTTP + SSE) and graphql-ws on the same path, with the
// security defaults of DESIGN §4–§5. Returns { start, stop }; tests listen on port 0.
import { AsyncLocalStorage } from 'node:async_hooks'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor'
import { PothosValidationError } from '@pothos/core'
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention'
import { getOperationAST, GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionArgs } from 'graphql'
import { createYoga, maskError as defaultMaskError, type Plugin, type YogaInitialContext } from 'graphql-yoga'
import { useServer } from 'graphql-ws/use/ws'
import type { Context as WsContext } from 'graphql-ws'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Config } from './config.js'
import { poolStats, type PrismaClient } from './db.js'
import type { Logger } from './logger.js'
import type { AppPubSub } from './pubsub.js'
import { AuthError, bearerToken, type TokenVerifier } from './auth/jwt.js'
import type { Viewer } from './auth/viewer.js'
import { AccountRefused, createAccountDirectory, narrowToClaims, type AccountDirectory } from './auth/accounts.js'
import { buildContext, type Context, type Feeds } from './context.js'
import { schema } from './schema.js'
import { createSlaSweeper, sweepOverdue } from './modules/case/sla.service.js'
import { createAgreementExpirer, expireAgreements } from './modules/agreement/expiry.service.js'
import { advanceActivities, createActivityClock } from './modules/volunteer/clock.service.js'
import { createWebhookWorker, webhookQueue } from './modules/case/webhook.service.js'
import { BaseError } from './shared/errors.js'
import { usePageSizeLimit } from './shared/page-size.js'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './builder.js'
import { useQueryCost } from './shared/query-cost.js'
import { createFeeds } from './realtime/feeds.js'
import { createCategoryCache } from './modules/case/categories.js'
import { RetryLaterError, useSharedSubscriptions } from './realtime/shared-subscriptions.js'
import { createSessionGuard, useSseSessions } from './realtime/sessions.js'
import { isTransientDbError, UNAVAILABLE } from './db/transient.js'
import { classifyError, errorCode } from './shared/error-class.js'
import { useMutationRateLimit } from './shared/rate-limit.js'
import { useInputGuard } from './shared/input-guard.js'
import { useCompression } from './shared/compression.js'
import { createMetrics } from './metrics.js'
import { createTrustedDocuments, loadTrustedDocuments } from './shared/trusted-documents.js'
import { operationNameOf } from './shared/operation-name.js'
import { useExports } from './modules/export/export.routes.js'

export interface AppDeps {
  config: Config
  prisma: PrismaClient
  pubsub: AppPubSub
  log: Logger
  verifier: TokenVerifier
  /** Database reachable and migrations applied (for /readyz). */
  isReady: () => Promise<boolean>
  /** Shown pre-filled in GraphiQL's header editor (embedded mode's demo token, once it is signed). */
  graphiqlToken?: () => string | undefined
}

export interface App {
  server: Server
  /** Background jobs, exposed for admin scripts and tests. */
  jobs: {
    sweepOverdue(now?: Date): Promise<number>
    deliverWebhooks(): Promise<void>
    expireAgreements(now?: Date): Promise<number>
    advanceActivities(now?: Date): Promise<number>
    /** Closes (4403) the sockets of accounts deactivated since the last check; returns how many. */
    checkSessions(): Promise<number>
  }
  /** The live feeds (tests await `feeds.dispatch.whenAttached`; operations read `stats()`). */
  feeds: Feeds
  /** Accounts' grants as the server sees them (cached; see auth/accounts.ts). */
  accounts: AccountDirectory
  /** Listens; the background jobs start then, or once `jobsAfter` settles (the demo seed's steps are not raced). */
  start(port?: number, host?: string, jobsAfter?: Promise<unknown>): Promise<{ port: number; url: string }>
  stop(): Promise<void>
}

interface ServerContext {
  req?: IncomingMessage
  viewer?: Viewer | null
  requestId?: string
}

const WS_EXTRA_VIEWER = Symbol('viewer')
const WS_EXTRA_SUBSCRIPTIONS = Symbol('subscriptions')
type WsExtra = {
  request: IncomingMessage
  socket: WebSocket
  [WS_EXTRA_VIEWER]?: Viewer | null
  [WS_EXTRA_SUBSCRIPTIONS]?: Set<string>
}

/** What yoga's context function returns once it has filled in yoga's context itself. */
const NOTHING_TO_MERGE = Object.freeze({}) as Context

/** Security headers on every answer (the GraphiQL page keeps its own inline scripts: no CSP there). */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}
const API_CSP = "default-src 'none'; frame-ancestors 'none'"

/** A request id a client may give (x-request-id), else a new one. */
const requestIdOf = (given: string | null | undefined) => (given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID())

export function buildApp(deps: AppDeps): App {
  const { config, log } = deps
  const requestIds = new WeakMap<Request, string>()
  // the request being served, so that log lines written deep inside yoga carry its id
  const scope = new AsyncLocalStorage<{ requestId: string }>()
  const requestId = () => scope.getStore()?.requestId
  const feeds: Feeds = createFeeds(
    { prisma: deps.prisma, pubsub: deps.pubsub, log },
    { dispatchPollMs: config.DISPATCH_POLL_MS, figuresIntervalMs: config.FIGURES_INTERVAL_MS },
  )
  const accounts = createAccountDirectory({ prisma: deps.prisma, pubsub: deps.pubsub, ttlMs: config.ACCOUNT_CACHE_MS })
  const categories = createCategoryCache({ prisma: deps.prisma, pubsub: deps.pubsub, ttlMs: config.REFERENCE_CACHE_MS })
  const contextDeps = {
    ...deps,
    feeds,
    accounts,
    categories,
    settings: {
      webhookAllowPrivate: config.webhookAllowPrivate,
      webhookMaxPerDepartment: config.WEBHOOK_MAX_PER_DEPARTMENT,
    },
  }
  const sessions = createSessionGuard({ accounts, log, intervalMs: config.SESSION_CHECK_MS })
  const metrics = createMetrics({
    token: config.METRICS_TOKEN,
    sockets: () => wss.clients.size,
    feed: feeds.dispatch,
    webhookQueue: () => webhookQueue(deps.prisma),
    pool: () => poolStats(deps.prisma),
  })
  const observe = metrics.job
  const sweeper = createSlaSweeper({
    prisma: deps.prisma,
    pubsub: deps.pubsub,
    log,
    intervalMs: config.SLA_SWEEP_MS,
    observe,
  })
  const expirer = createAgreementExpirer({
    prisma: deps.prisma,
    pubsub: deps.pubsub,
    log,
    intervalMs: config.AGREEMENT_EXPIRY_MS,
    observe,
  })
  const activityClock = createActivityClock({
    prisma: deps.prisma,
    pubsub: deps.pubsub,
    log,
    intervalMs: config.ACTIVITY_CLOCK_MS,
    observe,
  })
  const webhooks = createWebhookWorker({
    prisma: deps.prisma,
    log,
    pollMs: config.WEBHOOK_POLL_MS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    allowPrivate: config.webhookAllowPrivate,
    observe,
  })

  /** The token identifies; the account's grants in the database, narrowed by the claims, authorise. */
  async function viewerFrom(header: string | null | undefined): Promise<Viewer | null> {
    const raw = bearerToken(header)
    if (!raw) {
      if (header) throw new AuthError('Invalid token: expected "Bearer <jwt>"')
      return null
    }
    const token = await deps.verifier.verify(raw)
    try {
      return narrowToClaims(await accounts.grants(token.userId), token.claims, token)
    } catch (e) {
      if (e instanceof AccountRefused) throw new AuthError(e.message)
      throw e
    }
  }

  // what the request line reports besides the id: when it started, and the operation it ran
  const started = new WeakMap<Request, { at: number; operation?: string }>()
  const requestLogging: Plugin = {
    onRequest({ request }) {
      requestIds.set(request, requestId() ?? requestIdOf(request.headers.get('x-request-id')))
      started.set(request, { at: performance.now() })
    },
    onParams({ params, request }) {
      const entry = started.get(request)
      if (entry) entry.operation = params.operationName ?? operationNameOf(params.query)
    },
    onResponse({ request, response }) {
      const requestId = requestIds.get(request)
      response.headers.set('x-request-id', requestId ?? '')
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value)
      if (!response.headers.get('content-type')?.startsWith('text/html'))
        response.headers.set('content-security-policy', API_CSP)
      if (config.production) response.headers.set('strict-transport-security', 'max-age=31536000')
      const url = new URL(request.url)
      if (url.pathname === '/healthz' || url.pathname === '/readyz' || url.pathname === '/metrics') return
      const entry = started.get(request)
      const ms = entry ? performance.now() - entry.at : undefined
      log.info(
        {
          requestId,
          method: request.method,
          path: url.pathname,
          status: response.status,
          operation: entry?.operation,
          durationMs: ms === undefined ? undefined : Math.round(ms),
        },
        'request',
      )
      if (ms !== undefined && url.pathname === yoga.graphqlEndpoint)
        metrics.request(request, entry?.operation, response.status, ms)
    },
  }

  const introspectionOff: Plugin = {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule)
    },
  }
  const trusted = config.TRUSTED_DOCUMENTS
    ? createTrustedDocuments(loadTrustedDocuments(config.TRUSTED_DOCUMENTS), { only: config.TRUSTED_DOCUMENTS_ONLY })
    : undefined

  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // yoga hands its log lines (and every error it masks) to these, with the request's id from `scope`
    logging: {
      debug: (...a) => log.debug({ requestId: requestId(), detail: a }, 'yoga'),
      info: (...a) => log.info({ requestId: requestId(), detail: a }, 'yoga'),
      warn: (...a) => log.warn({ requestId: requestId(), detail: a }, 'yoga'),
      error: (...a) => logError(a[0]),
    },
    // browsers may call from the listed origins only (CORS_ORIGINS); none by default
    cors: config.CORS_ORIGINS.length
      ? {
          origin: config.CORS_ORIGINS,
          credentials: true,
          methods: ['GET', 'POST'],
          allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'x-graphql-yoga-csrf', 'graphql-preflight'],
          maxAge: 600,
        }
      : false,
    healthCheckEndpoint: '/healthz',
    graphiql: config.graphiql
      ? () => {
          const token = deps.graphiqlToken?.()
          return {
            title: 'Gongzhi 共治 GraphiQL',
            subscriptionsProtocol: 'SSE',
            // useCSRFPrevention refuses GraphiQL's SSE GET unless it carries this header.
            additionalHeaders: { 'x-graphql-yoga-csrf': 'graphiql' },
            headers: token ? JSON.stringify({ authorization: `Bearer ${token}` }, null, 2) : undefined,
            defaultQuery:
              '# Gongzhi (共治) — try:\n{\n  me { displayName roles }\n  grids(first: 5) { edges { node { code name community { name } } } }\n}\n',
          }
        }
      : false,
    // 18 MB of inlined GraphiQL assets: loaded on the first page view, not at start-up
    renderGraphiQL: async (opts) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(opts),
    maskedErrors: {
      isDev: false,
      maskError(error, message) {
        const original = error instanceof GraphQLError ? error.originalError : error
        if (original instanceof BaseError) {
          return new GraphQLError(original.message, { extensions: { code: original.code } })
        }
        if (original instanceof PothosValidationError) {
          return new GraphQLError(original.message, { extensions: { code: 'common/validation-failed' } })
        }
        if (original instanceof AuthError) {
          return new GraphQLError(original.message, {
            extensions: { code: 'auth/unauthenticated', http: { status: original.status } },
          })
        }
        const givenUp = RetryLaterError.isCauseOf(error)
        if (givenUp || isTransientDbError(original)) {
          // a given-up subscription keeps its cause: the WebSocket layer closes with 1013 on it (onError below)
          return new GraphQLError(UNAVAILABLE.message, {
            originalError: givenUp ? new RetryLaterError() : undefined,
            extensions: {
              code: UNAVAILABLE.code,
              retryAfterSeconds: UNAVAILABLE.retryAfterSeconds,
              http: { status: 503, headers: { 'retry-after': String(UNAVAILABLE.retryAfterSeconds) } },
            },
          })
        }
        return defaultMaskError(error, message, false)
      },
    },
    plugins: [
      requestLogging,
      useCompression(),
      metrics.plugin,
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'graphql-preflight'] }),
      ...(trusted ? [trusted.plugin] : []),
      // the shape limits; the cost (rows a query may read) is ours, see src/shared/query-cost.ts
      EnvelopArmorPlugin({
        maxDepth: { n: config.MAX_DEPTH },
        maxAliases: { n: config.MAX_ALIASES },
        maxTokens: { n: config.MAX_TOKENS },
        maxDirectives: { n: 50 },
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: config.production },
      }),
      ...(config.introspection ? [] : [introspectionOff]),
      usePageSizeLimit(MAX_PAGE_SIZE),
      useInputGuard(),
      useMutationRateLimit({ perMinute: config.MUTATIONS_PER_MINUTE }),
      useQueryCost(config.MAX_COST, { defaultPageSize: DEFAULT_PAGE_SIZE }),
      useSharedSubscriptions({
        contextFor: (viewer) => buildContext(contextDeps, viewer, randomUUID()),
        maxPerUser: config.MAX_SUBSCRIPTIONS_PER_USER,
        retryDeadlineMs: config.SUBSCRIPTION_RETRY_MS,
      }),
      // an SSE subscription ends with its credentials, as a socket does (4403)
      useSseSessions(sessions),
      // GET /exports/*.csv|xlsx: the lists as files, under the same token, context and read policies
      useExports({
        viewerFrom,
        contextFor: (viewer, request) => buildContext(contextDeps, viewer, requestIds.get(request) ?? randomUUID()),
      }),
      {
        async onRequest({ request, url, endResponse, fetchAPI }) {
          if (url.pathname === '/readyz') {
            const ready = await deps.isReady().catch(() => false)
            endResponse(
              new fetchAPI.Response(JSON.stringify({ status: ready ? 'ready' : 'not ready' }), {
                status: ready ? 200 : 503,
                headers: { 'content-type': 'application/json' },
              }),
            )
          }
          void request
        },
      } satisfies Plugin,
    ],
    context: async (initial: YogaInitialContext & ServerContext) => {
      // The fields go onto yoga's own context object (see buildContext), so nothing is left for yoga
      // to merge: merging would copy them, building the lazy reader of every subscription at once.
      if (initial.viewer !== undefined) {
        buildContext(contextDeps, initial.viewer, initial.requestId ?? randomUUID(), initial)
        return NOTHING_TO_MERGE
      }
      let viewer: Viewer | null
      try {
        viewer = await viewerFrom(initial.request.headers.get('authorization'))
      } catch (e) {
        if (e instanceof AuthError) {
          throw new GraphQLError(e.message, { extensions: { code: 'auth/unauthenticated', http: { status: 401 } } })
        }
        throw e
      }
      buildContext(contextDeps, viewer, requestIds.get(initial.request) ?? randomUUID(), initial)
      return NOTHING_TO_MERGE
    },
  })

  // Bodies above the limit are refused before yoga reads them.
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const length = Number(req.headers['content-length'] ?? 0)
    if (
      length > config.MAX_BODY_BYTES ||
      (req.headers['transfer-encoding'] && !req.headers['content-length'] && req.method === 'POST')
    ) {
      res.writeHead(length > config.MAX_BODY_BYTES ? 413 : 411, {
        'content-type': 'application/json',
        connection: 'close',
      })
      res.end(
        JSON.stringify({
          errors: [
            {
              message:
                length > config.MAX_BODY_BYTES
                  ? `Request body larger than ${config.MAX_BODY_BYTES} bytes`
                  : 'Content-Length required',
            },
          ],
        }),
      )
      req.resume()
      return
    }
    void scope.run({ requestId: requestIdOf(req.headers['x-request-id'] as string | undefined) }, () => yoga(req, res))
  }

  /** Expected client errors at info with their code, a database away at warn, the rest at error with the stack. */
  function logError(e: unknown) {
    const kind = classifyError(e)
    const fields = { requestId: requestId(), code: errorCode(e) }
    if (kind === 'client') log.info({ ...fields, message: (e as Error)?.message }, 'client error')
    else if (kind === 'unavailable') log.warn({ ...fields, message: (e as Error)?.message }, 'database unavailable')
    else log.error({ ...fields, err: e }, 'unexpected error')
  }
  const server = createServer(handler)
  // upgrades are handed over here rather than through `{ server }`: that would also forward the HTTP
  // server's listen errors to graphql-ws, which prints them with a stack (a port in use is one line, see main.ts)
  const wss = new WebSocketServer({
    noServer: true,
    path: yoga.graphqlEndpoint,
    maxPayload: config.WS_MAX_PAYLOAD_BYTES,
  })
  // (handleUpgrade answers 400 for another path, as `{ server }` did)
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
  )

  const wsServer = useServer<Record<string, unknown> | undefined, WsExtra>(
    {
      connectionInitWaitTimeout: config.WS_CONNECTION_INIT_TIMEOUT_MS,
      // A bad token closes the socket with 4403; no token is an anonymous connection, whose
      // operations may still carry `extensions.headers.authorization` (as GraphiQL sends them).
      // The socket is closed with 4403 when its token expires or its account is deactivated.
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization
        try {
          const viewer = await viewerFrom(typeof auth === 'string' ? auth : null)
          ctx.extra[WS_EXTRA_VIEWER] = viewer
          if (viewer) sessions.watch(ctx.extra.socket, viewer)
          return true
        } catch {
          return false
        }
      },
      onClose: (ctx) => {
        sessions.forget(ctx.extra.socket)
      },
      execute: (args: ExecutionArgs) =>
        scope.run({ requestId: (args.contextValue as Context).requestId }, () =>
          (args.rootValue as { execute(a: ExecutionArgs): unknown }).execute(args),
        ) as never,
      subscribe: (args: ExecutionArgs) =>
        scope.run({ requestId: (args.contextValue as Context).requestId }, () =>
          (args.rootValue as { subscribe(a: ExecutionArgs): unknown }).subscribe(args),
        ) as never,
      onSubscribe: async (ctx: WsContext<Record<string, unknown> | undefined, WsExtra>, id, params) => {
        let viewer = ctx.extra[WS_EXTRA_VIEWER] ?? null
        const opHeader = (params.extensions?.headers as Record<string, unknown> | undefined)?.authorization
        if (!viewer && typeof opHeader === 'string') {
          try {
            viewer = await viewerFrom(opHeader)
          } catch (e) {
            return [new GraphQLError((e as Error).message, { extensions: { code: 'auth/unauthenticated' } })]
          }
          if (viewer) sessions.watch(ctx.extra.socket, viewer)
        }
        // yoga's onParams (where trusted documents are resolved) does not run for graphql-ws
        if (trusted) {
          try {
            params = await trusted.resolve(params)
          } catch (e) {
            if (e instanceof GraphQLError) return [e]
            throw e
          }
        }
        const {
          schema: s,
          execute,
          subscribe,
          contextFactory,
          parse,
          validate,
        } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          viewer,
          requestId: randomUUID(),
        })
        // Armor throws from validate(); unhandled, graphql-ws would close the whole socket (4500).
        let document: ReturnType<typeof parse>
        try {
          document = parse(params.query)
          const errors = validate(s, document)
          if (errors.length) return errors
        } catch (e) {
          if (e instanceof GraphQLError) return [e]
          throw e
        }
        if (getOperationAST(document, params.operationName)?.operation === 'subscription') {
          // ids leave ctx.subscriptions as soon as the client's `complete` arrives
          const open = (ctx.extra[WS_EXTRA_SUBSCRIPTIONS] ??= new Set())
          for (const other of open) if (!(other in ctx.subscriptions)) open.delete(other)
          if (open.size >= config.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION) {
            return [
              new GraphQLError(
                `Too many subscriptions: at most ${config.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION} per connection`,
                { extensions: { code: 'realtime/too-many-subscriptions' } },
              ),
            ]
          }
          open.add(id)
        }
        return {
          schema: s,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        } as ExecutionArgs
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        metrics.errors(result.errors)
      },
      // A feed that could not be served through a database outage: close with 1013 (Try Again
      // Later) rather than send `error`, so that stock clients reconnect and resume.
      onError: (ctx, _id, _payload, errors) => {
        metrics.errors(errors)
        if (errors.some((e) => RetryLaterError.isCauseOf(e)))
          ctx.extra.socket.close(1013, 'Database unavailable; reconnect and resume')
      },
    },
    wss,
  )

  let stopping: Promise<void> | undefined
  let unregisterKick = () => {}
  return {
    server,
    jobs: {
      sweepOverdue: (now) => sweepOverdue({ prisma: deps.prisma, pubsub: deps.pubsub, log }, now),
      deliverWebhooks: () => webhooks.runOnce(),
      expireAgreements: (now) => expireAgreements({ prisma: deps.prisma, pubsub: deps.pubsub, log }, now),
      advanceActivities: (now) => advanceActivities({ prisma: deps.prisma, pubsub: deps.pubsub, log }, now),
      checkSessions: () => sessions.check(),
    },
    feeds,
    accounts,
    // the embedded first start passes the demo workflows as `jobsAfter`, so that no job (the
    // activity clock, agreement expiry) moves a row between two of the seed's steps
    async start(port = config.PORT, host = config.HOST, jobsAfter?: Promise<unknown>) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => {
          server.off('error', reject)
          resolve()
        })
      })
      const startJobs = () => {
        if (stopping || !config.BACKGROUND_JOBS) return
        sweeper.start()
        expirer.start()
        activityClock.start()
        webhooks.start()
        unregisterKick = feeds.orders.onDeliveries(() => webhooks.kick())
      }
      // after the demo workflows, loaded or failed; a job that cannot start is not swallowed
      if (jobsAfter) void jobsAfter.then(startJobs, startJobs)
      else startJobs()
      sessions.start()
      const address = server.address() as AddressInfo
      return { port: address.port, url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/graphql` }
    },
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        for (const client of wss.clients) client.close(1001, 'Server shutting down')
        await wsServer.dispose()
        wss.close()
        feeds.dispatch.stop()
        feeds.figures.stop()
        feeds.orders.stop()
        sessions.stop()
        accounts.stop()
        categories.stop()
        const timer = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS)
        await closed
        clearTimeout(timer)
        await yoga.dispose?.()
        unregisterKick()
        await Promise.all([sweeper.stop(), webhooks.stop(), expirer.stop(), activityClock.stop()])
      })()
      return stopping
    },
  }
}
