// The server as `npm run dev` runs it, in a child process, with its JSON log lines awaitable.
import { spawn } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import { TEST_SECRET } from './app.js'
import { deferred } from './graphql.js'

export interface LogRecord {
  level: number
  msg: string
  [k: string]: unknown
}

/**
 * Starts src/main.ts (or `entry`, e.g. a bundled dist/main.js) with a clean environment plus `env`
 * (PORT 0, no background jobs, JWT_SECRET unless given as '').
 */
export function spawnServer(env: Record<string, string>, entry?: string) {
  const merged: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    JWT_SECRET: TEST_SECRET,
    BACKGROUND_JOBS: 'false',
    ...env,
  }
  if (merged.JWT_SECRET === '') delete merged.JWT_SECRET
  const args = entry ? [entry] : ['--import', 'tsx', path.resolve('src/main.ts')]
  const child = spawn(process.execPath, args, {
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: entry ? path.dirname(path.dirname(entry)) : undefined,
  })
  const records: LogRecord[] = []
  let stdout = ''
  let stderr = ''
  let waiters: { test: (r: LogRecord) => boolean; resolve: (r: LogRecord) => void }[] = []
  const exited = deferred<number | null>()
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout += `${line}\n`
    let r: LogRecord
    try {
      r = JSON.parse(line) as LogRecord
    } catch {
      return
    }
    records.push(r)
    waiters = waiters.filter((w) => {
      if (!w.test(r)) return true
      w.resolve(r)
      return false
    })
  })
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString()
  })
  child.on('exit', (code) => exited.resolve(code))
  return {
    child,
    records,
    /** Everything printed to stdout (log lines and the demo tokens). */
    get stdout() {
      return stdout
    },
    get stderr() {
      return stderr
    },
    exited: exited.promise,
    /** Resolves on the first record (logged already or later) that matches; rejects if the server exits first. */
    when(test: (r: LogRecord) => boolean): Promise<LogRecord> {
      const seen = records.find(test)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve })
        void exited.promise.then((code) => reject(new Error(`server exited (${code}) first:\n${stderr}`)))
      })
    },
  }
}
