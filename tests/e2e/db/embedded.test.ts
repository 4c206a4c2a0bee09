// The embedded database survives a killed previous run: the orphaned postmaster of our data
// directory is stopped and the cluster starts again with its data. While its owner lives, admin
// commands use the running cluster and leave it running (the data-dir lock, owner.json).
import { execFile, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres } from '../../../src/db/embedded.js'
import { spawnServer } from '../../helpers/server-process.js'
import { story } from '../../helpers/test.js'
import { deferred, gql, graphql } from '../../helpers/graphql.js'

/** An admin command (`npm run <script>`) as a new user runs it beside the server, on the same DATA_DIR. */
function adminCommand(script: string, args: string[], dataDir: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.resolve(script), ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, CHECKPOINT_DISABLE: '1' },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    )
  })
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-embedded-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

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
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const ready = deferred<void>()
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('READY')) ready.resolve()
    })
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

  describe('admin commands beside a running server: they use its cluster and leave it running', () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    story()
    let dataDir: string
    let server: ReturnType<typeof spawnServer>
    let url: string
    let postmaster: number
    let token: Awaited<ReturnType<typeof adminCommand>>
    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-owner-'))
      server = spawnServer({ DATA_DIR: dataDir, JWT_SECRET: '' })
      url = (await server.when((r) => r.msg === 'server listening')).url as string
      postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
    }, 60_000)
    afterAll(async () => {
      if (server && server.child.exitCode === null) {
        server.child.kill('SIGKILL')
        await server.exited
      }
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    })

    it('should name the server as the owner of its cluster and serve the demo data once ready', async () => {
      const owner = JSON.parse(fs.readFileSync(path.join(dataDir, 'owner.json'), 'utf8')) as {
        pid: number
        port: number
      }
      expect(owner).toMatchObject({ pid: server.child.pid, port: expect.any(Number) })

      // ready only once the demo data is complete (the workflows load after listening)
      while ((await fetch(new URL('/readyz', url))).status !== 200) await new Promise((r) => setTimeout(r, 25))
      const c = new pg.Client({
        host: '127.0.0.1',
        port: owner.port,
        user: 'postgres',
        database: 'gongzhi',
        password: (JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { pgPassword: string })
          .pgPassword,
      })
      await c.connect()
      const {
        rows: [counts],
      } = await c.query<{ cases: number; orgs: number }>(
        'SELECT (SELECT count(*)::int FROM "Case") AS cases, (SELECT count(*)::int FROM "PartyOrg") AS orgs',
      )
      await c.end()
      expect(counts!.cases).toBeGreaterThan(0)
      expect(counts!.orgs).toBeGreaterThan(0)
    }, 60_000)

    it('should fail a second server on the same port in one line, leaving the cluster running', async () => {
      const second = spawnServer({ DATA_DIR: dataDir, JWT_SECRET: '', PORT: new URL(url).port })
      expect(await second.exited).toBe(1)
      expect(second.stderr).toBe(
        `port ${new URL(url).port} is in use on 127.0.0.1 (is Gongzhi already running?); stop that process or start with another PORT\n`,
      )
    }, 60_000)

    it('should let admin commands sign a token and read the migration status, and refuse seeding a database holding data', async () => {
      token = await adminCommand('scripts/token.ts', ['--role', 'ADMIN', '--username', 'admin'], dataDir)
      expect(token).toMatchObject({ code: 0, stdout: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/) })
      const status = await adminCommand('scripts/prisma.ts', ['migrate', 'status'], dataDir)
      expect(status.code).toBe(0)
      const seed = await adminCommand('scripts/seed.ts', [], dataDir)
      expect(seed.code).toBe(1)
    }, 60_000)

    it("should leave the cluster running and the server answering with the admin command's token", async () => {
      expect(isAlive(postmaster)).toBe(true)
      expect((await fetch(new URL('/readyz', url))).status).toBe(200)
      const me = await gql(url, graphql('{ me { username } }'), {}, { token: token.stdout.trim() })
      expect(me).toMatchObject({ status: 200, data: { me: { username: 'admin' } } })
      expect(me.errors).toBeUndefined()
    })

    it('should stop the cluster with the server and remove its owner file', async () => {
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
      expect(isAlive(postmaster)).toBe(false)
      expect(fs.existsSync(path.join(dataDir, 'owner.json'))).toBe(false)
    }, 60_000)
  })

  it('should let a second start in the same process use the running cluster', async () => {
    const first = await startEmbeddedPostgres({ dataDir: dir, database: 'keep' })
    try {
      const second = await startEmbeddedPostgres({ dataDir: dir, database: 'other' })
      expect(second.owner).toBe(false)
      expect(new URL(second.url).port).toBe(new URL(first.url).port)
      await second.stop()
      const c = new pg.Client({ connectionString: second.url })
      await c.connect()
      expect((await c.query('SELECT current_database() AS db')).rows).toEqual([{ db: 'other' }])
      await c.end()
    } finally {
      await first.stop()
    }
  }, 60_000)
})
