// Bearer tokens, verified with jose: HS256 secret, RS256/ES256 public key, or a JWKS URL.
// Algorithms are allow-listed; exp, iss, aud and sub are required.
import { createRemoteJWKSet, importSPKI, jwtVerify, SignJWT, type JWTVerifyGetKey, type KeyObject } from 'jose'
import { createPublicKey } from 'node:crypto'
import { z } from 'zod'
import { Role, type Viewer } from './viewer.js'

export const claimsSchema = z.object({
  sub: z.uuid(),
  roles: z.array(z.enum(Role)).min(1),
  regions: z.array(z.uuid()).default([]),
  grids: z.array(z.uuid()).default([]),
  department: z.uuid().nullish(),
  unit: z.uuid().nullish(),
})
export type TokenClaims = z.input<typeof claimsSchema>

export class AuthError extends Error {
  constructor(message: string, readonly status: 401 | 403 = 401) { super(message) }
}

export interface JwtSettings {
  secret?: string
  publicKey?: string
  jwksUrl?: string
  algorithms?: string[]
  issuer: string
  audience: string
}

export interface TokenVerifier { verify(token: string): Promise<Viewer> }

export async function createVerifier(s: JwtSettings): Promise<TokenVerifier> {
  let key: Uint8Array | KeyObject | CryptoKey | JWTVerifyGetKey
  let algorithms: string[]
  if (s.secret) {
    key = new TextEncoder().encode(s.secret)
    algorithms = s.algorithms ?? ['HS256']
  } else if (s.publicKey) {
    algorithms = s.algorithms ?? [createPublicKey(s.publicKey).asymmetricKeyType === 'ec' ? 'ES256' : 'RS256']
    key = await importSPKI(s.publicKey, algorithms[0]!)
  } else if (s.jwksUrl) {
    key = createRemoteJWKSet(new URL(s.jwksUrl))
    algorithms = s.algorithms ?? ['RS256', 'ES256']
  } else {
    throw new Error('no JWT key configured')
  }
  // A client sends the same token with every request: its verified viewer is kept for a minute
  // (never past the token's expiry), so a request does not pay for WebCrypto each time. The key
  // is the whole token, signature included: only the very token that was verified matches.
  const verified = new Map<string, { viewer: Viewer; until: number }>()
  return {
    async verify(token) {
      const hit = verified.get(token)
      if (hit && hit.until > Date.now()) return hit.viewer
      if (hit) verified.delete(token)
      const { viewer, exp } = await verifyOnce(token)
      if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!)
      verified.set(token, { viewer, until: Math.min(Date.now() + 60_000, exp * 1000) })
      return viewer
    },
  }

  async function verifyOnce(token: string): Promise<{ viewer: Viewer; exp: number }> {
    let payload: unknown
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms, issuer: s.issuer, audience: s.audience, requiredClaims: ['exp', 'sub'],
      }))
    } catch (e) {
      throw new AuthError(`Invalid token: ${(e as { code?: string }).code ?? 'ERR_JWT_INVALID'}`)
    }
    const claims = claimsSchema.safeParse(payload)
    if (!claims.success) throw new AuthError('Invalid token: claims do not match the expected shape')
    const c = claims.data
    const viewer: Viewer = {
      userId: c.sub, roles: new Set(c.roles), regionIds: c.regions, gridIds: c.grids,
      departmentId: c.department ?? null, unitId: c.unit ?? null, expiresAt: (payload as { exp: number }).exp * 1000,
    }
    return { viewer, exp: (payload as { exp: number }).exp }
  }
}

/** Verified tokens kept (see createVerifier). */
const VERIFIED_TOKENS = 1000

/** Signs an HS256 token (embedded mode, tests and scripts/token.ts). */
export function signToken(secret: string, claims: TokenClaims, opts: { issuer: string; audience: string; expiresIn?: string | number }) {
  const { sub, ...rest } = claims
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(secret))
}

export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null
  const m = /^Bearer\s+(\S+)$/i.exec(header)
  return m ? m[1]! : null
}
