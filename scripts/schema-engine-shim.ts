// Stand-in for Prisma's native `schema-engine` binary (PRISMA_SCHEMA_ENGINE_BINARY). It speaks the
// binary's line-based JSON-RPC on stdin/stdout, as the Prisma CLI's SchemaEngineCLI expects, and
// forwards every call to the WASM schema engine (src/db/schema-engine.ts). PostgreSQL only.
import fs from 'node:fs/promises'
import path from 'node:path'
import readline from 'node:readline'
import { createDatabase, databaseExists, lastPanic, startEngine } from '../src/db/schema-engine.js'

const argv = process.argv.slice(2)
const datamodels: string[] = []
let url: string | undefined
let cliCommand: string | undefined
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!
  if (a === '--version') {
    console.log('schema-engine-cli gongzhi-wasm-shim')
    process.exit(0)
  } else if (a === '--datamodels') datamodels.push(argv[++i]!)
  else if (a === '--datasource') url = JSON.parse(argv[++i]!).url
  else if (a === 'cli') cliCommand = argv[++i]
  else if (a.startsWith('--')) i++ // --enabled-preview-features, --extension-types: not used here
}

// The CLI drops the first stderr line of `cli` commands and JSON-parses the rest.
const logError = (errorCode: string, message: string) =>
  console.error(
    JSON.stringify({ level: 'INFO', target: 'schema_engine::logger', fields: { message: 'wasm shim' } }) +
      '\n' +
      JSON.stringify({
        level: 'ERROR',
        target: 'schema_engine::logger',
        fields: { is_panic: false, error_code: errorCode, message },
      }),
  )

if (!url || !/^postgres(ql)?:/.test(url)) {
  logError('P1013', `The stand-in schema engine supports PostgreSQL URLs only, got "${url?.split(':')[0] ?? 'none'}"`)
  process.exit(1)
}
const dbUrl = url

// `schema-engine --datasource {...} cli can-connect-to-database | create-database`
if (cliCommand) {
  try {
    const found = await databaseExists(dbUrl)
    if (cliCommand === 'can-connect-to-database' && !found) {
      logError('P1003', 'Database does not exist')
      process.exit(1)
    }
    if (cliCommand === 'create-database' && !found) await createDatabase(dbUrl)
    process.exit(0)
  } catch (e) {
    logError('P1001', String((e as Error)?.message ?? e))
    process.exit(1)
  }
}

// Install the error handler and the RPC loop before connecting: if the engine cannot start, each
// call must still get an error answer (a stand-in that just exits leaves the CLI waiting for an
// answer that never comes, and some commands then exit 0 as if nothing were wrong).
process.on('uncaughtException', (e) => {
  const panic = lastPanic()
  console.error(
    JSON.stringify({
      level: 'ERROR',
      target: 'schema_engine::logger',
      fields: { is_panic: !!panic, message: panic || String(e?.stack ?? e) },
    }),
  )
  if (inFlight !== undefined) {
    send({
      id: inFlight,
      error: {
        code: 4466,
        message: 'An error happened. Check the data field for details.',
        data: { is_panic: !!panic, message: panic || String(e?.message ?? e) },
      },
    })
  }
  process.exit(panic ? 101 : 1)
})

const send = (msg: object) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`)
let printId = 1_000_000
let inFlight: number | undefined

const started = (async () => {
  const schemaFiles = await Promise.all(
    datamodels.map(async (p): Promise<[string, string]> => [p, await fs.readFile(path.resolve(p), 'utf8')]),
  )
  return startEngine(dbUrl, schemaFiles, (line) => process.stderr.write(`${line.trimEnd()}\n`))
})()
started.catch(() => {}) // reported to each call below

type Params = Record<string, unknown>
async function call(method: string, params: Params): Promise<unknown> {
  let engine: Awaited<typeof started>['engine']
  try {
    ;({ engine } = await started)
  } catch (e) {
    throw Object.assign(new Error(`cannot start the schema engine on the database: ${(e as Error)?.message ?? e}`), {
      code: 'P1001',
    })
  }
  switch (method) {
    case 'diff': {
      // the native engine prints the diff through a "print" request to the CLI
      const { exitCode, stdout } = await engine.diff(params as never)
      if (stdout) send({ id: printId++, method: 'print', params: { content: stdout.replace(/\n$/, '') } })
      return { exitCode }
    }
    case 'getDatabaseVersion':
      return engine.version()
    case 'createDatabase':
      await createDatabase(dbUrl)
      return { databaseName: '' }
    case 'dbExecute':
      await engine.dbExecute(params as never)
      return null
    default: {
      const fn = (engine as unknown as Record<string, unknown>)[method]
      if (typeof fn !== 'function' || method === 'free') throw new Error(`wasm shim: method ${method} is not supported`)
      return (await (fn as (p: Params) => Promise<unknown>).call(engine, params)) ?? {}
    }
  }
}

let chain: Promise<unknown> = Promise.resolve() // the engine handles one call at a time
const finish = async () => {
  await chain
  await started.then(
    ({ close }) => close(),
    () => undefined,
  )
  process.exit(0)
}
readline
  .createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => {
    const msg = JSON.parse(line) as { id: number; method?: string; params?: Params }
    if (!msg.method) return // the CLI's answer to a "print" request
    const method = msg.method
    chain = chain.then(async () => {
      inFlight = msg.id
      try {
        send({ id: msg.id, result: await call(method, msg.params ?? {}) })
      } catch (e) {
        const err = e as { message?: string; code?: string; meta?: unknown }
        const panic = lastPanic()
        send({
          id: msg.id,
          error: {
            code: 4466,
            message: 'An error happened. Check the data field for details.',
            data: {
              is_panic: !!panic,
              message: panic || String(err?.message ?? e),
              error_code: err?.code,
              meta: err?.meta,
            },
          },
        })
      } finally {
        inFlight = undefined
      }
    })
  })
  .on('close', finish)
// The CLI's stop() closes stdin and sends SIGTERM right away: finish the call in flight first.
process.on('SIGTERM', finish)
