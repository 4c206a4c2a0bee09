// Stock graphql-yoga on node:http with a one-field schema and nothing else: the third
// `{ __typename }` baseline of `npm run bench`. Plain ESM (runs on bare Node 24).
// Env: PORT (0 = any free port). Prints `ready <port>` once listening.
import { createServer } from 'node:http'
import { createSchema, createYoga } from 'graphql-yoga'

const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { hello: String }' }) })
const server = createServer(yoga)
server.on('error', (e) => { console.error(e); process.exit(1) })
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`ready ${server.address().port}`)
})

// The bench owns this process: stop when it says so, or when it is gone (stdin closes).
const stop = () => { server.close(); process.exit(0) }
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdin.on('end', stop).resume()
