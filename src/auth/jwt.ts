// Bearer tokens, verified with jose: HS256 secret, RS256/ES256 public key, or a JWKS URL.
// Algorithms are allow-listed; exp, iat, iss, aud and sub are required, and a token may live at most
// `maxTokenAgeSeconds`. A token only identifies its bearer: what the bearer may do comes from the
// database (accounts.ts), which the claims below can narrow but never widen.
import { createRemoteJWKSet, importSPKI, jwtVerify, SignJWT, type JWTVerifyGetKey, type KeyObject } from 'jose'
import { createPublicKey } from 'node:crypto'
import { z } from 'zod'
import { Role } from './viewer.js'

/** Claims we read; every one but `sub` is optional and, when present, narrows the account's grants. */
export const claimsSchema = z.object({
  sub: z.uuid(),
  roles: z.array(z.enum(Role)).min(1).optional(),
  regions: z.array(z.uuid()).optional(),
  grids: z.array(z.uuid()).optional(),
  department: z.uuid().nullish(),
  unit: z.uuid().nullish(),
})
export type TokenClaims = z.input<typeof claimsSchema>

/** A verified token: who it names, what it claims, and when it stops being valid (ms since the epoch). */
export interface VerifiedToken {
  userId: string
  claims: Omit<z.output<typeof claimsSchema>, 'sub'>
  expiresAt: number
}

export class AuthError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 403 = 401,
  ) {
    super(message)
  }
}

export interface JwtSettings {
  secret?: string
  publicKey?: string
  jwksUrl?: string
  algorithms?: string[]
  issuer: string
  audience: string
  /** The longest a token may live (from `iat`) and be used; default one day. */
  maxTokenAgeSeconds?: number
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>
}

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
  const maxAge = s.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS
  // A client sends the same token with every request: its verification is kept for a minute
  // (never past the token's expiry), so a request does not pay for WebCrypto each time. The key
  // is the whole token, signature included: only the very token that was verified matches.
  const verified = new Map<string, { token: VerifiedToken; until: number }>()
  return {
    async verify(token) {
      const hit = verified.get(token)
      if (hit && hit.until > Date.now()) return hit.token
      if (hit) verified.delete(token)
      const result = await verifyOnce(token)
      if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!)
      verified.set(token, { token: result, until: Math.min(Date.now() + 60_000, result.expiresAt) })
      return result
    },
  }

  async function verifyOnce(token: string): Promise<VerifiedToken> {
    let payload: { exp?: number; iat?: number }
    try {
      ;({ payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms,
        issuer: s.issuer,
        audience: s.audience,
        requiredClaims: ['exp', 'iat', 'sub'],
      }))
    } catch (e) {
      throw new AuthError(`Invalid token: ${(e as { code?: string }).code ?? 'ERR_JWT_INVALID'}`)
    }
    // the issue time: not ahead of our clock (beyond a little skew), not older than the maximum age
    const now = Date.now() / 1000
    if (payload.iat! > now + CLOCK_SKEW_SECONDS) throw new AuthError('Invalid token: issued in the future (iat)')
    if (now - payload.iat! > maxAge) throw new AuthError(`Invalid token: older than ${maxAge} s (iat)`)
    if (payload.exp! - payload.iat! > maxAge)
      throw new AuthError(`Invalid token: it may live at most ${maxAge} s (exp − iat)`)
    const parsed = claimsSchema.safeParse(payload)
    if (!parsed.success) throw new AuthError('Invalid token: claims do not match the expected shape')
    const { sub, ...claims } = parsed.data
    return { userId: sub, claims, expiresAt: payload.exp! * 1000 }
  }
}

/** A token's longest life by default (JWT_MAX_AGE_SECONDS). */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 24 * 3600
/** How far the issuer's clock may run ahead of ours (for `iat`; `exp` has no tolerance). */
const CLOCK_SKEW_SECONDS = 30

/** Verified tokens kept (see createVerifier). */
const VERIFIED_TOKENS = 1000

/** Signs an HS256 token (embedded mode, tests and scripts/token.ts). */
export function signToken(
  secret: string,
  claims: TokenClaims,
  opts: { issuer: string; audience: string; expiresIn?: string | number },
) {
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
