import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { buildApp } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'
import { createPrisma } from '../../../src/db.js'
import { createLogger } from '../../../src/logger.js'
import { createAppPubSub } from '../../../src/pubsub.js'
import { createVerifier } from '../../../src/auth/jwt.js'
import { startTestApp, TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET, type TestApp } from '../../helpers/app.js'
import { userWithRole } from '../../helpers/fixtures.js'
import {
  collect,
  deferred,
  gql,
  graphql,
  source,
  wsClient,
  type Closed,
  type GqlResponse,
} from '../../helpers/graphql.js'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await startTestApp()
  token = await t.tokenFor((await userWithRole(t.prisma, 'ADMIN')).username)
})
afterAll(async () => {
  await t?.stop()
})

const nested = (depth: number) => {
  let q = 'id'
  for (let i = 0; i < depth; i++) q = i % 2 ? `parent { ${q} }` : `parent { id ${q} }`
  return `{ regions(first: 1) { edges { node { ${q} } } } }`
}

describe('query limits', () => {
  it('should reject a query of depth 20 with a clear error', async () => {
    const res = await gql(t.url, nested(20), {}, { token })
    expect(res.errors?.[0]?.message).toMatch(/depth/i)
    expect(res.data).toBeUndefined()
  })

  it('should accept an ordinary Relay query of moderate depth', async () => {
    const res = await gql(
      t.url,
      graphql(
        `{ grids(first: 2) { edges { node { community { parent { name } } buildings(first: 2) { edges { node { compound { name } } } } } } } }`,
      ),
      {},
      { token },
    )
    expect(res.errors).toBeUndefined()
  })

  it('should reject 1,000 aliases with a clear error', async () => {
    const fields = Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')
    const res = await gql(t.url, `{ ${fields} }`, {}, { token })
    expect(res.errors?.[0]?.message).toMatch(/aliases|token/i)
    expect(res.data).toBeUndefined()
  })

  it('should reject a costly query, its page sizes in variables or in the text, before it reads a row', async () => {
    const q = `query($n: Int!) { grids(first: $n) { edges { node { buildings(first: $n) { edges { node { grid { buildings(first: $n) { edges { node { id } } } } } } } } } } }`
    const res = await gql(t.url, q, { n: 100 }, { token })
    expect(res.errors?.[0]?.extensions?.code).toBe('common/query-cost')
    expect(res.errors?.[0]?.message).toMatch(/cost/i)
    expect(res.data).toBeUndefined()
    const literal = await gql(t.url, q.replace('query($n: Int!) ', '').replaceAll('$n', '100'), {}, { token })
    expect(literal.errors?.[0]?.extensions?.code).toBe('common/query-cost')
    // the same shape with small pages is a normal query
    const small = await gql(t.url, q, { n: 3 }, { token })
    expect(small.errors).toBeUndefined()
  })

  it('should refuse a body above the size limit with 413', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(t.config.MAX_BODY_BYTES) }),
    })
    expect(res.status).toBe(413)
  })

  it("should return only the failing operation's error over WebSocket, keeping the socket open", async () => {
    const ws = wsClient(t.wsUrl, token)
    const deep = collect(ws, nested(20))
    const [first] = await deep.next(1)
    expect(JSON.stringify(first!.errors)).toMatch(/depth/i)
    const ok = collect(ws, graphql(`{ me { roles } }`))
    const [second] = await ok.next(1)
    expect(second!.data).toEqual({ me: { roles: ['ADMIN'] } })
    await ws.dispose()
  })
})

