// The start-up section of `npm run bench` (`--startup-only` runs only it): the built server (dist/main.js)
// as `npm start` runs it, on an embedded data directory of its own. First start: until /readyz is 200 (the
// demo data complete). Restarts: until the first answer of `{ __typename }` and of an authenticated query
// that reads the database. The floor, measured in the same run, is a bare `node:http` server answering its
// first request: what Node alone costs to start on this machine at this moment.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../src/db/embedded.js'
import { onCleanup, trackChild } from './lifecycle.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const BARE = "require('node:http').createServer((q, r) => r.end('{}')).listen(Number(process.env.PORT), '127.0.0.1')"

interface Probe {
  body: string
  token?: string
  ok(json: { data?: unknown; errors?: unknown }): boolean
}

/** Milliseconds from spawning `args` until `probe` succeeds on `path`; the process is stopped after. */
async function timeToAnswer(
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  urlPath: string,
  probe?: Probe,
): Promise<number> {
  const t0 = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  })
  trackChild(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode} before answering`)
      try {
        const res = await fetch(
          `http://127.0.0.1:${port}${urlPath}`,
          probe
            ? {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  ...(probe.token ? { authorization: `Bearer ${probe.token}` } : {}),
                },
                body: probe.body,
              }
            : {},
        )
        if (res.ok && (!probe || probe.ok((await res.json()) as { data?: unknown; errors?: unknown })))
          return performance.now() - t0
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 10))
    }
  } finally {
    child.kill('SIGINT')
    await exited
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export async function startupSection(opts: { runs: number }): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-bench-startup-'))
  const unregister = onCleanup(async () => fs.rmSync(dir, { recursive: true, force: true }))
  try {
    const env = { DATA_DIR: dir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'development' }
    const port = await freePort()
    const server = [path.join(ROOT, 'dist/main.js')]
    const first = await timeToAnswer(server, env, port, '/readyz')
    console.error(`startup: first start ready in ${first.toFixed(0)} ms`)
    const token = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'scripts/token.ts'), '--role', 'STREET_OFFICER'],
        { cwd: ROOT, env: { ...process.env, DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'inherit'] },
      )
      let out = ''
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString()
      })
      child.on('exit', (code) =>
        code === 0 ? resolve(out.trim()) : reject(new Error(`npm run token exited with ${code}`)),
      )
    })
    const typename: Probe = { body: '{"query":"{ __typename }"}', ok: (j) => !j.errors }
    const reads: Probe = {
      body: '{"query":"{ gridAt(lng: 118.785, lat: 32.045) { code } }"}',
      token,
      ok: (j) => !j.errors && !!j.data,
    }
    const rows = { bare: [] as number[], typename: [] as number[], reads: [] as number[] }
    for (let i = 0; i < opts.runs; i++) {
      rows.bare.push(await timeToAnswer(['-e', BARE], {}, port, '/'))
      rows.typename.push(await timeToAnswer(server, env, port, '/graphql', typename))
      rows.reads.push(await timeToAnswer(server, env, port, '/graphql', reads))
      console.error(
        `startup: run ${i + 1}/${opts.runs}: bare ${rows.bare.at(-1)!.toFixed(0)} ms, { __typename } ${rows.typename.at(-1)!.toFixed(0)} ms, a read ${rows.reads.at(-1)!.toFixed(0)} ms`,
      )
    }
    const floor = median(rows.bare)
    const line = (what: string, xs: number[]) =>
      `| ${what} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} | ${(median(xs) / floor).toFixed(1)} |`
    return [
      '',
      `### Start-up (Node ${process.version}, median of ${opts.runs}; ${os.cpus().length} cores)`,
      '',
      `First start (initdb, migrations, demo data, until /readyz is 200): ${first.toFixed(0)} ms.`,
      '',
      '| restart, until the first answer of | median ms | range ms | × bare Node |',
      '| --- | --- | --- | --- |',
      line('a bare `node:http` server (the floor)', rows.bare),
      line('`{ __typename }`', rows.typename),
      line('`gridAt { code }` with a token (reads the database)', rows.reads),
    ]
  } finally {
    unregister()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
