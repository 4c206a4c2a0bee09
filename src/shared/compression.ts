// Gzip for whole answers (JSON, the GraphiQL page, /metrics) when the client accepts it. Only
// answers of known length, from MIN_BYTES up: a stream (SSE, multipart) has no length — a compressor
// would hold its events back until its buffer filled — and a smaller answer would barely shrink.
// Not @whatwg-node/server's useContentEncoding: it takes the client's first listed encoding whatever
// its q-value, answers brotli at quality 11 (14 s of CPU for the 9 MB GraphiQL page, measured here),
// compresses event streams, and inflates compressed request bodies past MAX_BODY_BYTES.
import type { Plugin } from 'graphql-yoga'

const MIN_BYTES = 1024

/** Whether an Accept-Encoding header admits gzip: by name or as `*`, with a q-value above 0. */
export function acceptsGzip(header: string | null): boolean {
  let gzip: number | undefined
  let any: number | undefined
  for (const part of (header ?? '').split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    const q = params.find((p) => p.startsWith('q='))
    const weight = q === undefined ? 1 : Number(q.slice(2))
    if (coding === 'gzip' || coding === 'x-gzip') gzip = weight
    else if (coding === '*') any = weight
  }
  return (gzip ?? any ?? 0) > 0
}

export function useCompression(): Plugin {
  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (
        !(Number(response.headers.get('content-length')) >= MIN_BYTES) ||
        response.headers.has('content-encoding') ||
        !response.body
      )
        return
      response.headers.append('vary', 'accept-encoding')
      if (!acceptsGzip(request.headers.get('accept-encoding'))) return
      const headers = new fetchAPI.Headers(response.headers)
      headers.set('content-encoding', 'gzip')
      headers.delete('content-length')
      const body = response.body.pipeThrough(new fetchAPI.CompressionStream('gzip'))
      setResponse(new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }))
    },
  }
}
