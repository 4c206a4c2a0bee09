// Findings of the security review about the HTTP surface: CORS reflected any origin with
// credentials, no security headers, no limit on mutations, and every expected client error logged
// at error level without the request id, burying the real ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { userWithRole } from '../../helpers/fixtures.js'
import { gql, graphql } from '../../helpers/graphql.js'

let t: TestApp
let strict: TestApp
const lines: Record<string, unknown>[] = []
beforeAll(async () => {
  t = await startTestApp(
    { CORS_ORIGINS: 'https://office.example.gov.cn', MUTATIONS_PER_MINUTE: '3', LOG_LEVEL: 'info' },
    { logLines: lines },
  )
  strict = await startTestApp({}, { databaseUrl: t.databaseUrl })
})
afterAll(async () => {
  await strict?.stop()
  await t?.stop()
})

const preflight = (app: TestApp, origin: string) =>
  fetch(app.url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  })

describe('CORS', () => {
  it('should allow no browser origin by default', async () => {
    const res = await preflight(strict, 'https://evil.example')
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    expect(res.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('should allow the listed origins only (CORS_ORIGINS)', async () => {
    const ok = await preflight(t, 'https://office.example.gov.cn')
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://office.example.gov.cn')
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true')
    const evil = await preflight(t, 'https://evil.example')
    expect(evil.headers.get('access-control-allow-origin')).not.toBe('https://evil.example')
  })
})

describe('security headers', () => {
  it('should send them on every answer', async () => {
    // a plain client's request, with no Accept header: the headers must not depend on negotiation
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    })
    expect(
      Object.fromEntries(
        ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy'].map((h) => [
          h,
          res.headers.get(h),
        ]),
      ),
    ).toEqual({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    })
  })
})

describe('mutation rate limit', () => {
  it("should refuse an account's calls beyond the limit with 429, leaving other accounts and queries alone", async () => {
    const [a, b] = await Promise.all([
      userWithRole(t.prisma, 'RESIDENT', { active: true }),
      userWithRole(t.prisma, 'ADMIN', { active: true }),
    ])
    const [tokenA, tokenB] = [await t.tokenFor(a.username), await t.tokenFor(b.username)]
    const MUTATION = graphql(
      `mutation { cancelActivitySignup(input: { id: "bm90OmEtaWQ=", version: 0 }) { __typename } }`,
    )
    for (let i = 0; i < 3; i++) expect((await gql(t.url, MUTATION, {}, { token: tokenA })).status).toBe(200)
    const limited = await gql(t.url, MUTATION, {}, { token: tokenA })
    expect(limited.status).toBe(429)
    expect(limited.errors?.[0]?.extensions?.code).toBe('common/rate-limited')
    expect((await gql(t.url, MUTATION, {}, { token: tokenB })).status).toBe(200)
    expect((await gql(t.url, graphql('{ me { id } }'), {}, { token: tokenA })).status).toBe(200)
  })
})

describe('logging', () => {
  it('should log an expected client error at info with its code and the request id, and nothing at error', async () => {
    const resident = await userWithRole(t.prisma, 'RESIDENT', { active: true })
    const res = await gql(
      t.url,
      graphql('{ users(first: 1) { totalCount } }'),
      {},
      { token: await t.tokenFor(resident.username), headers: { 'x-request-id': 'log-test-1' } },
    )
    expect(res.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
    const mine = lines.filter((l) => l.requestId === 'log-test-1')
    expect(mine).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 30, msg: 'client error', code: 'auth/forbidden' })]),
    )
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([])
  })

  it('should log each request with its operation and duration', async () => {
    await gql(t.url, graphql('query Dashboard { me { id } }'), {}, { headers: { 'x-request-id': 'log-test-2' } })
    await gql(t.url, graphql('{ me { id } }'), {}, { headers: { 'x-request-id': 'log-test-3' } })
    const line = (id: string) => lines.find((l) => l.requestId === id && l.msg === 'request')
    expect(line('log-test-2')).toMatchObject({ operation: 'Dashboard', status: 200, durationMs: expect.any(Number) })
    expect(line('log-test-3')).toMatchObject({ operation: 'query me' })
  })
})
