// Server processes of the side-by-side: each in its own child process, its output in a log file
// (read only when something fails), ready when `isReady` says so.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { onCleanup, trackChild } from './lifecycle.js'

export interface ChildServer {
  name: string
  /** The GraphQL endpoint. */
  url: string
  /** The child's process id (the bench reads its memory from /proc). */
  pid: number
  /** Its stdout and stderr. */
  logFile: string
  stop(): Promise<void>
}

export interface ServerSpec {
  name: string
  node: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  port: number
  graphqlPath: string
  logDir: string
  /** Resolves true once the server answers; called with the base URL, e.g. http://127.0.0.1:1234. */
  isReady: (base: string) => Promise<boolean>
  timeoutMs?: number
}

const tail = (file: string, lines = 30) => {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

export async function startServer(spec: ServerSpec): Promise<ChildServer> {
  const logFile = path.join(spec.logDir, `${spec.name.replace(/\W+/g, '-')}-${spec.port}.log`)
  const log = fs.openSync(logFile, 'a')
  // stdin stays a pipe: the peer scripts exit when it closes, i.e. when the bench is gone.
  const child = spawn(spec.node, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['pipe', log, log] })
  fs.closeSync(log)
  trackChild(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let gone = false
  void exited.then(() => {
    gone = true
  })

  const stop = async () => {
    unregister()
    if (gone) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  const unregister = onCleanup(stop)

  const base = `http://127.0.0.1:${spec.port}`
  const deadline = Date.now() + (spec.timeoutMs ?? 60_000)
  for (;;) {
    if (gone)
      throw new Error(
        `${spec.name} exited during start-up (code ${child.exitCode}, signal ${child.signalCode}); log ${logFile}:\n${tail(logFile)}`,
      )
    if (await spec.isReady(base).catch(() => false)) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(
        `${spec.name} was not ready within ${spec.timeoutMs ?? 60_000} ms; log ${logFile}:\n${tail(logFile)}`,
      )
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { name: spec.name, url: `${base}${spec.graphqlPath}`, pid: child.pid!, logFile, stop }
}
