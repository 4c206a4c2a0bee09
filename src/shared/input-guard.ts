// One guard for every string a request brings, before anything resolves: in variables (at any
// depth, JSON scalars included) and in the document's literals. A NUL character (PostgreSQL
// cannot store it) or a string longer than any field takes is refused as ValidationFailed, so
// no resolver, filter or SQL statement ever sees one. Each field's own cap (zod, search.ts) is
// tighter; this is the floor under all of them. Connection cursors (`after`, `before`) must name a
// row id: every list pages by `id`, a UUID, so a cursor of anything else never reaches SQL.
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { UUID } from './relay.js'

/** Longer than any free-text field of the API (the longest takes 5,000 characters). */
export const MAX_STRING_LENGTH = 10_000

function problemIn(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return `${path}: NUL characters are not allowed`
    if (value.length > MAX_STRING_LENGTH) return `${path}: longer than ${MAX_STRING_LENGTH} characters`
    return null
  }
  if (depth > 20 || value === null || typeof value !== 'object') return null
  for (const [k, v] of Object.entries(value)) {
    const found = problemIn(v, `${path}.${k}`, depth + 1)
    if (found) return found
  }
  return null
}

/** A page cursor of Pothos' Prisma connections (`GPC:S:<id>`) that does not hold a row id. */
function badCursor(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const decoded = Buffer.from(value, 'base64').toString()
  if (!decoded.startsWith('GPC:')) return false // not a connection cursor: its own decoder answers
  return !(decoded.startsWith('GPC:S:') && UUID.test(decoded.slice(6)))
}

function problemInDocument(document: DocumentNode, variables: Record<string, unknown>): string | null {
  let found: string | null = null
  visit(document, {
    StringValue(node) {
      if (!found) found = problemIn(node.value, 'query')
    },
    Argument(node) {
      if (found || (node.name.value !== 'after' && node.name.value !== 'before')) return
      const value =
        node.value.kind === Kind.STRING
          ? node.value.value
          : node.value.kind === Kind.VARIABLE
            ? variables[node.value.name.value]
            : undefined
      if (badCursor(value)) found = `${node.name.value}: not a cursor of this list`
    },
  })
  return found
}

/** The ValidationFailed answer, as a request-level error (no resolver ran). */
const refusal = (problem: string) =>
  new GraphQLError(`The input is not valid: ${problem}`, {
    extensions: { code: 'common/validation-failed', http: { status: 400 } },
  })

export function useInputGuard(): Plugin {
  const check = (args: { document: DocumentNode; variableValues?: Record<string, unknown> | null }) =>
    problemIn(args.variableValues ?? {}, 'variables') ?? problemInDocument(args.document, args.variableValues ?? {})
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const problem = check(args)
      if (problem) setResultAndStopExecution({ errors: [refusal(problem)] })
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const problem = check(args)
      if (problem) setResultAndStopExecution({ errors: [refusal(problem)] })
    },
  }
}
