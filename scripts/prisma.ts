// Runs the real Prisma CLI (`prisma <args>`) offline: the native schema engine is replaced by the
// WASM stand-in (scripts/schema-engine). Without DATABASE_URL it works on the embedded database in
// ./data (started for the command and stopped after), the one `npm start` uses.
//   npm run db:migrate | db:status | db:migrate:dev -- --name x | db:drift
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmbeddedPostgres, type EmbeddedDb } from '../src/db/embedded.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)

let embedded: EmbeddedDb | undefined
// CHECKPOINT_DISABLE: Prisma's CLI otherwise asks checkpoint.prisma.io for updates (telemetry) on every
// command; on a government network that look-up is an alarm. `npm run check:offline` holds it.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'scripts/schema-engine'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
}
if (!env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({
    dataDir: process.env.DATA_DIR ?? path.join(root, 'data'),
    database: 'gongzhi',
  })
  env.DATABASE_URL = embedded.url
  console.error('Using the embedded database in ./data (set DATABASE_URL for another one).')
}

const child = spawn(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
})
const code = await new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))))
await embedded?.stop()
process.exit(code)
