// Subscriptions executed once per audience, not once per socket (DESIGN §6).
//
// graphql-js runs a subscription as a source stream (the field's `subscribe`) mapped through
// `execute` for every event. The source stays per subscriber (it holds that subscriber's cursor);
// the mapping is shared: subscribers whose events are the same object (the dispatch feed and the
// bus hand one object to every subscriber) and who ask the same selection as the same class of
// viewer get the same result promise. A department's 2,000 sockets cost one execution per order.
//
// A viewer class is what the read policies look at. Department staff and officers share by their
// claims without the user id, and the shared execution runs as an anonymous member of that class:
// it sees what the audience may see, never a member's personal grants. Anyone else is a class alone.
// Where the class may not read the root row a subscriber reads by a grant of their own (a case
// they reported, an order assigned to them), that subscriber's events are executed as themselves
// from then on. Only a root row the class cannot find counts: a nested field or masked personal
// data the class reads differently still comes as the class reads it.
//
// A result that failed only because the database is away is not sent (it would be a `next` without
// data): the execution is retried with backoff; past the deadline the subscription ends with a
// RetryLaterError, which the WebSocket layer turns into close code 1013 so that clients reconnect.
import {
  createSourceEventStream,
  execute,
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql'
import { mapAsyncIterator, type Plugin } from 'graphql-yoga'
import type { Context } from '../context.js'
import { hasRole, OFFICER_ROLES, type Viewer } from '../auth/viewer.js'
import { isTransientDbError } from '../db/transient.js'
import { backoffDelay, pause } from '../shared/backoff.js'
import { NotFoundError } from '../shared/errors.js'

/** Thrown into a subscription that could not be served for longer than the retry deadline. */
export class RetryLaterError extends Error {
  constructor() {
    super('The database is unavailable; reconnect and resume from your cursor')
  }

  /** Whether `e` is one, or wraps one (graphql-ws and error masking wrap what a stream throws). */
  static isCauseOf(e: unknown): boolean {
    for (let depth = 0; e && depth < 5; depth++) {
      if (e instanceof RetryLaterError) return true
      e = (e as { originalError?: unknown }).originalError ?? (e as { cause?: unknown }).cause
    }
    return false
  }
}

export interface SharedSubscriptionOptions {
  /** A fresh context for a viewer, per shared execution: no subscriber's request state or cached rows leak into it. */
  contextFor(viewer: Viewer | null): Context
  /** Live subscriptions one user may hold on this instance (WebSocket and SSE together). */
  maxPerUser: number
  /** How long an event is retried while the database is away before the subscription is given up. */
  retryDeadlineMs: number
}

/** The user id no row carries: shared executions run as it, so per-user grants never apply. */
const NOBODY = '00000000-0000-0000-0000-000000000000'

/**
 * Who may share an execution with whom, and as which viewer it runs; `own` is the key of the
 * viewer's own executions (their user id with their claims: two tokens of one account may differ).
 */
export function viewerClass(v: Viewer | null): { key: string; viewer: Viewer | null; own: string } {
  if (!v) return { key: 'anonymous', viewer: null, own: 'anonymous' }
  const claims = JSON.stringify([
    [...v.roles].sort(),
    [...v.regionIds].sort(),
    [...v.gridIds].sort(),
    v.departmentId,
    v.unitId,
  ])
  const own = `user:${v.userId}:${claims}`
  const collective = (hasRole(v, 'DEPARTMENT_STAFF') && v.departmentId) || hasRole(v, ...OFFICER_ROLES)
  if (!collective) return { key: own, viewer: v, own }
  return { key: `class:${claims}`, viewer: { ...v, userId: NOBODY, expiresAt: undefined }, own }
}

export function useSharedSubscriptions(opts: SharedSubscriptionOptions): Plugin {
  const perUser = new Map<string, number>()
  /** event object → (selection + class) → its result */
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>()

  const release = (userId: string | undefined) => {
    if (!userId) return
    const n = (perUser.get(userId) ?? 1) - 1
    if (n > 0) perUser.set(userId, n)
    else perUser.delete(userId)
  }

  async function subscribe(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
    const ctx = args.contextValue as Context
    const userId = ctx.viewer?.userId
    if (userId) {
      const n = perUser.get(userId) ?? 0
      if (n >= opts.maxPerUser) {
        return {
          errors: [
            new GraphQLError(`Too many subscriptions: at most ${opts.maxPerUser} per user`, {
              extensions: { code: 'realtime/too-many-subscriptions' },
            }),
          ],
        }
      }
      perUser.set(userId, n + 1)
    }
    let source: Awaited<ReturnType<typeof createSourceEventStream>>
    try {
      source = await createSourceEventStream(args)
    } catch (e) {
      release(userId)
      throw e
    }
    if (!(Symbol.asyncIterator in source)) {
      release(userId)
      return source
    }
    const cls = viewerClass(ctx.viewer)
    const selection = selectionKey(args)
    /** The event's result for this selection as `viewer`, shared by everyone asking under `who`. */
    const runAs = (event: object, who: string, viewer: Viewer | null) => {
      const key = `${selection}\u0000${who}`
      let byKey = results.get(event)
      if (!byKey) results.set(event, (byKey = new Map()))
      let result = byKey.get(key)
      if (!result) {
        result = retrying({ ...args, contextValue: opts.contextFor(viewer), rootValue: event })
        byKey.set(key, result)
        // a failed result is not kept: the next subscriber tries again
        result.then(
          (r) => {
            if (r.errors && !r.data) byKey.delete(key)
          },
          () => byKey.delete(key),
        )
      }
      return result
    }
    /** Set once the class could not read a row this subscriber reads: their events run as themselves. */
    let ownRows = false
    const run = async (event: unknown) => {
      if (typeof event !== 'object' || event === null) return retrying({ ...args, rootValue: event })
      if (!ownRows) {
        const shared = await runAs(event, cls.key, cls.viewer)
        // the class may not read a row this subscriber reads by a grant of their own (a case they
        // reported, an order assigned to them): the subscriber's own execution answers for it
        if (cls.viewer === ctx.viewer || !shared.errors?.some((e) => e.originalError instanceof NotFoundError))
          return shared
        ownRows = true
      }
      return runAs(event, cls.own, ctx.viewer)
    }
    // the count is released once, however the stream ends: completed, returned, or given up (a
    // mapper that throws ends the stream without calling onEnd)
    let ended = false
    const end = () => {
      if (!ended) {
        ended = true
        release(userId)
      }
    }
    const mapped = (event: unknown) =>
      run(event).catch((e: unknown) => {
        end()
        throw e
      })
    return mapAsyncIterator(source as AsyncIterable<unknown>, mapped, undefined, end)
  }

  /** Executes for one event; waits out transient database errors until the deadline. */
  async function retrying(args: ExecutionArgs): Promise<ExecutionResult> {
    const deadline = Date.now() + opts.retryDeadlineMs
    for (let attempt = 1; ; attempt++) {
      const result = await execute(args)
      const transient = result.errors?.some((e) => isTransientDbError(e.originalError))
      if (!transient) return result
      if (Date.now() >= deadline) throw new RetryLaterError()
      const ctx = args.contextValue as Context
      ctx.log.warn({ attempt, err: result.errors![0]!.message }, 'database unavailable; retrying a subscription event')
      await pause(Math.min(backoffDelay(attempt), deadline - Date.now()))
    }
  }

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribe as never)
    },
  }
}

