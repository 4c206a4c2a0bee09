// The one way tests speak GraphQL: over HTTP (POST application/json, optional bearer token) and over
// graphql-ws (Node 20 has no global WebSocket). Documents are typed from schema/schema.graphql by
// gql.tada (`graphql(...)`), so `data` and variables are checked; a plain string is still accepted
// where a test sends an invalid or generated document on purpose, and then `data` is untyped.
import { initGraphQLTada, type ResultOf, type TadaDocumentNode, type VariablesOf } from 'gql.tada'
import { type DocumentNode, print } from 'graphql'
import { expect } from 'vitest'
import { type Client, createClient } from 'graphql-ws'
import WebSocket from 'ws'
import type { introspection } from '../graphql-env.d.ts'

export const graphql = initGraphQLTada<{
  introspection: introspection
  disableMasking: true
  scalars: { DateTime: string; JSON: any; GeoJSONPolygon: { type: string; coordinates: number[][][] } }
}>()

export type { ResultOf, TadaDocumentNode, VariablesOf }

/**
 * A mutation's typed error, as the tests read it: its code and message, and what the stale-version,
 * invalid-transition and validation errors add. Spread as `...Failure` with `[Failure]` as the
 * second argument of `graphql(…)`.
 */
export const Failure = graphql(`fragment Failure on Error { code message
  ... on StaleVersion { expectedVersion actualVersion }
  ... on InvalidTransition { entity from action }
  ... on ValidationFailed { issues { path message } } }`)

/** A typed document, or a string whose result is untyped (invalid, dynamic or generated documents). */
export type Document = TadaDocumentNode<any, any> | string
/** What a document answers: typed for a `graphql(...)` document, `any` for a string. */
export type DataOf<D> = D extends TadaDocumentNode<infer R, any> ? R : any
/** The variables a document takes: typed for a `graphql(...)` document, any record for a string. */
export type VarsOf<D> = D extends TadaDocumentNode<any, infer V> ? V : Record<string, unknown>
/**
 * The data type: an explicit `T` when a string-document call names one, else the document's. `T` is
 * never inferred from where the result goes (`f(await gql(…))` would otherwise lose the document's type).
 */
type Data<T, D> = [NoInfer<T>] extends [undefined] ? DataOf<D> : NoInfer<T>

/** A document as sent on the wire: a string as written; a `graphql(…)` document printed by graphql-js (gql.tada keeps no source text). */
export function source(doc: Document): string {
  if (typeof doc === 'string') return doc
  return (doc as DocumentNode).loc?.source.body ?? print(doc as DocumentNode)
}

export interface GraphQLErrorItem {
  message: string
  extensions?: Record<string, unknown>
  path?: (string | number)[]
}

export interface GqlResponse<T = any> {
  status: number
  headers: Headers
  data?: T
  errors?: GraphQLErrorItem[]
}

/** Where an app listens: its URL, or anything that carries it (a TestApp). */
export type Target = string | { url: string }
const urlOf = (target: Target) => (typeof target === 'string' ? target : target.url)

export async function gql<T = undefined, D extends Document = Document>(
  target: Target,
  doc: D,
  variables?: VarsOf<D>,
  opts: { token?: string; headers?: Record<string, string> } = {},
): Promise<GqlResponse<Data<T, D>>> {
  const res = await fetch(urlOf(target), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({ query: source(doc), variables }),
  })
  const text = await res.text()
  let body: { data?: Data<T, D>; errors?: GraphQLErrorItem[] }
  try {
    body = JSON.parse(text)
  } catch {
    body = { errors: [{ message: text }] }
  }
  return { status: res.status, headers: res.headers, ...body }
}

