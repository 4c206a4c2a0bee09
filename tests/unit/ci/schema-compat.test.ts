// npm run schema:check (scripts/schema-compat.ts): how changes are classified, acknowledged and
// reported, and which release they are compared with — on small SDL strings and throwaway directories.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  ALLOW_FILE,
  compareSchemas,
  cutRelease,
  formatReport,
  parseAllowList,
  RELEASES_DIR,
  runCheck,
} from '../../../scripts/schema-compat.js'

const V1 = `type Query { grid(code: String!): Grid }\ntype Grid { code: String! name: String }\n`
const FIELD_ADDED = `type Query { grid(code: String!): Grid }\ntype Grid { code: String! name: String area: Float }\n`
const FIELD_REMOVED = `type Query { grid(code: String!): Grid }\ntype Grid { code: String! }\n`

describe('compareSchemas', () => {
  it('should call a removed field breaking and fail', async () => {
    const r = await compareSchemas(V1, FIELD_REMOVED)
    expect(r.breaking.map((c) => [c.type, c.path])).toEqual([['FIELD_REMOVED', 'Grid.name']])
    expect(r.ok).toBe(false)
    expect(formatReport(r, 'v1')).toMatch(
      /BREAKING \(1\):\n {4}Grid\.name {2}Field 'name' was removed[\s\S]*FAILED: 1 breaking/,
    )
  })

  it('should call an added optional field safe and pass', async () => {
    const r = await compareSchemas(V1, FIELD_ADDED)
    expect(r.breaking).toEqual([])
    expect(r.safe.map((c) => [c.type, c.path])).toEqual([['FIELD_ADDED', 'Grid.area']])
    expect(r.ok).toBe(true)
  })

  it('should call an added enum value dangerous, which passes', async () => {
    const r = await compareSchemas(
      'type Query { s: S }\nenum S { OPEN }',
      'type Query { s: S }\nenum S { OPEN CLOSED }',
    )
    expect(r.dangerous.map((c) => c.path)).toEqual(['S.CLOSED'])
    expect(r.ok).toBe(true)
  })

  it('should pass a breaking change acknowledged with a reason, and show the reason', async () => {
    const r = await compareSchemas(
      V1,
      FIELD_REMOVED,
      parseAllowList('# intended\nGrid.name   replaced by Grid.code in the first release\n'),
    )
    expect(r.breaking).toEqual([])
    expect(r.acknowledged.map((a) => [a.change.path, a.reason])).toEqual([
      ['Grid.name', 'replaced by Grid.code in the first release'],
    ])
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

describe('runCheck against the last release (schema/releases)', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  })

  /** A project directory holding these release files (`v0.1.0` → schema/releases/v0.1.0.graphql). */
  function project(releases: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-compat-'))
    dirs.push(dir)
    fs.mkdirSync(path.join(dir, RELEASES_DIR), { recursive: true })
    for (const [version, sdl] of Object.entries(releases))
      fs.writeFileSync(path.join(dir, RELEASES_DIR, `${version}.graphql`), sdl)
    return dir
  }
  async function check(dir: string, currentSdl: string, ci = false) {
    const lines: string[] = []
    const code = await runCheck({ cwd: dir, ci, currentSdl, print: (s) => lines.push(s) })
    return { code, output: lines.join('\n') }
  }

  it('should compare with the highest version (not the last in name order) and exit 1 on a breaking change, 0 once acknowledged', async () => {
    const dir = project({ 'v0.9.0': FIELD_REMOVED, 'v0.10.0': V1, 'v0.2.0': FIELD_REMOVED })
    fs.writeFileSync(path.join(dir, RELEASES_DIR, 'notes.txt'), 'not a release')
    const failed = await check(dir, FIELD_REMOVED)
    expect(failed.code).toBe(1)
    expect(failed.output).toMatch(/against v0\.10\.0[\s\S]*Grid\.name/)
    fs.writeFileSync(path.join(dir, ALLOW_FILE), 'Grid.name  folded into code\n')
    expect((await check(dir, FIELD_REMOVED)).code).toBe(0)
    expect((await check(dir, FIELD_ADDED)).code).toBe(0)
  })

  it('should warn and exit 0 without a release locally, and fail in CI', async () => {
    const dir = project({})
    const local = await check(dir, FIELD_REMOVED)
    expect(local).toEqual({ code: 0, output: expect.stringMatching(/skipped: no release in schema\/releases/) })
    const ci = await check(dir, FIELD_REMOVED, true)
    expect(ci).toEqual({ code: 1, output: expect.stringMatching(/FAILED: no release .*CI needs the last release/) })
  })

  it("should cut a release: freeze the schema, keep the allow file's comments and drop its entries, refuse a repeat", async () => {
    const dir = project({ 'v0.1.0': FIELD_REMOVED })
    fs.writeFileSync(path.join(dir, ALLOW_FILE), '# why this file\nGrid.name  restored\n')
    expect(cutRelease({ cwd: dir, version: '0.2.0', currentSdl: V1 })).toBe('schema/releases/v0.2.0.graphql')
    expect(fs.readFileSync(path.join(dir, ALLOW_FILE), 'utf8')).toBe('# why this file\n')
    expect(await check(dir, FIELD_REMOVED)).toMatchObject({
      code: 1,
      output: expect.stringMatching(/against v0\.2\.0/),
    })
    expect(() => cutRelease({ cwd: dir, version: '0.2.0', currentSdl: V1 })).toThrow(/exists already/)
    expect(() => cutRelease({ cwd: dir, version: 'next', currentSdl: V1 })).toThrow(/not <major>/)
  })

  it("should find the repository's own last release, and the code's schema compatible with it", async () => {
    const { printedSchema } = await import('../../../scripts/print-schema.js')
    expect((await check(process.cwd(), printedSchema(), true)).code).toBe(0)
  })
})