// ------------------------------------------------------------ what the payload depends on

const selectionKeys = new WeakMap<DocumentNode, Map<string, { text: string; variables: string[] }>>()

/**
 * The operation's text and the variables its payload uses. Variables used only as arguments of the
 * root field choose the source stream (a cursor, a region) and do not change the payload: two
 * subscribers resuming from different cursors still share executions.
 */
export function selectionKey(args: ExecutionArgs): string {
  const name = args.operationName ?? ''
  let byOp = selectionKeys.get(args.document)
  if (!byOp) selectionKeys.set(args.document, (byOp = new Map()))
  let entry = byOp.get(name)
  if (!entry) {
    const op = args.document.definitions.find(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION && (!args.operationName || d.name?.value === args.operationName),
    )
    const variables = new Set<string>()
    for (const s of op?.selectionSet.selections ?? []) {
      // root fields: their selection and directives count, their arguments do not; anything else counts whole
      if (s.kind === Kind.FIELD) collectVariables([s.selectionSet, s.directives], args.document, variables)
      else collectVariables(s, args.document, variables)
    }
    entry = { text: print(args.document), variables: [...variables].sort() }
    byOp.set(name, entry)
  }
  const values = args.variableValues ?? {}
  return `${entry.text}\u0000${name}\u0000${JSON.stringify(entry.variables.map((v) => values[v] ?? null))}`
}

function collectVariables(node: unknown, doc: DocumentNode, out: Set<string>) {
  const seenFragments = new Set<string>()
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return
    const n = node as { kind?: string; name?: { value: string } }
    if (n.kind === Kind.VARIABLE) out.add(n.name!.value)
    if (n.kind === Kind.FRAGMENT_SPREAD && !seenFragments.has(n.name!.value)) {
      seenFragments.add(n.name!.value)
      const fragment = doc.definitions.find(
        (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === n.name!.value,
      )
      walk(fragment)
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc') continue
      if (Array.isArray(value)) value.forEach(walk)
      else if (value && typeof value === 'object' && 'kind' in value) walk(value)
    }
  }
  if (Array.isArray(node)) node.forEach(walk)
  else walk(node)
}
