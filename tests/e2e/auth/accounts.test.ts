// Tokens identify; the database authorises (DESIGN §5). Each case below was a finding of the
// security review: the server trusted claims it could not revoke.
import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET, type TestApp } from '../../helpers/app.js'
import { userWithRole } from '../../helpers/fixtures.js'
import { type Closed, deferred, gql, graphql, source, wsClient } from '../../helpers/graphql.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t?.stop()
})

const ME = graphql(`{ me { id roles } }`)
const secret = new TextEncoder().encode(TEST_SECRET)
const now = () => Math.floor(Date.now() / 1000)

/** A token signed with the right key, with these claims and times. */
function token(claims: Record<string, unknown>, sub: string, times: { iat?: number; exp?: number } = {}) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
  return jwt
    .setIssuedAt(times.iat ?? now())
    .setExpirationTime(times.exp ?? now() + 3600)
    .sign(secret)
}

/** A new account of its own, so that changing it does not disturb other tests. */
async function account(roles: ('RESIDENT' | 'DEPARTMENT_STAFF' | 'STREET_OFFICER')[] = ['RESIDENT']) {
  const id = randomUUID()
  await t.prisma.user.create({ data: { id, username: `acct-${id}`, displayName: '测试', roles } })
  return id
}

/** Opens a socket and runs `me`: resolves with the result, or the close event. */
async function overSocket(jwt: string) {
  const closed = deferred<Closed>()
  const client = wsClient(t.wsUrl, jwt, { onClosed: (c) => closed.resolve(c), lazy: false })
  const result = deferred<unknown>()
  client.subscribe(
    { query: source(ME) },
    { next: (v) => result.resolve(v), error: (e) => result.reject(e), complete: () => {} },
  )
  return { client, closed: closed.promise, result: result.promise }
}

