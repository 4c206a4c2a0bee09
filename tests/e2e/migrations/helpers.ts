// Drives the real Prisma CLI the way admins do (node_modules/prisma/build/index.js) with the WASM
// schema-engine stand-in, plus small PostgreSQL helpers for checking what it did.
import { execFile, type ExecFileException } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import { pgConfig, quoteIdent } from '../../../src/db/schema-engine.js'

const execFileAsync = promisify(execFile)

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const prismaCli = path.join(projectRoot, 'node_modules/prisma/build/index.js')
export const schemaEngineBin = path.join(projectRoot, 'scripts/schema-engine')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

function cliEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: schemaEngineBin,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1', // offline: no version-check request
  }
}

async function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { cwd, env, timeout: 100_000, maxBuffer: 16 << 20 })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as ExecFileException & { stdout?: string; stderr?: string }
    // A non-numeric code means it never ran or was killed (timeout): that is a test failure, not a result.
    if (typeof err.code !== 'number')
      throw new Error(`${file} ${args.join(' ')} did not finish: ${err.message}\n${err.stderr ?? ''}`)
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
  }
}

/** `prisma <args>` in `cwd`, exactly as an admin runs it, against `databaseUrl`. */
export function prisma(cwd: string, databaseUrl: string, ...args: string[]): Promise<CliResult> {
  return run(process.execPath, [prismaCli, ...args], cwd, cliEnv(databaseUrl))
}

/** `npm run <script>` in the project root with DATABASE_URL set. */
export function npmRun(script: string, databaseUrl: string): Promise<CliResult> {
  return run('npm', ['run', '--silent', script], projectRoot, cliEnv(databaseUrl))
}

/** Both streams, for assertion messages. */
export const output = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client(pgConfig(url).cfg)
  await client.connect()
  try {
    return (await client.query<R>(sql, params)).rows
  } finally {
    await client.end()
  }
}

export async function createDatabase(serverUrl: string, name: string) {
  await query(serverUrl, `CREATE DATABASE ${quoteIdent(name)}`)
}

export interface AppliedMigration {
  migration_name: string
  checksum: string
  finished_at: Date | null
  rolled_back_at: Date | null
  applied_steps_count: number
}

export function appliedMigrations(url: string) {
  return query<AppliedMigration>(
    url,
    'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at, migration_name',
  )
}

/** Migration directory names under `<dir>/prisma/migrations`, in order. */
export async function migrationDirs(migrationsDir: string): Promise<string[]> {
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true })
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
}

/**
 * A minimal Prisma project in `dir`: the project's own prisma.config.ts (DATABASE_URL, prisma/schema.prisma,
 * prisma/migrations) and a link to the project's node_modules so the config resolves 'prisma/config'.
 */
export async function writeProject(dir: string, schema: string, migrationsFrom?: { dir: string; only: string[] }) {
  await fs.mkdir(path.join(dir, 'prisma/migrations'), { recursive: true })
  await fs.copyFile(path.join(projectRoot, 'prisma.config.ts'), path.join(dir, 'prisma.config.ts'))
  await fs.symlink(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
  await fs.writeFile(path.join(dir, 'prisma/schema.prisma'), schema)
  if (migrationsFrom) {
    await fs.copyFile(
      path.join(migrationsFrom.dir, 'migration_lock.toml'),
      path.join(dir, 'prisma/migrations/migration_lock.toml'),
    )
    for (const name of migrationsFrom.only) {
      await fs.cp(path.join(migrationsFrom.dir, name), path.join(dir, 'prisma/migrations', name), { recursive: true })
    }
  }
}
