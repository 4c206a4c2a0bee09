// Module boundaries: a module may import only the modules below it, so no cycle can form; a module
// that adds to another's types does it from its own side (prismaObjectField, objectField) rather
// than the other module importing it. The shared layers (auth, db, shared) import no module: only
// the wiring files (schema.ts, policies.ts, app and scripts) know every module. Within a module, no
// two files import each other either, directly or round a loop: ES modules allow it, but which file's
// top level runs first then depends on who was imported first.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = path.resolve(import.meta.dirname, '../../../src')

/** Which modules each module may import. */
const ALLOWED: Record<string, string[]> = {
  grid: [],
  directory: ['grid'],
  case: ['grid', 'directory'],
  party: ['grid', 'directory'],
  agreement: ['grid', 'directory', 'party'],
  volunteer: ['grid', 'directory', 'party'],
  audit: ['directory'],
  assessment: ['grid', 'directory', 'case'],
  statistics: ['grid', 'directory', 'case', 'assessment'],
  export: ['directory', 'case', 'party', 'audit', 'assessment'],
}

const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    )

/** The modules a file imports, by its import specifiers. */
function importedModules(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8')
  const out = new Set<string>()
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
    const target = path.resolve(path.dirname(file), m[1]!)
    const rel = path.relative(path.join(SRC, 'modules'), target)
    if (!rel.startsWith('..')) out.add(rel.split(path.sep)[0]!)
  }
  return [...out]
}

/** The files of src/ a file imports at run time (not `import type`), by relative specifier. */
function importedFiles(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8')
  return [...text.matchAll(/^(?:import(?! type )[^';]*?|export(?! type )[^';]*?from\s*)'(\.[^']+)'/gm)]
    .map((m) => path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')))
    .filter((target) => fs.existsSync(target))
}

/** Every import cycle among `files`, each as the chain of files that closes it. */
function importCycles(files: string[], root = SRC): string[] {
  const state = new Map<string, 'open' | 'done'>()
  const cycles: string[] = []
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(root, f)).join(' → '))
      return
    }
    state.set(file, 'open')
    for (const dep of importedFiles(file)) visit(dep, [...trail, file])
    state.set(file, 'done')
  }
  for (const file of files) visit(file, [])
  return cycles
}

describe('module boundaries', () => {
  it('should list every module of src/modules', () => {
    const modules = fs.readdirSync(path.join(SRC, 'modules')).sort()
    expect(modules).toEqual(Object.keys(ALLOWED).sort())
  })

  it('should import only the modules a module may depend on', () => {
    const offending: string[] = []
    for (const mod of Object.keys(ALLOWED)) {
      for (const file of filesUnder(path.join(SRC, 'modules', mod))) {
        for (const dep of importedModules(file)) {
          if (dep !== mod && !ALLOWED[mod]!.includes(dep)) offending.push(`${path.relative(SRC, file)} → ${dep}`)
        }
      }
    }
    expect(offending).toEqual([])
  })

  it('should allow no cycle between modules', () => {
    const done = new Set<string>()
    const visit = (mod: string, trail: string[]) => {
      expect(trail, `cycle: ${[...trail, mod].join(' → ')}`).not.toContain(mod)
      if (done.has(mod)) return
      for (const dep of ALLOWED[mod]!) visit(dep, [...trail, mod])
      done.add(mod)
    }
    for (const mod of Object.keys(ALLOWED)) visit(mod, [])
  })

  it('should allow no import cycle between the files of src', () => {
    expect(importCycles(filesUnder(SRC).filter((f) => !f.includes(`${path.sep}generated${path.sep}`)))).toEqual([])
  })

  it('should find an import cycle where two files import each other', () => {
    const dir = fs.mkdtempSync(path.join(SRC, '..', 'node_modules', '.cycle-'))
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), "import {\n  b,\n} from './b.js'\nexport const a = b\n")
      fs.writeFileSync(path.join(dir, 'b.ts'), "import type { a } from './a.js'\nimport './a.js'\nexport const b = 1\n")
      fs.writeFileSync(path.join(dir, 'c.ts'), "import type { a } from './a.js'\nexport const c = 1\n")
      expect(
        importCycles(
          ['a.ts', 'c.ts'].map((f) => path.join(dir, f)),
          dir,
        ),
      ).toEqual(['a.ts → b.ts → a.ts'])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('should keep the shared layers free of module imports', () => {
    const offending = ['auth', 'db', 'shared', 'bus']
      .flatMap((dir) => (fs.existsSync(path.join(SRC, dir)) ? filesUnder(path.join(SRC, dir)) : []))
      .filter((file) => importedModules(file).length > 0)
      .map((file) => path.relative(SRC, file))
    expect(offending).toEqual([])
  })
})
