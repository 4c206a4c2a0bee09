// PostGraphile 5 (Amber preset, grafserv on node:http) over the bench database: a peer for
// `npm run bench`. Plain ESM so that it runs on bare Node 24 without tsx.
// Env: DATABASE_URL, PORT (0 = any free port). Prints `ready <port>` once listening.
// `--print-schema` prints the generated GraphQL schema (SDL) and exits instead.
import { createServer } from 'node:http'
import { postgraphile } from 'postgraphile'
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber'
import { makePgService } from 'postgraphile/adaptors/pg'
import { grafserv } from 'postgraphile/grafserv/node'
import { printSchema } from 'postgraphile/graphql'

const connectionString = process.env.DATABASE_URL
if (!connectionString) throw new Error('DATABASE_URL is required')

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString, schemas: ['public'] })],
  // By default only indexed columns get orderBy values; the bench orders dispatch orders by
  // "createdAt" (not indexed) as our API does, so every column may be ordered by.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
}
const pgl = postgraphile(preset)

if (process.argv.includes('--print-schema')) {
  process.stdout.write(`${printSchema(await pgl.getSchema())}\n`)
  await pgl.release()
  process.exit(0)
}

const serv = pgl.createServ(grafserv)
const server = createServer()
server.on('error', (e) => {
  console.error(e)
  process.exit(1)
})
await serv.addTo(server)
await pgl.getSchema() // build the schema before announcing readiness
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`ready ${server.address().port}`)
})

// The bench owns this process: stop when it says so, or when it is gone (stdin closes).
const stop = () => {
  server.close()
  void pgl.release()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdin.on('end', stop).resume()
