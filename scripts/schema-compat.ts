// npm run schema:check — compares the schema the code builds with the one of the last release (the
// newest schema/releases/v*.graphql), offline, with @graphql-inspector/core.
// Prints the breaking, dangerous and safe changes; exits 1 on a breaking change that
// schema/breaking-changes.allow does not acknowledge (`<path> <reason>` per line).
//
// No release file: in CI (CI=true) that fails — a missing baseline would otherwise wave every breaking
// change through; locally it warns and exits 0. `npm run schema:release` cuts a release.
import fs from 'node:fs'
import path from 'node:path'
import { buildSchema } from 'graphql'
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core'

export const ALLOW_FILE = 'schema/breaking-changes.allow'

/** How a change is named in the allow file: its schema path (`Query.grids`, `Grid.code`, `CaseStatus.OPEN`). */
export const changeId = (c: Change) => c.path ?? c.type

export interface AllowList {
  reasons: Map<string, string>
  problems: string[]
}

export function parseAllowList(text: string): AllowList {
  const reasons = new Map<string, string>()
  const problems: string[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim()
    if (!line) return
    const [id, ...rest] = line.split(/\s+/)
    const reason = rest.join(' ')
    if (!reason) problems.push(`line ${i + 1}: "${id}" needs a reason after the path`)
    else reasons.set(id!, reason)
  })
  return { reasons, problems }
}

export interface Report {
  breaking: Change[]
  /** Breaking changes the allow file acknowledges, with its reason. */
  acknowledged: { change: Change; reason: string }[]
  dangerous: Change[]
  safe: Change[]
  /** Allow-file entries that match no breaking change (left over from the last release). */
  stale: string[]
  problems: string[]
  ok: boolean
}

export async function compareSchemas(
  previousSdl: string,
  currentSdl: string,
  allow: AllowList = parseAllowList(''),
): Promise<Report> {
  const changes = await diff(buildSchema(previousSdl), buildSchema(currentSdl))
  const at = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level)
  const breaking: Change[] = []
  const acknowledged: Report['acknowledged'] = []
  for (const change of at(CriticalityLevel.Breaking)) {
    const reason = allow.reasons.get(changeId(change))
    if (reason) acknowledged.push({ change, reason })
    else breaking.push(change)
  }
  const used = new Set(acknowledged.map((a) => changeId(a.change)))
  const stale = [...allow.reasons.keys()].filter((id) => !used.has(id))
  return {
    breaking,
    acknowledged,
    dangerous: at(CriticalityLevel.Dangerous),
    safe: at(CriticalityLevel.NonBreaking),
    stale,
    problems: allow.problems,
    ok: breaking.length === 0 && allow.problems.length === 0,
  }
}

export function formatReport(r: Report, against: string): string {
  const line = (c: Change) => `    ${changeId(c)}  ${c.message}`
  const out = [`Schema compatibility: the code's schema against ${against}`]
  const group = (title: string, items: string[]) => {
    if (items.length) out.push(`  ${title} (${items.length}):`, ...items)
  }
  group('BREAKING', r.breaking.map(line))
  group(
    `breaking, acknowledged in ${ALLOW_FILE}`,
    r.acknowledged.map(({ change, reason }) => `${line(change)}\n      reason: ${reason}`),
  )
  group('dangerous', r.dangerous.map(line))
  group('safe', r.safe.map(line))
  if (!r.breaking.length && !r.acknowledged.length && !r.dangerous.length && !r.safe.length) out.push('  no changes')
  for (const p of r.problems) out.push(`  ${ALLOW_FILE} ${p}`)
  if (r.stale.length)
    out.push(
      `  note: ${ALLOW_FILE} lists ${r.stale.join(', ')}, which no breaking change matches (remove after a release)`,
    )
  out.push(
    r.ok
      ? '  OK: no unacknowledged breaking change'
      : r.breaking.length
        ? `  FAILED: ${r.breaking.length} breaking change(s). Undo them, deprecate instead, or — if intended — add \`<path> <reason>\` lines to ${ALLOW_FILE}.`
        : `  FAILED: fix ${ALLOW_FILE}`,
  )
  return out.join('\n')
}

