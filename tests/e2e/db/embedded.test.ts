// The embedded database survives a killed previous run: the orphaned postmaster of our data
// directory is stopped and the cluster starts again with its data.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres } from '../../../src/db/embedded.js'
import { deferred } from '../../helpers/ws.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-embedded-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const isAlive = (pid: number) => { try { process.kill(pid, 0); return true } catch { return false } }

describe('embedded PostgreSQL', () => {
  it('should start again after the previous Node process was killed with its postmaster still running', async () => {
    // a child process starts the cluster, writes a row, reports the postmaster pid, then is SIGKILLed
    const script = `
      import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve('src/db/embedded.ts'))}
      import pg from 'pg'
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, database: 'keep' })
      const c = new pg.Client({ connectionString: db.url }); await c.connect()
      await c.query('CREATE TABLE survivor (v text)'); await c.query("INSERT INTO survivor VALUES ('still here')"); await c.end()
      console.log('READY')
      setInterval(() => {}, 1000)`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const ready = deferred<void>()
    child.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('READY')) ready.resolve() })
    child.on('exit', () => ready.reject(new Error('child exited before the database was ready')))
    await ready.promise
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    const orphan = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
    expect(isAlive(orphan)).toBe(true)

    const db = await startEmbeddedPostgres({ dataDir: dir, database: 'keep' })
    try {
      expect(isAlive(orphan)).toBe(false)
      const c = new pg.Client({ connectionString: db.url })
      await c.connect()
      const { rows } = await c.query('SELECT v FROM survivor')
      await c.end()
      expect(rows).toEqual([{ v: 'still here' }])
    } finally {
      await db.stop()
    }
  }, 90_000)
})
