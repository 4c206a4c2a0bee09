// The preload behind CI's offline check must see what it is there to see: a DNS look-up of a
// name and a connection beyond loopback are recorded (and refused), loopback passes.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const PRELOAD = path.resolve(import.meta.dirname, '../../../scripts/ci/no-network.cjs')

function run(script: string): string[] {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'no-network-')), 'log')
  execFileSync(process.execPath, ['-e', script], {
    env: { ...process.env, NODE_OPTIONS: `--require ${PRELOAD}`, NO_NETWORK_LOG: log },
    timeout: 10_000,
  })
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []
}

describe('the offline check preload', () => {
  it('should record a DNS look-up of a name, in a callback or a promise', () => {
    const lines = run(
      `require('dns').lookup('checkpoint.example.org', () => {}); require('dns').promises.lookup('telemetry.example.org').catch(() => {})`,
    )
    expect(lines.join('\n')).toMatch(/dns checkpoint\.example\.org[\s\S]*dns telemetry\.example\.org/)
  })

  it('should record and refuse a TCP connection beyond loopback, and let loopback through', () => {
    const lines = run(`
      const net = require('net')
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const local = net.connect(server.address().port, '127.0.0.1', () => { local.end(); server.close() })
        net.connect(443, '10.1.2.3').on('error', () => {})
      })`)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/tcp 10\.1\.2\.3:443$/)
  })
})