export const RELEASES_DIR = 'schema/releases'

export type Baseline = { tag: string; sdl: string } | { missing: string }

/** `v1.2.10` → [1, 2, 10]; anything else → null. */
const versionOf = (file: string) => /^v(\d+)\.(\d+)\.(\d+)\.graphql$/.exec(file)?.slice(1).map(Number) ?? null

/**
 * The last release: the highest `schema/releases/v<major>.<minor>.<patch>.graphql`, the printed schema
 * `npm run schema:release` froze when that version was cut. A file in the repo rather than a git tag,
 * so any clone — shallow, tagless, an archive — compares with the same baseline.
 */
export function lastRelease(cwd: string): Baseline {
  const dir = path.join(cwd, RELEASES_DIR)
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => versionOf(f)) : []
  if (!files.length) return { missing: `no release in ${RELEASES_DIR}/ (none cut yet: npm run schema:release)` }
  const newest = files
    .sort((a, b) => {
      const [x, y] = [versionOf(a)!, versionOf(b)!]
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!
    })
    .at(-1)!
  return { tag: newest.replace(/\.graphql$/, ''), sdl: fs.readFileSync(path.join(dir, newest), 'utf8') }
}

/** `npm run schema:release`: freezes the current printed schema as the release `v<version>`. */
export function cutRelease(opts: { cwd: string; version: string; currentSdl: string }): string {
  if (!/^\d+\.\d+\.\d+$/.test(opts.version)) throw new Error(`version "${opts.version}" is not <major>.<minor>.<patch>`)
  const file = path.join(RELEASES_DIR, `v${opts.version}.graphql`)
  const target = path.join(opts.cwd, file)
  if (fs.existsSync(target)) throw new Error(`${file} exists already: bump "version" in package.json first`)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  fs.writeFileSync(target, opts.currentSdl)
  const allowPath = path.join(opts.cwd, ALLOW_FILE)
  if (fs.existsSync(allowPath)) {
    const header = fs
      .readFileSync(allowPath, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n')
    fs.writeFileSync(allowPath, `${header}\n`)
  }
  return file
}

/** The whole check; returns the exit code. */
export async function runCheck(opts: {
  cwd: string
  ci: boolean
  currentSdl: string
  print?: (s: string) => void
}): Promise<number> {
  const print = opts.print ?? ((s: string) => console.log(s))
  const base = lastRelease(opts.cwd)
  if ('missing' in base) {
    if (opts.ci) {
      print(`Schema compatibility: FAILED: ${base.missing}; CI needs the last release to compare with`)
      return 1
    }
    print(`Schema compatibility: skipped: ${base.missing}; nothing to compare with (CI fails here)`)
    return 0
  }
  const allowPath = path.join(opts.cwd, ALLOW_FILE)
  const allow = parseAllowList(fs.existsSync(allowPath) ? fs.readFileSync(allowPath, 'utf8') : '')
  const report = await compareSchemas(base.sdl, opts.currentSdl, allow)
  print(formatReport(report, `${base.tag} (${RELEASES_DIR}/${base.tag}.graphql)`))
  return report.ok ? 0 : 1
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printedSchema } = await import('./print-schema.js')
  const cwd = process.cwd()
  if (process.argv[2] === 'release') {
    const { version } = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { version: string }
    const file = cutRelease({ cwd, version, currentSdl: printedSchema() })
    console.log(`wrote ${file}; emptied ${ALLOW_FILE}. Commit both with the version bump.`)
  } else {
    process.exitCode = await runCheck({
      cwd,
      ci: process.env.CI === 'true' || process.env.CI === '1',
      currentSdl: printedSchema(),
    })
  }
}
