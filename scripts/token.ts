// npm run token -- --role GRID_WORKER [--sub <userId> | --username <name>] [--expires 12h]
// Mints an HS256 token for a user, with the scopes taken from the database; with one --role and no
// user, for that role's demo account (the one `npm start` prints a token for). Uses JWT_SECRET, or the
// embedded mode's secret in DATA_DIR; DATABASE_URL or the embedded database for the lookup.
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.js'
import { createPrisma } from '../src/db.js'
import { dataDirSecrets, startEmbeddedPostgres } from '../src/db/embedded.js'
import { signToken } from '../src/auth/jwt.js'
import { claimsForUser, demoUsersByRole } from '../src/auth/claims.js'
import { Role, type RoleName } from '../src/auth/viewer.js'

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    sub: { type: 'string' },
    username: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
})
const roles = (values.role ?? []) as RoleName[]
const bad = roles.filter((r) => !(r in Role))
if ((!values.sub && !values.username && roles.length !== 1) || bad.length) {
  console.error(
    `usage: npm run token -- --role <${Object.keys(Role).join('|')}> [--sub <userId> | --username <name>] [--expires 12h]\n  without --sub or --username, one --role: that role's demo account${bad.length ? `\nunknown role: ${bad.join(', ')}` : ''}`,
  )
  process.exit(1)
}
const config = loadConfig()
const dataDir = path.resolve(config.DATA_DIR)
const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir, database: 'gongzhi' })
const secret = config.JWT_SECRET ?? (config.DATABASE_URL ? undefined : dataDirSecrets(dataDir).jwtSecret)
const prisma = createPrisma(config.DATABASE_URL ?? embedded!.url)
try {
  if (!secret)
    throw new Error('set JWT_SECRET (tokens for RS256/ES256/JWKS setups are issued by your identity provider)')
  const userId =
    values.sub ??
    (values.username
      ? (await prisma.user.findUnique({ where: { username: values.username }, select: { id: true } }))?.id
      : (await demoUsersByRole(prisma)).find((u) => u.role === roles[0])?.userId)
  if (!userId)
    throw new Error(values.username ? `no user named ${values.username}` : `no active account has the role ${roles[0]}`)
  const claims = await claimsForUser(prisma, userId, roles.length ? roles : undefined)
  console.log(
    await signToken(secret, claims, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      expiresIn: values.expires!,
    }),
  )
} catch (e) {
  console.error((e as Error).message)
  process.exitCode = 1
} finally {
  await prisma.$disconnect()
  await embedded?.stop()
}
