// npm run schema:check — compares the schema the code builds with the one of the last release (the
// nearest `v*` tag: `git show <tag>:schema/schema.graphql`), offline, with @graphql-inspector/core.
// Prints the breaking, dangerous and safe changes; exits 1 on a breaking change that
// schema/breaking-changes.allow does not acknowledge (`<path> <reason>` per line).
//
// No tag: in CI (CI=true) that fails — a shallow or tagless clone would otherwise wave every
// breaking change through; locally it warns and exits 0.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { buildSchema } from 'graphql'
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core'

export const ALLOW_FILE = 'schema/breaking-changes.allow'
const SCHEMA_FILE = 'schema/schema.graphql'

/** How a change is named in the allow file: its schema path (`Query.grids`, `Grid.code`, `CaseStatus.OPEN`). */
export const changeId = (c: Change) => c.path ?? c.type

export interface AllowList { reasons: Map<string, string>; problems: string[] }

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

export async function compareSchemas(previousSdl: string, currentSdl: string, allow: AllowList = parseAllowList('')): Promise<Report> {
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
    breaking, acknowledged, dangerous: at(CriticalityLevel.Dangerous), safe: at(CriticalityLevel.NonBreaking), stale,
    problems: allow.problems, ok: breaking.length === 0 && allow.problems.length === 0,
  }
}

export function formatReport(r: Report, against: string): string {
  const line = (c: Change) => `    ${changeId(c)}  ${c.message}`
  const out = [`Schema compatibility: the code's schema against ${against}`]
  const group = (title: string, items: string[]) => { if (items.length) out.push(`  ${title} (${items.length}):`, ...items) }
  group('BREAKING', r.breaking.map(line))
  group('breaking, acknowledged in ' + ALLOW_FILE, r.acknowledged.map(({ change, reason }) => `${line(change)}\n      reason: ${reason}`))
  group('dangerous', r.dangerous.map(line))
  group('safe', r.safe.map(line))
  if (!r.breaking.length && !r.acknowledged.length && !r.dangerous.length && !r.safe.length) out.push('  no changes')
  for (const p of r.problems) out.push(`  ${ALLOW_FILE} ${p}`)
  if (r.stale.length) out.push(`  note: ${ALLOW_FILE} lists ${r.stale.join(', ')}, which no breaking change matches (remove after a release)`)
  out.push(r.ok
    ? '  OK: no unacknowledged breaking change'
    : r.breaking.length
      ? `  FAILED: ${r.breaking.length} breaking change(s). Undo them, deprecate instead, or — if intended — add \`<path> <reason>\` lines to ${ALLOW_FILE}.`
      : `  FAILED: fix ${ALLOW_FILE}`)
  return out.join('\n')
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()

export type Baseline = { tag: string; sdl: string } | { missing: string }

/** The last release before the current commit: the nearest `v*` tag reachable from HEAD, and its printed schema. */
export function lastRelease(cwd: string): Baseline {
  let tag: string
  try {
    tag = git(cwd, 'describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*', 'HEAD')
  } catch {
    let shallow = false
    try { shallow = git(cwd, 'rev-parse', '--is-shallow-repository') === 'true' } catch { return { missing: 'not a git repository' } }
    return { missing: shallow ? 'no v* tag in this shallow clone (fetch them: git fetch --tags --unshallow)' : 'no v* tag reachable from HEAD (no release yet?)' }
  }
  try {
    return { tag, sdl: git(cwd, 'show', `${tag}:${SCHEMA_FILE}`) }
  } catch {
    return { missing: `${tag} has no ${SCHEMA_FILE}` }
  }
}

/** The whole check; returns the exit code. */
export async function runCheck(opts: { cwd: string; ci: boolean; currentSdl: string; print?: (s: string) => void }): Promise<number> {
  const print = opts.print ?? ((s: string) => console.log(s))
  const base = lastRelease(opts.cwd)
  if ('missing' in base) {
    if (opts.ci) {
      print(`Schema compatibility: FAILED: ${base.missing}; CI needs the last release's tag to compare with`)
      return 1
    }
    print(`Schema compatibility: skipped: ${base.missing}; nothing to compare with (CI fails here)`)
    return 0
  }
  const allowPath = path.join(opts.cwd, ALLOW_FILE)
  const allow = parseAllowList(fs.existsSync(allowPath) ? fs.readFileSync(allowPath, 'utf8') : '')
  const report = await compareSchemas(base.sdl, opts.currentSdl, allow)
  print(formatReport(report, `${base.tag} (${SCHEMA_FILE} at that tag)`))
  return report.ok ? 0 : 1
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printedSchema } = await import('./print-schema.js')
  process.exitCode = await runCheck({ cwd: process.cwd(), ci: process.env.CI === 'true' || process.env.CI === '1', currentSdl: printedSchema() })
}
