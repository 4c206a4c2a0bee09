// Prisma's WASM schema engine (@prisma/schema-engine-wasm) driven through the pg driver adapter.
// It does what the native `schema-engine` binary does (which cannot be downloaded on offline
// machines): the server applies migrations with it, and scripts/schema-engine-shim.ts lets the
// real Prisma CLI use it. PostgreSQL only. Each workaround names the Prisma 7.10 bug it avoids.
import fs from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { PrismaPg } from '@prisma/adapter-pg'
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils'
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm'

const require = createRequire(import.meta.url)

// The wasm panic hook reports into this global.
const panicRegistry = {
  message: '',
  set_message(m: string) {
    this.message = m
  },
}
;(globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = panicRegistry
export const lastPanic = () => panicRegistry.message

/** The directory holding package.json: src/db/ when run from source, dist/ when bundled. */
export const projectRoot = (() => {
  for (let dir = path.dirname(new URL(import.meta.url).pathname); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${import.meta.url}`)
  }
})()
export const migrationsDir = path.join(projectRoot, 'prisma/migrations')
export const schemaPath = path.join(projectRoot, 'prisma/schema.prisma')

let engineClass: Promise<typeof SchemaEngine> | undefined

/** Loads the engine once per process, as @prisma/internals' wasmSchemaEngineLoader does. */
export function loadSchemaEngineClass(): Promise<typeof SchemaEngine> {
  engineClass ??= (async () => {
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Record<string, unknown> & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void
      SchemaEngine: typeof SchemaEngine
    }
    // The CLI ships the wasm of its own engine commit, which is not published on npm; its JS glue is
    // identical to the pinned @prisma/schema-engine-wasm. Prefer the CLI's so both agree exactly.
    // (the production image carries no CLI: then the package's wasm)
    let cliWasm = ''
    try {
      cliWasm = path.join(path.dirname(require.resolve('prisma/package.json')), 'build/schema_engine_bg.wasm')
    } catch {
      /* no CLI */
    }
    const pkgWasm = path.join(
      path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    )
    const wasmPath = cliWasm
      ? await fs.access(cliWasm).then(
          () => cliWasm,
          () => pkgWasm,
        )
      : pkgWasm
    const module = await WebAssembly.compile(await fs.readFile(wasmPath))
    const instance = await WebAssembly.instantiate(module, {
      './schema_engine_bg.js': glue as WebAssembly.ModuleImports,
    })
    glue.__wbg_set_wasm(instance.exports)
    ;(instance.exports.__wbindgen_start as () => void)()
    return glue.SchemaEngine
  })()
  return engineClass
}

/** Discrete pg fields: with pg a connectionString overrides `database`, so a shadow pool built
 *  as `{ ...config, database: shadow }` would silently hit the main database. */
export function pgConfig(url: string) {
  const u = new URL(url)
  const cfg = {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  }
  const schema = u.searchParams.get('schema') ?? undefined
  return { cfg, opts: schema ? { schema } : undefined }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Runs one statement on the maintenance database `postgres` of the same server. */
export async function pgAdmin(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ ...pgConfig(url).cfg, database: 'postgres' })
  await client.connect()
  try {
    return await client.query(sql, params)
  } finally {
    await client.end()
  }
}

export async function databaseExists(url: string) {
  const { rowCount } = await pgAdmin(url, 'SELECT 1 FROM pg_database WHERE datname = $1', [pgConfig(url).cfg.database])
  return rowCount === 1
}

export async function createDatabase(url: string) {
  await pgAdmin(url, `CREATE DATABASE ${quoteIdent(pgConfig(url).cfg.database)}`)
}

let charPatched = false
const charColumns = new WeakMap<object, number[]>()
/** The engine's catalog queries return columns of the internal type "char" (OID 18, e.g.
 *  pg_constraint.contype), which PrismaPg cannot deserialize, while the engine reads them as a
 *  char. Let pg report them as text, remember which columns they were, and hand them to the engine
 *  as ColumnType.Character (PostgreSQL 18's NOT NULL constraints made this path hot). */
function patchCharColumns() {
  if (charPatched) return
  charPatched = true
  const proto = pg.Result.prototype as unknown as {
    addFields(fields: { dataTypeID: number; wasChar?: boolean }[]): void
  }
  const addFields = proto.addFields
  proto.addFields = function (fields) {
    for (const f of fields)
      if (f.dataTypeID === 18) {
        f.dataTypeID = 25
        f.wasChar = true
      }
    return addFields.call(this, fields)
  }
}

const CHARACTER_COLUMN = 6 // ColumnTypeEnum.Character in @prisma/driver-adapter-utils
type Queryable = {
  performIO?(q: unknown): Promise<{ fields: { wasChar?: boolean }[]; rows: object }>
  queryRaw(q: unknown): Promise<{ columnTypes: number[]; rows: object }>
  startTransaction?(...a: unknown[]): Promise<Queryable>
}

function withCharColumns<Q extends object>(q: Q): Q {
  const target = q as unknown as Queryable
  const performIO = target.performIO?.bind(target)
  if (performIO) {
    target.performIO = async (query) => {
      const result = await performIO(query)
      const idx = result.fields.flatMap((f, i) => (f.wasChar ? [i] : []))
      if (idx.length) charColumns.set(result.rows, idx)
      return result
    }
  }
  const queryRaw = target.queryRaw.bind(target)
  target.queryRaw = async (query) => {
    const result = await queryRaw(query)
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = CHARACTER_COLUMN
    return result
  }
  const startTransaction = target.startTransaction?.bind(target)
  if (startTransaction) target.startTransaction = async (...a) => withCharColumns(await startTransaction(...a))
  return q
}

type ScriptRunner = {
  executeScript(script: string): Promise<void>
  client: { query(sql: string): Promise<unknown> }
  onError(e: unknown): never
}

/** PrismaPg runs a migration script split at every ';', which breaks a function body (dollar-quoted)
 *  or a comment holding one. Send the script whole, as one simple query, as the native engine does:
 *  PostgreSQL runs its statements in order in one implicit transaction. */
function withWholeScripts<Q extends object>(q: Q): Q {
  const target = q as unknown as ScriptRunner
  target.executeScript = async (script) => {
    try {
      await target.client.query(script)
    } catch (e) {
      target.onError(e)
    }
  }
  return q
}

const enginePatched = <Q extends object>(q: Q): Q => withWholeScripts(withCharColumns(q))

function adapterFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  patchCharColumns()
  const { cfg, opts } = pgConfig(url)
  const main = new PrismaPg(cfg, opts)
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => enginePatched(await main.connect()),
    // PrismaPg's own connectToShadowDb() drops the shadow database before closing its pool; the
    // drop fails ("being accessed by other users") and the database leaks. Own its lifecycle.
    async connectToShadowDb() {
      const name = `prisma_migrate_shadow_db_${randomUUID()}`
      await pgAdmin(url, `CREATE DATABASE ${quoteIdent(name)}`)
      const shadow = enginePatched(await new PrismaPg({ ...cfg, database: name }, opts).connect())
      const dispose = shadow.dispose.bind(shadow)
      shadow.dispose = async () => {
        await dispose()
        await pgAdmin(url, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
      }
      return shadow
    },
  }
}

export type Engine = SchemaEngine

/** Starts an engine on `url`; close() frees it and every connection it opened. */
export async function startEngine(url: string, schemaFiles: [string, string][], log?: (line: string) => void) {
  const SchemaEngineClass = await loadSchemaEngineClass()
  const factory = adapterFactory(url)
  const open = new Set<{ dispose(): Promise<void> }>()
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const a = await connect()
    open.add(a)
    return a
  }
  // `datamodels: []` panics inside the engine: pass undefined when there is no schema.
  const engine = await SchemaEngineClass.new(
    { datamodels: schemaFiles.length ? schemaFiles : undefined },
    (line: string) => log?.(line),
    bindMigrationAwareSqlAdapterFactory(factory),
  )
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    engine.free()
    await Promise.allSettled([...open].map((a) => a.dispose()))
  }
  return { engine, close }
}

/** The migration directory as the engine expects it (same as @prisma/migrate's listMigrations). */
export async function listMigrations(dir = migrationsDir): Promise<MigrationList> {
  const lockfilePath = 'migration_lock.toml'
  const lockContent = await fs.readFile(path.join(dir, lockfilePath), 'utf8').catch(() => null)
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => [])
  const migrationDirectories = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map(async (e) => ({
        path: e.name,
        migrationFile: {
          path: 'migration.sql',
          content: await fs.readFile(path.join(dir, e.name, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok' as const, value }),
            (err: Error) => ({ tag: 'error' as const, value: err.message }),
          ),
        },
      })),
  )
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path))
  return {
    baseDir: dir,
    lockfile: { path: lockfilePath, content: lockContent },
    migrationDirectories,
    shadowDbInitScript: '',
  }
}

export const noFilters = { externalTables: [], externalEnums: [] }