/** A response's data; fails the test on any GraphQL error. */
function dataOf<T>(res: GqlResponse<T>): T {
  if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`)
  return res.data
}

/** A client bound to one app and token; `must` fails the test on any GraphQL error. */
export function client(target: Target, token?: string) {
  return {
    query: <T = undefined, D extends Document = Document>(doc: D, variables?: VarsOf<D>) =>
      gql<T, D>(target, doc, variables, { token }),
    async must<T = undefined, D extends Document = Document>(doc: D, variables?: VarsOf<D>): Promise<Data<T, D>> {
      return dataOf(await gql<T, D>(target, doc, variables, { token }))
    },
  }
}

/**
 * Narrows a field of a union or interface type (a payload, `node`) to the member named `typename`:
 * fails the test when the value is null or, where `__typename` was selected, another member.
 */
export function ofType<N extends string, T>(value: T, typename: N): Extract<NonNullable<T>, { __typename?: N }> {
  if (value == null) throw new Error(`expected a ${typename}, got ${value}`)
  const actual = (value as { __typename?: string }).__typename
  if (actual !== undefined && actual !== typename) throw new Error(`expected a ${typename}, got ${actual}`)
  return value as Extract<NonNullable<T>, { __typename?: N }>
}

// ---------------------------------------------------------------- mutation payloads

/** The one root field's answer of a mutation: its payload or one of its typed errors. */
export type AnswerOf<D> = D extends TadaDocumentNode<infer R, any> ? R[keyof R] : Answer
/** The success member of a mutation's answer (`…Payload`). */
type PayloadOf<D> = Extract<AnswerOf<D>, { __typename: `${string}Payload` }>
/** The object a successful payload carries (`case`, `order`, `report` …). */
export type PayloadObjectOf<D> = D extends string
  ? any
  : NonNullable<PayloadOf<D>[Exclude<keyof PayloadOf<D>, '__typename'>]>

export type Answer = { __typename: string; code?: string; message?: string; [k: string]: any }
type InputOf<D> = VarsOf<D> extends { input: infer I } ? I : Record<string, unknown>

/** A mutation's answer (`{ input }` variables): its payload or typed error (`__typename` tells which); GraphQL errors throw. */
export async function answer<D extends Document>(
  target: Target,
  token: string,
  doc: D,
  input: InputOf<D>,
): Promise<AnswerOf<D>> {
  return answerOf(await gql(target, doc, { input } as VarsOf<D>, { token })) as AnswerOf<D>
}

function answerOf(res: GqlResponse): Answer {
  return Object.values(dataOf(res))[0] as Answer
}

/** The object inside a successful payload (its first field); fails on a typed error. */
export async function must<D extends Document>(
  target: Target,
  token: string,
  doc: D,
  input: InputOf<D>,
): Promise<PayloadObjectOf<D>> {
  const a = (await answer(target, token, doc, input)) as Answer
  if (!a.__typename.endsWith('Payload')) throw new Error(`${a.__typename}: ${a.message}`)
  return Object.entries(a).find(([k]) => k !== '__typename')![1]
}

// ---------------------------------------------------------------- WebSocket

export interface Closed {
  code: number
  reason: string
}

export function wsClient(
  url: string,
  token?: string | null,
  extra: { onClosed?: (c: Closed) => void; lazy?: boolean } = {},
): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: extra.lazy ?? true,
    // a test that watches the socket close has its answer in onClosed: not also graphql-ws' console.error
    onNonLazyError: extra.onClosed ? () => {} : undefined,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: {
      closed: (e) =>
        extra.onClosed?.({ code: (e as { code: number }).code, reason: String((e as { reason: string }).reason) }),
    },
  })
}

export function deferred<T = void>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

export interface Received<T> {
  data?: T
  errors?: unknown[]
  receivedAt: number
}

/** Subscribes and collects results; `next(n)` resolves once n results have arrived. */
export function collect<T0 = undefined, D extends Document = Document>(client: Client, doc: D, variables?: VarsOf<D>) {
  type T = Data<T0, D>
  const items: Received<T>[] = []
  const waiters: { n: number; d: ReturnType<typeof deferred<typeof items>> }[] = []
  const done = deferred<void>()
  const flush = () => {
    for (const w of [...waiters])
      if (items.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1)
        w.d.resolve(items)
      }
  }
  const dispose = client.subscribe<T>(
    { query: source(doc), variables: variables as Record<string, unknown> | undefined },
    {
      next: (v) => {
        items.push({ ...(v as { data?: T; errors?: unknown[] }), receivedAt: Date.now() })
        flush()
      },
      // an `error` message (e.g. validation) or a closed socket ends the operation: record it as an item
      error: (e) => {
        items.push({ errors: Array.isArray(e) ? e : [e], receivedAt: Date.now() })
        flush()
        done.resolve()
      },
      complete: () => done.resolve(),
    },
  )
  return {
    items,
    done: done.promise,
    next(n = items.length + 1) {
      const d = deferred<typeof items>()
      waiters.push({ n, d })
      flush()
      return d.promise
    },
    dispose,
  }
}

/** An id no row carries, for asking about a row that does not exist. */
export const NO_SUCH_ID = '00000000-0000-7000-8000-000000000000'

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/** What an answer tells its viewer: its type, code and message, the ids in the message blanked out. */
export const told = (a: { __typename: string; code?: string; message?: string }) => ({
  __typename: a.__typename,
  code: a.code,
  message: a.message?.replace(UUIDS, '<id>'),
})

/**
 * A row out of the viewer's reach answered as a row that does not exist (DESIGN §5): the two answers
 * tell the same, and the first names none of `secrets` (ids or data of the hidden row).
 */
export function expectAnsweredAsMissing(
  hidden: Parameters<typeof told>[0],
  none: Parameters<typeof told>[0],
  secrets: string[] = [],
) {
  expect(told(hidden)).toEqual(told(none))
  for (const secret of secrets) expect(JSON.stringify(hidden)).not.toContain(secret)
}
