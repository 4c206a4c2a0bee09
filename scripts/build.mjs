// npm run build (also run by postinstall): transpiles src/ to dist/ with esbuild, one file per
// module, no bundling. Type checking is `npm run typecheck`; this only strips types, in ~1 s, so
// `npm start` runs plain Node without loading a TypeScript compiler at every start.
import { readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const src = path.join(root, 'src')
const entryPoints = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => path.join(src, f))

rmSync(path.join(root, 'dist'), { recursive: true, force: true })
await build({ entryPoints, outdir: path.join(root, 'dist'), outbase: src, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' })
console.log(`built ${entryPoints.length} modules into dist/`)
