// npm run schema:print — writes schema/schema.graphql from the code (frontend teams generate types from it).
import fs from 'node:fs'
import { printSchema, lexicographicSortSchema } from 'graphql'
import { schema } from '../src/schema.js'

export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`

if (import.meta.url === `file://${process.argv[1]}`) {
  fs.mkdirSync('schema', { recursive: true })
  fs.writeFileSync('schema/schema.graphql', printedSchema())
  console.log('wrote schema/schema.graphql')
}