describe('CSRF prevention', () => {
  it('should refuse a urlencoded form POST and a GET without the preflight header', async () => {
    const form = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    })
    expect([400, 403, 415]).toContain(form.status)
    const get = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`)
    expect(get.status).toBe(403)
    const allowed = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'x-graphql-yoga-csrf': '1' },
    })
    expect(allowed.status).toBe(200)
  })
})

describe('error masking', () => {
  /** An app on a database that fails as `databaseUrl` makes it fail; `fn` gets its URL. */
  async function appOn(databaseUrl: string, fn: (url: string) => Promise<void>) {
    const config = loadConfig({
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    })
    const prisma = createPrisma(config.DATABASE_URL!)
    const app = buildApp({
      config,
      prisma,
      pubsub: createAppPubSub(),
      log: createLogger('silent'),
      verifier: await createVerifier({ secret: TEST_SECRET, issuer: TEST_ISSUER, audience: TEST_AUDIENCE }),
      isReady: async () => false,
    })
    const { url } = await app.start(0, '127.0.0.1')
    try {
      await fn(url)
    } finally {
      await app.stop()
      await prisma.$disconnect()
    }
  }
  const GRIDS = graphql('{ grids(first: 1) { edges { node { id } } } }')
  /** The answer as a plain client gets it: its whole body as text is what must not leak. */
  const post = async (url: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: source(GRIDS) }),
    })
    const body = await res.text()
    return { status: res.status, headers: res.headers, body, errors: (JSON.parse(body) as GqlResponse).errors }
  }

  it('should mask an unexpected internal error and leak nothing about it', async () => {
    // a wrong password is not an outage: nothing to retry, nothing to reveal
    const wrong = new URL(inject('pgTemplateUrl'))
    wrong.password = 'not-the-password'
    await appOn(wrong.toString(), async (url) => {
      const res = await post(url)
      expect(res.errors?.[0]?.message).toBe('Unexpected error.')
      expect(res.headers.get('retry-after')).toBeNull()
      expect(res.body).not.toMatch(/password|authentication|127\.0\.0\.1|postgres|stack/i)
    })
  })

  it('should answer a database outage with 503, Retry-After and the retryable common/unavailable, leaking nothing', async () => {
    await appOn('postgresql://nobody:secret@127.0.0.1:1/none', async (url) => {
      const res = await post(url)
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('5')
      expect(res.errors?.[0]).toMatchObject({
        message: 'The database is unavailable; retry shortly',
        extensions: { code: 'common/unavailable', retryAfterSeconds: 5 },
      })
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|nobody|secret|stack|http/i)
      const ready = await fetch(url.replace('/graphql', '/readyz'))
      expect(ready.status).toBe(503)
    })
  })
})

describe('introspection', () => {
  it('should be on in development and off in production unless enabled', async () => {
    const q = graphql(`{ __schema { queryType { name } } }`)
    expect((await gql(t.url, q, {}, { token })).data).toEqual({ __schema: { queryType: { name: 'Query' } } })
    const prod = await startTestApp({ NODE_ENV: 'production' })
    try {
      const res = await gql(prod.url, q, {}, { token })
      expect(res.errors?.[0]?.message).toMatch(/introspection/i)
    } finally {
      await prod.stop()
    }
  })
})

describe('request ids', () => {
  it("should answer with the caller's x-request-id, or a new one", async () => {
    const TYPENAME = graphql('{ __typename }')
    const given = await gql(t.url, TYPENAME, {}, { headers: { 'x-request-id': 'trace-abc.123' } })
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123')
    const fresh = await gql(t.url, TYPENAME, {}, { headers: { 'x-request-id': 'bad id with spaces' } })
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('health', () => {
  it('should answer /healthz and /readyz', async () => {
    expect((await fetch(`${t.origin}/healthz`)).status).toBe(200)
    const ready = await fetch(`${t.origin}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready' })
  })
})

describe('graceful shutdown', () => {
  it('should close WebSockets with 1001 and refuse new connections once stopped', async () => {
    const app = await startTestApp()
    const closed = deferred<Closed>()
    const ws = wsClient(app.wsUrl, await app.tokenFor((await userWithRole(app.prisma, 'ADMIN')).username), {
      onClosed: (c) => closed.resolve(c),
    })
    const grid = await app.prisma.grid.findFirstOrThrow()
    const sub = collect(ws, graphql(`subscription($id: ID!) { gridUpdated(id: $id) { name } }`), {
      id: Buffer.from(`Grid:${grid.id}`).toString('base64'),
    })
    await app.pubsub.whenSubscribed('grid:updated', grid.id)
    await app.stop()
    expect((await closed.promise).code).toBe(1001)
    sub.dispose()
    await expect(fetch(`${app.origin}/healthz`)).rejects.toThrow()
  })
})
