// npm run schema:check (scripts/schema-compat.ts): how changes are classified, acknowledged and
// reported, and which release they are compared with — on small SDL strings and throwaway git repos.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ALLOW_FILE, compareSchemas, formatReport, parseAllowList, runCheck } from '../../../scripts/schema-compat.js'

const V1 = `type Query { grid(code: String!): Grid }\ntype Grid { code: String! name: String }\n`
const FIELD_ADDED = `type Query { grid(code: String!): Grid }\ntype Grid { code: String! name: String area: Float }\n`
const FIELD_REMOVED = `type Query { grid(code: String!): Grid }\ntype Grid { code: String! }\n`

describe('compareSchemas', () => {
  it('should call a removed field breaking and fail', async () => {
    const r = await compareSchemas(V1, FIELD_REMOVED)
    expect(r.breaking.map((c) => [c.type, c.path])).toEqual([['FIELD_REMOVED', 'Grid.name']])
    expect(r.ok).toBe(false)
    expect(formatReport(r, 'v1')).toMatch(/BREAKING \(1\):\n {4}Grid\.name {2}Field 'name' was removed[\s\S]*FAILED: 1 breaking/)
  })

  it('should call an added optional field safe and pass', async () => {
    const r = await compareSchemas(V1, FIELD_ADDED)
    expect(r.breaking).toEqual([])
    expect(r.safe.map((c) => [c.type, c.path])).toEqual([['FIELD_ADDED', 'Grid.area']])
    expect(r.ok).toBe(true)
  })

  it('should call an added enum value dangerous, which passes', async () => {
    const r = await compareSchemas('type Query { s: S }\nenum S { OPEN }', 'type Query { s: S }\nenum S { OPEN CLOSED }')
    expect(r.dangerous.map((c) => c.path)).toEqual(['S.CLOSED'])
    expect(r.ok).toBe(true)
  })

  it('should pass a breaking change acknowledged with a reason, and show the reason', async () => {
    const r = await compareSchemas(V1, FIELD_REMOVED, parseAllowList('# intended\nGrid.name   replaced by Grid.code (issue 14)\n'))
    expect(r.breaking).toEqual([])
    expect(r.acknowledged.map((a) => [a.change.path, a.reason])).toEqual([['Grid.name', 'replaced by Grid.code (issue 14)']])
    expect(r.ok).toBe(true)
    expect(formatReport(r, 'v1')).toMatch(/acknowledged[\s\S]*reason: replaced by Grid\.code/)
  })

  it('should refuse an allow-file line without a reason, and note entries that match nothing', async () => {
    const r = await compareSchemas(V1, FIELD_REMOVED, parseAllowList('Grid.name\nQuery.gone  removed in 0.1\n'))
    expect(r.problems).toEqual(['line 1: "Grid.name" needs a reason after the path'])
    expect(r.breaking).toHaveLength(1)
    expect(r.stale).toEqual(['Query.gone'])
    expect(r.ok).toBe(false)
  })
})

describe('runCheck against the last release (git tags)', () => {
  const dirs: string[] = []
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }) })

  /** A repo whose commits carry these schemas, tagged as given (null: no tag). */
  function repo(...commits: [sdl: string, tag: string | null][]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-compat-'))
    dirs.push(dir)
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe' })
    git('init', '-q')
    fs.mkdirSync(path.join(dir, 'schema'))
    commits.forEach(([sdl, tag], i) => {
      fs.writeFileSync(path.join(dir, 'schema/schema.graphql'), sdl)
      git('add', '-A')
      git('commit', '-q', '--allow-empty', '-m', `commit ${i}`)
      if (tag) git('tag', '-a', tag, '-m', tag)
    })
    return dir
  }
  async function check(dir: string, currentSdl: string, ci = false) {
    const lines: string[] = []
    const code = await runCheck({ cwd: dir, ci, currentSdl, print: (s) => lines.push(s) })
    return { code, output: lines.join('\n') }
  }

  it('should compare with the nearest v* tag and exit 1 on a breaking change, 0 once acknowledged', async () => {
    const dir = repo([FIELD_REMOVED, 'v0.1.0'], [V1, 'v0.2.0'], [V1, null])
    const failed = await check(dir, FIELD_REMOVED)
    expect(failed.code).toBe(1)
    expect(failed.output).toMatch(/against v0\.2\.0[\s\S]*Grid\.name/)
    fs.writeFileSync(path.join(dir, ALLOW_FILE), 'Grid.name  folded into code\n')
    expect((await check(dir, FIELD_REMOVED)).code).toBe(0)
    expect((await check(dir, FIELD_ADDED)).code).toBe(0)
  })

  it('should warn and exit 0 without a tag locally, and fail in CI', async () => {
    const dir = repo([V1, null])
    const local = await check(dir, FIELD_REMOVED)
    expect(local).toEqual({ code: 0, output: expect.stringMatching(/skipped: no v\* tag reachable from HEAD/) })
    const ci = await check(dir, FIELD_REMOVED, true)
    expect(ci).toEqual({ code: 1, output: expect.stringMatching(/FAILED: no v\* tag .*CI needs the last release's tag/) })
  })

  it('should name a shallow clone without tags as the cause', async () => {
    const origin = repo([V1, 'v0.1.0'], [V1, null])
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-compat-clone-'))
    dirs.push(clone)
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-tags', `file://${origin}`, clone], { stdio: 'pipe' })
    expect((await check(clone, V1, true)).output).toMatch(/shallow clone.*git fetch --tags --unshallow/)
  })
})
