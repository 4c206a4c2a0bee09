// The bundle's start-up path (scripts/build/fast-start.mjs): Prisma's query-compiler wasm ships as
// dist/query-compiler.wasm, compiled off the main thread from the entry, instead of the generated base64
// module loaded and compiled on the main thread at the first query. If a Prisma upgrade changes
// the generated loader, the build keeps Prisma's own (a warning) and this test fails: restarts would be
// slower, not broken.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../..')
const dist = path.join(root, 'dist')

describe('the bundle start-up path', () => {
  it('should load the query compiler from dist/query-compiler.wasm, compiled from the entry', async () => {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: root })
    const files = fs.readdirSync(dist).filter((f) => f.endsWith('.js'))
    expect(files.filter((f) => f.includes('wasm-base64'))).toEqual([])
    const client = files
      .map((f) => fs.readFileSync(path.join(dist, f), 'utf8'))
      .find((s) => s.includes('config.compilerWasm = {'))
    expect(client).toBeDefined()
    expect(client).not.toContain('decodeBase64AsWasm')
    expect(fs.readFileSync(path.join(dist, 'main.js'), 'utf8')).toMatch(
      /enableCompileCache[\s\S]*startQueryCompilerWasm\(\)[\s\S]*await import\(/,
    )

    // the wasm file works with the bundled glue: a query compiles
    const glue = files.find((f) => f.startsWith('query_compiler_fast_bg.postgresql-'))
    expect(glue).toBeDefined()
    const runtime = (await import(path.join(dist, glue!))) as {
      __wbg_set_wasm(e: unknown): void
      QueryCompiler: new (o: object) => { compile(q: string): string }
    }
    const module = await WebAssembly.compile(fs.readFileSync(path.join(dist, 'query-compiler.wasm')))
    const instance = new WebAssembly.Instance(module, {
      './query_compiler_fast_bg.js': runtime as unknown as WebAssembly.ModuleImports,
    })
    runtime.__wbg_set_wasm(instance.exports)
    ;(instance.exports.__wbindgen_start as () => void)()
    const datamodel = fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8')
    const compiler = new runtime.QueryCompiler({
      datamodel,
      provider: 'postgres',
      connectionInfo: { supportsRelationJoins: true },
    })
    const plan = compiler.compile(
      JSON.stringify({ modelName: 'Region', action: 'findFirst', query: { arguments: {}, selection: { id: true } } }),
    )
    expect(JSON.stringify(plan)).toMatch(/SELECT[\s\S]*Region/)
  }, 120_000)
})