describe('the account behind a token', () => {
  it('should refuse a deactivated account over HTTP (401) and WebSocket (4403)', async () => {
    const id = await account()
    const jwt = await token({}, id)
    expect((await gql(t.url, ME, {}, { token: jwt })).data?.me?.id).toBeTruthy()
    await t.prisma.user.update({ where: { id }, data: { active: false } })
    t.app.accounts.changed(id)
    const res = await gql(t.url, ME, {}, { token: jwt })
    expect(res.status).toBe(401)
    expect(res.errors?.[0]).toMatchObject({
      message: 'Account deactivated',
      extensions: { code: 'auth/unauthenticated' },
    })
    const ws = await overSocket(jwt)
    ws.result.catch(() => {})
    expect(await ws.closed).toMatchObject({ code: 4403 })
  })

  it('should refuse a token for an account that does not exist', async () => {
    const jwt = await token({ roles: ['ADMIN'] }, randomUUID())
    const res = await gql(t.url, ME, {}, { token: jwt })
    expect(res.status).toBe(401)
    expect(res.errors?.[0]?.message).toBe('Unknown account')
    const ws = await overSocket(jwt)
    ws.result.catch(() => {})
    expect(await ws.closed).toMatchObject({ code: 4403 })
  })

  it('should never widen: a resident claiming ADMIN is refused, and claiming both stays a resident', async () => {
    const resident = await userWithRole(t.prisma, 'RESIDENT', { active: true })
    const forged = await gql(t.url, ME, {}, { token: await token({ roles: ['ADMIN'] }, resident.id) })
    expect(forged.status).toBe(401)
    expect(forged.errors?.[0]?.message).toMatch(/no role this account holds/)
    const both = await token({ roles: ['ADMIN', 'RESIDENT'] }, resident.id)
    expect((await gql(t.url, ME, {}, { token: both })).data?.me?.roles).toEqual(['RESIDENT'])
    const phones = await gql(t.url, graphql(`{ users(first: 5) { edges { node { phone } } } }`), {}, { token: both })
    expect(phones.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
  })

  it("should narrow: a token limited to one of the account's roles acts with that role only", async () => {
    const id = await account(['RESIDENT', 'STREET_OFFICER'])
    const OFFICERS_ONLY = graphql(`{ users(first: 1) { edges { node { id } } } }`)
    expect((await gql(t.url, OFFICERS_ONLY, {}, { token: await token({}, id) })).data?.users).toBeTruthy()
    const limited = await gql(t.url, OFFICERS_ONLY, {}, { token: await token({ roles: ['RESIDENT'] }, id) })
    expect(limited.data?.users ?? null).toBeNull()
    expect(limited.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
  })

  it("should apply a role change to the next request, and close the account's open sockets", async () => {
    const id = await account(['RESIDENT'])
    const jwt = await token({}, id)
    const ws = await overSocket(jwt)
    expect(await ws.result).toEqual({ data: { me: { id: expect.any(String), roles: ['RESIDENT'] } } })
    await t.prisma.user.update({ where: { id }, data: { roles: ['RESIDENT', 'STREET_OFFICER'] } })
    t.app.accounts.changed(id)
    expect(await ws.closed).toMatchObject({ code: 4403, reason: 'Account changed; reconnect' })
    expect((await gql(t.url, ME, {}, { token: jwt })).data?.me?.roles.sort()).toEqual(['RESIDENT', 'STREET_OFFICER'])
  })

  it('should see a change made behind its back (no notification) once the cache entry expires', async () => {
    const fresh = await startTestApp({ ACCOUNT_CACHE_MS: '0' }, { databaseUrl: t.databaseUrl })
    try {
      const id = await account()
      const jwt = await token({}, id)
      expect((await gql(fresh.url, ME, {}, { token: jwt })).status).toBe(200)
      await fresh.prisma.user.update({ where: { id }, data: { active: false } })
      expect((await gql(fresh.url, ME, {}, { token: jwt })).status).toBe(401)
    } finally {
      await fresh.stop()
    }
  })
})

describe('an SSE subscription behind a token', () => {
  const WISHES = graphql(`subscription { microWishUpdated { id } }`)

  /** Opens a subscription over SSE: `events` resolves with every event once the server ends the stream. */
  async function overSse(jwt: string) {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        'x-graphql-yoga-csrf': '1',
        authorization: `Bearer ${jwt}`,
      },
      body: JSON.stringify({ query: source(WISHES) }),
    })
    expect(res.status).toBe(200)
    const events = res
      .text()
      .then((text) =>
        [...text.matchAll(/^data: (\{.*\})$/gm)].map(
          (m) => JSON.parse(m[1]!) as { errors?: { message: string; extensions?: { code?: string } }[] },
        ),
      )
    return { events }
  }

  it.each([
    {
      change: 'a deactivation',
      apply: (id: string) => t.prisma.user.update({ where: { id }, data: { active: false } }),
      reason: 'Account deactivated',
    },
    {
      change: 'a role change',
      apply: (id: string) => t.prisma.user.update({ where: { id }, data: { roles: ['RESIDENT', 'STREET_OFFICER'] } }),
      reason: 'Account changed; reconnect',
    },
  ])('should end an open SSE subscription on $change, as a socket closes with 4403', async ({ apply, reason }) => {
    const id = await account(['RESIDENT'])
    const { events } = await overSse(await token({}, id))
    let ended = false
    void events.finally(() => {
      ended = true
    })
    await apply(id)
    t.app.accounts.changed(id)
    // the stream is watched from its first read: check until it has ended
    await expect
      .poll(async () => {
        await t.app.jobs.checkSessions()
        return ended
      })
      .toBe(true)
    expect(await events).toEqual([{ errors: [{ message: reason, extensions: { code: 'auth/session-ended' } }] }])
  })
})

describe('token lifetime', () => {
  const cases: [string, { iat?: number; exp?: number }][] = [
    ['an expiry 100 years away', { exp: now() + 100 * 365 * 86400 }],
    ['an issue time in the future', { iat: now() + 3600, exp: now() + 7200 }],
    ['an issue time older than the maximum age', { iat: now() - 2 * 86400, exp: now() + 3600 }],
  ]
  for (const [name, times] of cases) {
    it(`should refuse a token with ${name}`, async () => {
      const admin = await userWithRole(t.prisma, 'ADMIN')
      const res = await gql(t.url, ME, {}, { token: await token({}, admin.id, times) })
      expect(res.status).toBe(401)
      expect(res.errors?.[0]?.extensions?.code).toBe('auth/unauthenticated')
    })
  }

  it('should refuse a token without an issue time', async () => {
    const admin = await userWithRole(t.prisma, 'ADMIN')
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(admin.id)
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('1h')
      .sign(secret)
    expect((await gql(t.url, ME, {}, { token: jwt })).status).toBe(401)
  })
})
