// A real redis-server as a child process, for tests of the shared bus. Needs Debian's
// `redis-server` (apt-get install -y redis-server; CI installs it): without it the test fails with
// a clear message, never skips. Ports come from below the kernel's ephemeral range, so that while
// the server is down (an outage under test) no outgoing connection or `listen(0)` can take its port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server'

export interface RedisServer {
  /** TCP port on 127.0.0.1; the same across restarts. */
  readonly port: number
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string
  /** Starts it again on the same port (after kill); resolves once it accepts connections. */
  start(): Promise<void>
  /** SIGKILL — an outage, not a clean shutdown; resolves once the process has exited. */
  kill(): Promise<void>
  /** Kills it if it runs and removes its directory. */
  dispose(): Promise<void>
}

/** Throws a clear error when the redis-server binary is missing. */
export function requireRedisServer(): void {
  if (spawnSync(REDIS_SERVER, ['--version']).error) {
    throw new Error(
      `${REDIS_SERVER} not found: this test needs a real Redis. Install it with ` +
        '`apt-get update && apt-get install -y redis-server` (CI does this in .ci/run), or set REDIS_SERVER to its path.',
    )
  }
}

interface Running {
  child: ChildProcess
  exited: Promise<void>
}

class AddressInUse extends Error {}

function spawnRedis(port: number, dir: string): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--dir',
        dir,
        '--loglevel',
        'notice',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    const exited = new Promise<void>((res) => child.once('exit', () => res()))
    const onData = (b: Buffer) => {
      output += b.toString()
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData)
        child.stdout!.resume()
        resolve({ child, exited })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (b: Buffer) => {
      output += b.toString()
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      const Err = /address already in use/i.test(output) ? AddressInUse : Error
      reject(new Err(`redis-server exited before ready (${code ?? signal}):\n${output}`))
    })
  })
}

function ephemeralLow(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768
  } catch {
    return 32768
  }
}

/** Starts a throwaway redis-server (no persistence) on a free port of 127.0.0.1. */
export async function startRedisServer(): Promise<RedisServer> {
  requireRedisServer()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-redis-'))
  const high = ephemeralLow()
  const low = Math.max(1024, high - 12_000)
  let running: Running | undefined
  let port = 0
  for (let tries = 0; !running; tries++) {
    port = low + Math.floor(Math.random() * (high - low))
    try {
      running = await spawnRedis(port, dir)
    } catch (e) {
      if (!(e instanceof AddressInUse) || tries >= 9) {
        fs.rmSync(dir, { recursive: true, force: true })
        throw e
      }
    }
  }
  const kill = async () => {
    const r = running
    running = undefined
    if (!r || r.child.exitCode !== null || r.child.signalCode !== null) return
    r.child.kill('SIGKILL')
    await r.exited
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (running) throw new Error('redis-server is already running')
      running = await spawnRedis(port, dir)
    },
    kill,
    async dispose() {
      await kill()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
