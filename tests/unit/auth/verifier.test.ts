// The token verifier keeps verified tokens for a minute; it must never keep one past its expiry,
// nor accept a token that differs from the verified one in any character.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createVerifier, signToken } from '../../../src/auth/jwt.js'

const secret = 'unit-secret-0123456789-abcdefghijklmnop'
const settings = { secret, issuer: 'gongzhi', audience: 'gongzhi-api' }
const claims = { sub: '01a24d70-c345-742d-b94f-b34249841134', roles: ['RESIDENT'], regions: [], grids: [] }

afterEach(() => {
  vi.useRealTimers()
})

describe('token verifier', () => {
  it('should refuse a cached token once it has expired', async () => {
    const verifier = await createVerifier(settings)
    const token = await signToken(secret, claims as never, {
      issuer: settings.issuer,
      audience: settings.audience,
      expiresIn: '30s',
    })
    expect((await verifier.verify(token)).userId).toBe(claims.sub)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 31_000)
    await expect(verifier.verify(token)).rejects.toThrow(/Invalid token/)
  })

  it('should verify again after a minute, and refuse a token with a changed signature', async () => {
    const verifier = await createVerifier(settings)
    const token = await signToken(secret, claims as never, {
      issuer: settings.issuer,
      audience: settings.audience,
      expiresIn: '1h',
    })
    const viewer = await verifier.verify(token)
    expect(await verifier.verify(token)).toBe(viewer) // kept
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'AB' : 'AA')
    await expect(verifier.verify(forged)).rejects.toThrow(/Invalid token/)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61_000)
    const again = await verifier.verify(token)
    expect(again).not.toBe(viewer) // verified anew
    expect(again.userId).toBe(claims.sub)
  })
})
