// One guard for every string a request brings, before anything resolves: in variables (at any
// depth, JSON scalars included) and in the document's literals. A NUL character (PostgreSQL
// cannot store it) or a string longer than any field takes is refused as ValidationFailed, so
// no resolver, filter or SQL statement ever sees one. Each field's own cap (zod, search.ts) is
// tighter; this is the floor under all of them.
import { GraphQLError, visit, type DocumentNode } from 'graphql'
import type { Plugin } from 'graphql-yoga'

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

function problemInDocument(document: DocumentNode): string | null {
  let found: string | null = null
  visit(document, {
    StringValue(node) {
      if (!found) found = problemIn(node.value, 'query')
    },
  })
  return found
}

/** The ValidationFailed answer, as a request-level error (no resolver ran). */
const refusal = (problem: string) =>
  new GraphQLError(`The input is not valid: ${problem}`, { extensions: { code: 'common/validation-failed', http: { status: 400 } } })

export function useInputGuard(): Plugin {
  const check = (args: { document: DocumentNode; variableValues?: unknown }) =>
    problemIn(args.variableValues ?? {}, 'variables') ?? problemInDocument(args.document)
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
