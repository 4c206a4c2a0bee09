// npm run schema:print — writes schema/schema.graphql from the code (frontend teams generate types from
// it) and schema/possible-types.json, Apollo Client's `possibleTypes` (every interface and union →
// the object types that implement or belong to it), without which Apollo's cache drops `... on Error`.
import fs from 'node:fs'
import { printSchema, lexicographicSortSchema, isAbstractType, type GraphQLSchema } from 'graphql'
import { schema } from '../src/schema.js'

export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`

export function possibleTypesOf(s: GraphQLSchema): Record<string, string[]> {
  const entries = Object.values(s.getTypeMap())
    .filter(isAbstractType)
    .filter((t) => !t.name.startsWith('__'))
    .map(
      (t) =>
        [
          t.name,
          s
            .getPossibleTypes(t)
            .map((p) => p.name)
            .sort(),
        ] as const,
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries)
}

export const printedPossibleTypes = () => `${JSON.stringify(possibleTypesOf(schema), null, 2)}\n`

if (import.meta.url === `file://${process.argv[1]}`) {
  fs.mkdirSync('schema', { recursive: true })
  fs.writeFileSync('schema/schema.graphql', printedSchema())
  fs.writeFileSync('schema/possible-types.json', printedPossibleTypes())
  console.log('wrote schema/schema.graphql and schema/possible-types.json')
}
