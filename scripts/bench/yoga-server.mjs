// Stock graphql-yoga on node:http with a one-field schema and nothing else: the third
// `{ __typename }` baseline of `npm run bench`. Plain ESM (runs on bare Node 24).
// Env: PORT (0 = any free port). Prints `ready <port>` once listening.
import { createServer } from 'node:http'
import { createSchema, createYoga } from 'graphql-yoga'
import { serveChild } from './child-server.mjs'

const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { hello: String }' }) })
const server = createServer(yoga)
serveChild(server)
