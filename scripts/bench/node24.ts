// The Node binary the side-by-side servers run on: this process's own when it is recent enough,
// otherwise Node 24 fetched from the npm registry (the `node-<os>-<arch>` packages carry Node's
// official binaries) at bench time with `npm exec`, into npm's own cache.
import { execFileSync } from 'node:child_process'
import os from 'node:os'

export const NODE24_VERSION = '24.22.3'

export function serverNode(): { path: string; version: string; source: string } {
  const major = Number(process.versions.node.split('.')[0])
  if (major >= 22) return { path: process.execPath, version: process.version, source: "the bench's own Node" }
  const platform = process.platform === 'win32' ? 'win' : process.platform
  const pkg = `node-${platform}-${process.arch}@${NODE24_VERSION}`
  const run = (args: string[]) =>
    execFileSync('npm', args, { cwd: os.tmpdir(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
  const out = run([
    'exec',
    '--yes',
    `--package=${pkg}`,
    '--',
    'node',
    '-e',
    'process.stdout.write(process.execPath + "\\n" + process.version)',
  ])
  const [path, version] = out.split('\n').slice(-2)
  if (!path || version !== `v${NODE24_VERSION}`)
    throw new Error(`npm exec ${pkg} did not give Node ${NODE24_VERSION}: ${JSON.stringify(out)}`)
  return { path, version, source: `npm package ${pkg} (npm exec)` }
}
