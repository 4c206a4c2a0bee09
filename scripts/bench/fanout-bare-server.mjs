// The bare `ws` baseline of the fan-out bench: nothing but sockets grouped by the `g` query
// parameter of their URL, and a broadcast that sends exactly the bytes it is given, as one text
// frame, to every socket of a group. Plain ESM (runs on bare Node 24, like our server).
// Env: PORT. HTTP: POST /broadcast?g=<group> (body = the frame) → { sent }; GET /stats → { sockets }.
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { serveChild } from './child-server.mjs'

/** Group → its open sockets. */
const groups = new Map()
let sockets = 0

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bench')
  if (req.method === 'GET' && url.pathname === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sockets }))
    return
  }
  if (req.method === 'POST' && url.pathname === '/broadcast') {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const frame = Buffer.concat(chunks)
      let sent = 0
      for (const ws of groups.get(url.searchParams.get('g')) ?? []) {
        ws.send(frame, { binary: false })
        sent++
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sent }))
    })
    return
  }
  res.writeHead(404).end()
})

const wss = new WebSocketServer({ server, perMessageDeflate: false })
wss.on('connection', (ws, req) => {
  const group = new URL(req.url ?? '/', 'http://bench').searchParams.get('g') ?? ''
  let members = groups.get(group)
  if (!members) groups.set(group, (members = new Set()))
  members.add(ws)
  sockets++
  ws.on('close', () => {
    members.delete(ws)
    sockets--
  })
  ws.on('error', () => {})
})

serveChild(server)
