// esbuild plugins for the restart time (target: < 1.5 s to the first answer), used by scripts/build.mjs.
//
// queryCompilerWasm: Prisma's generated client (src/generated/prisma/internal/class.ts, regenerated on every
// install: never edited by hand) loads its 3.4 MB query-compiler wasm at the first query, after PostgreSQL is
// ready, all on the main thread: it imports a 4.5 MB base64 JS module (~0.12-0.15 s to load), decodes it,
// compiles it with the synchronous `new WebAssembly.Module` (V8 then compiles each wasm function lazily, at
// its first call: that part stays on the main thread). At bundle time this plugin writes the wasm as a file
// next to the bundle (dist/query-compiler.wasm) and points the generated loader at `gongzhi:query-compiler-wasm`,
// which reads that file and compiles it with WebAssembly.compile (on V8's own threads), started by the entry
// as the process starts, so the module is ready when the first query asks for it.
// If a Prisma upgrade changes the generated loader so that the rewrite no longer matches, the build warns
// and keeps Prisma's own loader (slower restarts, never wrong); tests/unit/ci/fast-start.test.ts fails then.
//
// fastEntry: dist/main.js is a small entry that turns on Node's compile cache (Node >= 22: the bundle's
// compiled code is kept in os.tmpdir()/node-compile-cache) before the bundle is loaded, so that the cache
// covers the whole bundle and not only what src/main.ts imports dynamically, and starts the wasm compile;
// then it imports the server (src/main.ts).
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const WASM_FILE = 'query-compiler.wasm'
const NAMESPACE = 'gongzhi-fast-start'
const VIRTUAL = 'gongzhi:query-compiler-wasm'

/** The generated loader: `getQueryCompilerWasmModule: async () => { const { wasm } = await import("<base64 module>") ... },` */
export const LOADER =
  /getQueryCompilerWasmModule:\s*async\s*\(\)\s*=>\s*\{\s*const\s*\{\s*wasm\s*\}\s*=\s*await\s+import\(\s*"([^"]+\.wasm-base64\.mjs)"\s*\)\s*;?\s*return\s+await\s+decodeBase64AsWasm\(\s*wasm\s*\)\s*;?\s*\}/

/** The virtual module: reads dist/query-compiler.wasm and compiles it off the main thread, once. */
const RUNTIME = `import { readFileSync } from 'node:fs'
let compiled
export function startQueryCompilerWasm() {
  if (!compiled) {
    try {
      compiled = WebAssembly.compile(readFileSync(new URL('./${WASM_FILE}', import.meta.url)))
    } catch (e) {
      compiled = Promise.reject(e)
    }
    compiled.catch(() => {}) // reported to Prisma, which asks for the module at the first query
  }
  return compiled
}
export const queryCompilerWasmModule = () => startQueryCompilerWasm()
`

/** @param {{ generatedClass: RegExp, outdir: string }} opts */
export function queryCompilerWasm({ generatedClass, outdir }) {
  return {
    name: 'query-compiler-wasm',
    setup(build) {
      let base64Module
      build.onResolve({ filter: /^gongzhi:query-compiler-wasm$/ }, () => ({ path: VIRTUAL, namespace: NAMESPACE }))
      build.onLoad({ filter: /^gongzhi:query-compiler-wasm$/, namespace: NAMESPACE }, () => ({
        contents: RUNTIME,
        loader: 'js',
        resolveDir: outdir,
      }))
      build.onLoad({ filter: generatedClass }, async (args) => {
        const source = readFileSync(args.path, 'utf8')
        const match = LOADER.exec(source)
        if (!match) {
          return {
            contents: source,
            loader: 'ts',
            warnings: [
              {
                text: `${path.basename(args.path)}: Prisma's query-compiler wasm loader has changed; the bundle keeps it (slower restarts): update scripts/build/fast-start.mjs`,
              },
            ],
          }
        }
        const resolved = await build.resolve(match[1], { kind: 'dynamic-import', resolveDir: path.dirname(args.path) })
        if (resolved.errors.length) return { errors: resolved.errors }
        base64Module = resolved.path
        const contents =
          `import { queryCompilerWasmModule as __gongzhiQueryCompilerWasm } from '${VIRTUAL}'\n` +
          source.replace(LOADER, 'getQueryCompilerWasmModule: () => __gongzhiQueryCompilerWasm()')
        return { contents, loader: 'ts', watchFiles: [base64Module] }
      })
      build.onEnd(async (result) => {
        if (result.errors.length || !base64Module) return
        const { wasm } = await import(pathToFileURL(base64Module).href)
        const bytes = Buffer.from(wasm, 'base64')
        if (!WebAssembly.validate(bytes)) throw new Error(`${base64Module} does not hold a valid wasm module`)
        writeFileSync(path.join(outdir, WASM_FILE), bytes)
      })
    },
  }
}

/** The entry `main`: compile cache on, the wasm compile started, then the server itself. */
export function fastEntry({ main }) {
  return {
    name: 'fast-entry',
    setup(build) {
      build.onResolve({ filter: /^gongzhi:entry$/ }, () => ({ path: 'entry', namespace: NAMESPACE }))
      build.onLoad({ filter: /^entry$/, namespace: NAMESPACE }, () => ({
        resolveDir: path.dirname(main),
        loader: 'js',
        contents: `import module from 'node:module'
import { startQueryCompilerWasm } from '${VIRTUAL}'
// Node >= 22: V8 keeps the compiled bundle in os.tmpdir()/node-compile-cache; turned on before the bundle loads
module.enableCompileCache?.()
startQueryCompilerWasm()
await import(${JSON.stringify(main)})
`,
      }))
    },
  }
}
