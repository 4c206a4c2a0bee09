// How the bench's peer processes listen and stop: print `ready <port>` once listening on PORT
// (0 = any free port); exit on SIGTERM/SIGINT or when the bench is gone (stdin closes).
export function serveChild(server) {
  server.on('error', (e) => {
    console.error(e)
    process.exit(1)
  })
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    console.log(`ready ${server.address().port}`)
  })
  const stop = () => {
    server.close()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.stdin.on('end', stop).resume()
}
