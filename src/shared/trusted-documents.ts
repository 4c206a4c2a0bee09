// Trusted documents (persisted operations): with TRUSTED_DOCUMENTS set, a client may send the hash of
// a document listed in that manifest instead of its text; with TRUSTED_DOCUMENTS_ONLY, nothing else
// runs. yoga's persisted-operations plugin does the work over HTTP; `resolve` runs the very same hook
// for graphql-ws, whose subscribe messages never pass through yoga's onParams.
import fs from 'node:fs'
import { usePersistedOperations, defaultExtractPersistedOperationId } from '@graphql-yoga/plugin-persisted-operations'
import { GraphQLError } from 'graphql'
import type { GraphQLParams, OnParamsEventPayload, Plugin } from 'graphql-yoga'
import { FatalError } from './fatal-error.js'

export const TRUSTED_DOCUMENT_CODES = {
  notFound: 'PERSISTED_QUERY_NOT_FOUND',
  onlyTrusted: 'PERSISTED_QUERY_ONLY',
  idRequired: 'PERSISTED_QUERY_ID_REQUIRED',
} as const

const HOW = 'send `extensions: { persistedQuery: { version: 1, sha256Hash } }` or `documentId`'

/**
 * Reads a manifest: graphql-codegen's `persisted-documents.json` (`{ "<hash>": "<document>" }`) or
 * Apollo's persisted query manifest (`{ "format": "apollo-persisted-query-manifest", "operations": [{ id, body }] }`).
 */
export function loadTrustedDocuments(path: string): Map<string, string> {
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(path, 'utf8'))
  } catch (e) {
    throw new FatalError(
      `Invalid configuration:\n  TRUSTED_DOCUMENTS: cannot read ${path} as JSON (${(e as Error).message})`,
    )
  }
  const entries = isApolloManifest(raw)
    ? raw.operations.map((o) => [o.id, o.body] as const)
    : raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.entries(raw)
      : []
  const documents = new Map<string, string>()
  for (const [id, body] of entries)
    if (typeof id === 'string' && typeof body === 'string' && body.trim()) documents.set(id, body)
  if (!documents.size || documents.size !== entries.length) {
    throw new FatalError(
      `Invalid configuration:\n  TRUSTED_DOCUMENTS: ${path} must map each hash to a document's text ({ "<hash>": "query …" }) and list at least one`,
    )
  }
  return documents
}

function isApolloManifest(v: unknown): v is { operations: { id: unknown; body: unknown }[] } {
  const m = v as { format?: unknown; operations?: unknown } | null
  return !!m && m.format === 'apollo-persisted-query-manifest' && Array.isArray(m.operations)
}

/** The id a request names: `documentId` (GraphQL over HTTP; `sha256:` prefix optional), else the APQ extension. */
function documentIdOf(params: GraphQLParams & { documentId?: unknown }, request: Request): string | null {
  const given =
    params.documentId ?? (request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null)
  return typeof given === 'string' && given ? given : defaultExtractPersistedOperationId(params, request, {})
}

export interface TrustedDocuments {
  plugin: Plugin
  /** The params a graphql-ws subscribe message stands for (hash → text); throws the same errors as HTTP. */
  resolve<P extends { query?: string }>(params: P): Promise<P>
}

export function createTrustedDocuments(documents: Map<string, string>, opts: { only: boolean }): TrustedDocuments {
  const plugin = usePersistedOperations<Record<string, unknown>>({
    getPersistedOperation: (id) => documents.get(id) ?? documents.get(id.replace(/^sha256:/, '')) ?? null,
    allowArbitraryOperations: !opts.only,
    extractPersistedOperationId: documentIdOf,
    customErrors: {
      // Apollo's persisted-queries link recognises this message (and falls back to the text when allowed)
      notFound: {
        message: 'PersistedQueryNotFound',
        extensions: { code: TRUSTED_DOCUMENT_CODES.notFound, http: { status: 404 } },
      },
      persistedQueryOnly: {
        message: `Only trusted documents run here: ${HOW} of a document in the server's manifest, not the document's text`,
        extensions: { code: TRUSTED_DOCUMENT_CODES.onlyTrusted, http: { status: 400 } },
      },
      keyNotFound: {
        message: `Must provide a query, or the hash of a trusted document: ${HOW}`,
        extensions: { code: TRUSTED_DOCUMENT_CODES.idRequired, http: { status: 400 } },
      },
    },
  }) as Plugin
  const onParams = plugin.onParams!
  return {
    plugin,
    async resolve<P>(params: P) {
      let resolved: unknown = params
      const payload = {
        params,
        request: { method: 'WS', url: 'ws://localhost/' },
        context: {},
        setParams: (p: GraphQLParams) => {
          resolved = p
        },
      }
      try {
        await onParams(payload as unknown as OnParamsEventPayload<Record<string, unknown>>)
      } catch (e) {
        // the same error without its HTTP status, which means nothing on a socket
        if (e instanceof GraphQLError) throw new GraphQLError(e.message, { extensions: { code: e.extensions.code } })
        throw e
      }
      return resolved as P
    },
  }
}
