// GET /exports/<name>.csv|xlsx — the GraphQL lists as files, for the people who work in
// spreadsheets (README "Exports"). A yoga plugin, so the answers carry the same request id,
// security headers and request log line as the API's. The same bearer token as GraphQL, the same
// context (the viewer's reader: read policies; personal data masked as the fields mask it). Errors
// are JSON like the API's: 401 without a valid token, 403 for a role the export is not for, 400
// for bad filters, 429 past the exports one account may run at once; a report's own refusals (a
// region out of the viewer's reach) as its GraphQL field's, 403 or 404. Every export by a signed-in
// account is audited (AuditEntry: operation `GET /exports/cases.csv`, the filter names, the outcome);
// its log line adds the row count, the duration and the rate.
import type { ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { Plugin } from 'graphql-yoga'
import type { Context } from '../../context.js'
import { AuthError } from '../../auth/jwt.js'
import { scopesFor } from '../../auth/scopes.js'
import type { Viewer } from '../../auth/viewer.js'
import { isTransientDbError, UNAVAILABLE } from '../../db/transient.js'
import { BaseError, ValidationFailedError } from '../../shared/errors.js'
import { parseInput } from '../../shared/validate.js'
import { EXPORTS } from './catalogue.js'
import { auditExport, elapsedMs, startExport } from './export.service.js'
import { CONTENT_TYPES, shanghaiTime, type Format } from './formats.js'
import { queryObject } from './params.js'

/** Exports one account may run at the same time. */
export const MAX_EXPORTS_PER_ACCOUNT = 2

const PATH = /^\/exports\/([a-z][a-z-]*)\.(csv|xlsx)$/

/** The statuses of the expected failures an export may meet before its file starts. */
const REFUSALS: Record<string, number> = {
  'common/validation-failed': 400,
  'auth/forbidden': 403,
  'common/not-found': 404,
}

export interface ExportRoutesDeps {
  /** The viewer of an Authorization header: null without one; throws AuthError for a bad token. */
  viewerFrom(header: string | null): Promise<Viewer | null>
  /** The request's context for the viewer, built as GraphQL's (its reader, access scope and logger). */
  contextFor(viewer: Viewer | null, request: Request): Context
}

/** `attachment` with an ASCII name and the Chinese one (RFC 6266, RFC 5987 `filename*`). */
export function contentDisposition(ascii: string, unicode: string): string {
  const encoded = encodeURIComponent(unicode).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`
}

export function useExports(deps: ExportRoutesDeps): Plugin {
  const running = new Map<string, number>()

  return {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (!url.pathname.startsWith('/exports/')) return
      const started = performance.now()
      const json = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
        new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
          status,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
        })
      const unavailable = () =>
        json(503, UNAVAILABLE.code, UNAVAILABLE.message, { 'retry-after': String(UNAVAILABLE.retryAfterSeconds) })

      if (request.method !== 'GET')
        return endResponse(json(405, 'export/method-not-allowed', 'Exports are read with GET', { allow: 'GET' }))
      let viewer: Viewer | null
      try {
        viewer = await deps.viewerFrom(request.headers.get('authorization'))
      } catch (e) {
        if (e instanceof AuthError)
          return endResponse(json(e.status, 'auth/unauthenticated', e.message, { 'www-authenticate': 'Bearer' }))
        if (isTransientDbError(e)) return endResponse(unavailable())
        throw e
      }
      if (!viewer)
        return endResponse(
          json(401, 'auth/unauthenticated', "Sign in first: send the API's bearer token", {
            'www-authenticate': 'Bearer',
          }),
        )

      const match = PATH.exec(url.pathname)
      const def = match && EXPORTS.get(match[1]!)
      if (!match || !def)
        return endResponse(
          json(404, 'common/not-found', `No such export: ${url.pathname.slice(0, 100)}; see the README for the list`),
        )
      const format = match[2] as Format
      const ctx = deps.contextFor(viewer, request)
      const given = [...new Set(url.searchParams.keys())].map((k) => k.slice(0, 40))
      const refuse = (response: Response, outcome: string) => {
        void auditExport(ctx, { path: url.pathname, params: given, outcome }, started)
        return endResponse(response)
      }

      const scopes = scopesFor(viewer)
      if (!def.scopes.some((s) => scopes[s])) {
        return refuse(json(403, 'auth/forbidden', `Your role may not export ${def.name}`), 'auth/forbidden')
      }
      let params: unknown
      try {
        params = parseInput(def.params, queryObject(url.searchParams, def.lists))
      } catch (e) {
        if (e instanceof ValidationFailedError) return refuse(json(400, e.code, e.message), e.code)
        throw e
      }
      const mine = running.get(viewer.userId) ?? 0
      if (mine >= MAX_EXPORTS_PER_ACCOUNT) {
        return refuse(
          json(
            429,
            'export/too-many-exports',
            `At most ${MAX_EXPORTS_PER_ACCOUNT} exports at a time; wait for one to finish`,
            { 'retry-after': '10' },
          ),
          'export/too-many-exports',
        )
      }

      running.set(viewer.userId, mine + 1)
      const release = () => {
        const n = (running.get(viewer.userId) ?? 1) - 1
        if (n > 0) running.set(viewer.userId, n)
        else running.delete(viewer.userId)
      }
      let run: Awaited<ReturnType<typeof startExport>>
      try {
        run = await startExport(ctx, def, params, format, request.signal)
      } catch (e) {
        release()
        // a report's own refusals, as its GraphQL field gives them (a region out of reach, no region)
        if (e instanceof BaseError && e.code in REFUSALS)
          return refuse(json(REFUSALS[e.code]!, e.code, e.message), e.code)
        if (isTransientDbError(e)) return refuse(unavailable(), UNAVAILABLE.code)
        throw e
      }
      const res = (serverContext as { res?: ServerResponse } | undefined)?.res
      const finished = (outcome: string, rows?: number) => {
        release()
        const durationMs = elapsedMs(started)
        const line = {
          export: def.name,
          format,
          rows,
          durationMs,
          rowsPerSecond: rows === undefined ? undefined : Math.round((rows / Math.max(durationMs, 1)) * 1000),
          outcome,
        }
        if (outcome === 'OK' || outcome === 'ABORTED') ctx.log.info(line, 'export')
        void auditExport(ctx, { path: url.pathname, params: given, outcome }, started)
        return line
      }
      run.done.then(
        (rows) => finished('OK', rows),
        (e: unknown) => {
          if (request.signal.aborted) return finished('ABORTED')
          // the status line is long gone: the client must not take a cut file for a whole one
          res?.destroy()
          run.output.destroy()
          const outcome = isTransientDbError(e) ? 'common/unavailable' : 'common/internal'
          ctx.log.error({ ...finished(outcome), err: e }, 'export failed')
        },
      )
      // a client gone mid-file: stop reading the database and free the stream
      request.signal.addEventListener('abort', () => run.output.destroy(), { once: true })

      const stamp = shanghaiTime(new Date()).replace(/[-:]/g, '').replace(' ', '-')
      return endResponse(
        new fetchAPI.Response(run.output as unknown as BodyInit, {
          status: 200,
          headers: {
            'content-type': CONTENT_TYPES[format],
            'content-disposition': contentDisposition(
              `${def.name}-${stamp}.${format}`,
              `${def.title}-${stamp}.${format}`,
            ),
            'cache-control': 'no-store',
          },
        }),
      )
    },
  }
}
