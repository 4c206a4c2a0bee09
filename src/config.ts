// All configuration comes from environment variables, parsed once here. Bad env → clear message, exit 1.
import { z } from 'zod'
import { FatalError } from './shared/fatal-error.js'

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
)

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .optional(),
    DATA_DIR: z.string().default('data'),
    SEED_DEMO: bool.default(true),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be a PEM (SPKI) public key' }).optional(),
    JWT_JWKS_URL: z.url().optional(),
    JWT_ALGORITHMS: list.pipe(z.array(z.enum(['HS256', 'RS256', 'ES256'])).min(1)).optional(),
    JWT_ISSUER: z.string().default('gongzhi'),
    JWT_AUDIENCE: z.string().default('gongzhi-api'),
    // the longest life of a token (exp − iat) and the oldest `iat` accepted
    JWT_MAX_AGE_SECONDS: z.coerce.number().int().min(60).default(86_400),
    // how long an account's roles, scopes and active flag are cached (a change on any instance clears it)
    ACCOUNT_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
    // how long a process keeps the case categories without asking again (changes clear it at once, on every instance through the bus); 0 reads them each time
    REFERENCE_CACHE_MS: z.coerce.number().int().min(0).default(60_000),
    // browser origins allowed to call the API (comma-separated); none by default: same-origin only
    CORS_ORIGINS: list.pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin))).default([]),
    // what /metrics asks of a scraper: `Authorization: Bearer <METRICS_TOKEN>`; unset, a direct loopback connection
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    // mutations one account (or one address, for anonymous callers) may send per minute
    MUTATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    GRAPHIQL: bool.optional(),
    INTROSPECTION: bool.optional(),
    MAX_DEPTH: z.coerce.number().int().min(2).default(12),
    MAX_ALIASES: z.coerce.number().int().min(1).default(15),
    MAX_TOKENS: z.coerce.number().int().min(100).default(2000),
    MAX_COST: z.coerce.number().int().min(100).default(20000),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).default(262_144),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    BACKGROUND_JOBS: bool.default(true),
    DB_PREPARED_STATEMENTS: bool.default(true),
    // how long start-up waits for an external database that refuses connections (0: try once)
    DB_STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
    SLA_SWEEP_MS: z.coerce.number().int().min(100).default(30_000),
    AGREEMENT_EXPIRY_MS: z.coerce.number().int().min(100).default(60_000),
    ACTIVITY_CLOCK_MS: z.coerce
      .number()
      .int()
      .refine((v) => v === 0 || v >= 100, 'at least 100, or 0 to turn the clock off')
      .default(60_000),
    DISPATCH_POLL_MS: z.coerce.number().int().min(50).default(15_000),
    FIGURES_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
    WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3_000),
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).default(20),
    MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).default(50),
    SUBSCRIPTION_RETRY_MS: z.coerce.number().int().min(0).default(60_000),
    SESSION_CHECK_MS: z.coerce.number().int().min(0).default(30_000),
    WEBHOOK_POLL_MS: z.coerce.number().int().min(50).default(5_000),
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(5_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
    WEBHOOK_ALLOW_PRIVATE_URLS: bool.optional(),
    WEBHOOK_MAX_PER_DEPARTMENT: z.coerce.number().int().min(1).default(5),
    // a manifest of trusted documents ({ "<hash>": "<document>" }, e.g. graphql-codegen's persisted-documents.json)
    TRUSTED_DOCUMENTS: z.string().min(1).optional(),
    // refuse every document that is not in TRUSTED_DOCUMENTS
    TRUSTED_DOCUMENTS_ONLY: bool.default(false),
  })
  .superRefine((env, ctx) => {
    const keys = [env.JWT_SECRET, env.JWT_PUBLIC_KEY, env.JWT_JWKS_URL].filter(Boolean).length
    if (keys > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL',
      })
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required in production (the embedded database is for development)',
      })
    }
    if (env.TRUSTED_DOCUMENTS_ONLY && !env.TRUSTED_DOCUMENTS) {
      ctx.addIssue({
        code: 'custom',
        path: ['TRUSTED_DOCUMENTS_ONLY'],
        message: 'needs TRUSTED_DOCUMENTS (the manifest of the documents to allow)',
      })
    }
    if (env.DATABASE_URL && keys === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'with DATABASE_URL, one of JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL is required',
      })
    }
  })

export type Env = z.infer<typeof schema>

export interface Config extends Env {
  production: boolean
  webhookAllowPrivate: boolean
  graphiql: boolean
  introspection: boolean
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(source)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`)
    throw new FatalError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const env = parsed.data
  const production = env.NODE_ENV === 'production'
  return {
    ...env,
    production,
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE_URLS ?? !production,
    graphiql: env.GRAPHIQL ?? !production,
    introspection: env.INTROSPECTION ?? !production,
  }
}
