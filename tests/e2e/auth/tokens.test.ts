import { generateKeyPair, SignJWT, exportSPKI } from 'jose'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import { TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET, type TestApp } from '../../helpers/app.js'
import { createVerifier } from '../../../src/auth/jwt.js'
import { userWithRole } from '../../helpers/fixtures.js'
import { type Closed, deferred, gql, graphql, source, wsClient } from '../../helpers/graphql.js'

let t: TestApp
let userId: string
it.beforeAll(async ({ app }) => {
  t = app
  userId = (await userWithRole(t.prisma, 'ADMIN')).id
})

const ME = graphql(`{ me { displayName roles } }`)
const secret = new TextEncoder().encode(TEST_SECRET)
const base = () => new SignJWT({ roles: ['ADMIN'] }).setSubject(userId).setIssuedAt()

const tokens = {
  async valid() {
    return base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1h')
      .sign(secret)
  },
  async expired() {
    return base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret)
  },
  async wrongAudience() {
    return base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(TEST_ISSUER)
      .setAudience('someone-else')
      .setExpirationTime('1h')
      .sign(secret)
  },
  async wrongIssuer() {
    return base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('evil')
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1h')
      .sign(secret)
  },
  async wrongAlg() {
    return base()
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1h')
      .sign(secret)
  },
  async noExp() {
    return base().setProtectedHeader({ alg: 'HS256' }).setIssuer(TEST_ISSUER).setAudience(TEST_AUDIENCE).sign(secret)
  },
  async wrongKey() {
    return base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-0123456789-abcdefghij'))
  },
  async unsigned() {
    const [h, p] = (await tokens.valid()).split('.')
    void h
    return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`
  },
}

describe('bearer tokens over HTTP', () => {
  it('should accept a valid token and build the viewer from its claims', async () => {
    const res = await gql(t.url, ME, {}, { token: await tokens.valid() })
    expect(res.status).toBe(200)
    expect(res.data?.me?.roles).toEqual(['ADMIN'])
  })

  it('should answer anonymous requests with me = null', async () => {
    const res = await gql(t.url, ME)
    expect(res.data?.me).toBeNull()
  })

  for (const kind of [
    'expired',
    'wrongAudience',
    'wrongIssuer',
    'wrongAlg',
    'noExp',
    'wrongKey',
    'unsigned',
  ] as const) {
    it(`should reject a ${kind} token with 401`, async () => {
      const res = await gql(t.url, ME, {}, { token: await tokens[kind]() })
      expect(res.status).toBe(401)
      expect(res.errors?.[0]?.extensions?.code).toBe('auth/unauthenticated')
      expect(res.data?.me).toBeUndefined()
    })
  }

  it('should reject a malformed authorization header', async () => {
    const res = await gql(t.url, ME, {}, { headers: { authorization: 'Basic abc' } })
    expect(res.status).toBe(401)
  })
})

describe('bearer tokens over WebSocket', () => {
  const connect = async (token: string | null) => {
    const closed = deferred<Closed>()
    const ws = wsClient(t.wsUrl, token, { onClosed: (c) => closed.resolve(c) })
    const result = deferred<unknown>()
    ws.subscribe(
      { query: source(ME) },
      { next: (v) => result.resolve(v), error: (e) => result.reject(e), complete: () => {} },
    )
    return { ws, closed: closed.promise, result: result.promise }
  }

  it('should accept a valid token in connection_init', async () => {
    const { ws, result } = await connect(await tokens.valid())
    expect(await result).toEqual({ data: { me: { displayName: expect.any(String), roles: ['ADMIN'] } } })
    await ws.dispose()
  })

  for (const kind of ['expired', 'wrongAudience', 'wrongAlg'] as const) {
    it(`should close the socket with 4403 for a ${kind} token`, async () => {
      const { closed, result } = await connect(await tokens[kind]())
      result.catch(() => {})
      expect((await closed).code).toBe(4403)
    })
  }
})

describe('public-key tokens', () => {
  it('should verify ES256 tokens against a configured public key and refuse HS256 ones', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256')
    const verifier = await createVerifier({
      publicKey: await exportSPKI(publicKey),
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    })
    const good = await base()
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey)
    expect((await verifier.verify(good)).userId).toBe(userId)
    await expect(verifier.verify(await tokens.valid())).rejects.toThrow(/Invalid token/)
  })
})
