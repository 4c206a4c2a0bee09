import fs from 'node:fs'
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql'
import { describe, expect, it } from 'vitest'
import { printedPossibleTypes, printedSchema } from '../../../scripts/print-schema.js'

describe('schema/schema.graphql', () => {
  it('should match the schema built from the code (run `npm run schema:print` after a change)', () => {
    expect(fs.readFileSync('schema/schema.graphql', 'utf8')).toBe(printedSchema())
  })

  it('should come with schema/possible-types.json for Apollo Client, generated with it', () => {
    expect(fs.readFileSync('schema/possible-types.json', 'utf8')).toBe(printedPossibleTypes())
    const possible = JSON.parse(printedPossibleTypes()) as Record<string, string[]>
    expect(possible.Error).toEqual(
      expect.arrayContaining(['Conflict', 'Forbidden', 'NotFound', 'StaleVersion', 'ValidationFailed']),
    )
    expect(possible.Node?.length).toBeGreaterThan(10)
  })

  it('should describe every type and field in English and Chinese', () => {
    const sdl = printedSchema()
    const schema = buildSchema(sdl)
    const missing: string[] = []
    const hasChinese = (s?: string | null) => !!s && /[\u4e00-\u9fff]/.test(s)
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue
      if (!hasChinese(type.description)) missing.push(type.name)
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const f of Object.values(type.getFields()))
          if (!hasChinese(f.description)) missing.push(`${type.name}.${f.name}`)
      }
      if (isEnumType(type))
        for (const v of type.getValues())
          if (!v.description && !hasChinese(type.description)) missing.push(`${type.name}.${v.name}`)
    }
    expect(missing).toEqual([])
  })
})
