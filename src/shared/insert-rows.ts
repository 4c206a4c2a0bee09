// Several rows in one INSERT without `createMany`: Prisma 7.10 caches the plan of a `create` but
// compiles every `createMany` anew, which costs more CPU than the statement. The rows travel as one
// JSON parameter and PostgreSQL types each column by `columns` (jsonb_to_recordset).
import { Prisma, type Tx } from '../db.js'

/** `columns`: column name → SQL type, e.g. `{ id: 'uuid', note: 'text' }`; names and types are the caller's constants. */
export async function insertRows(
  db: Pick<Tx, '$executeRaw'>,
  table: string,
  columns: Record<string, string>,
  rows: readonly object[],
) {
  const names = Object.keys(columns)
    .map((c) => `"${c}"`)
    .join(', ')
  const types = Object.entries(columns)
    .map(([c, type]) => `"${c}" ${type}`)
    .join(', ')
  await db.$executeRaw(Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.raw(names)})
    SELECT ${Prisma.raw(names)} FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS e(${Prisma.raw(types)})`)
}
