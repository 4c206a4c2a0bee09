// Relay page sizes above the cap are refused with a clear error instead of being clamped silently.
import { GraphQLError, Kind, visit, type DocumentNode, type ValueNode } from 'graphql'
import type { Plugin } from 'graphql-yoga'

/** An argument's value when it is an integer literal or a variable; undefined otherwise. */
export function literalValue(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  if (node.kind === Kind.INT) return Number(node.value)
  if (node.kind === Kind.VARIABLE) return variables?.[node.name.value]
  return undefined
}

export function oversizedPages(
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  max: number,
): string[] {
  const problems: string[] = []
  visit(document, {
    Field(field) {
      for (const arg of field.arguments ?? []) {
        if (arg.name.value !== 'first' && arg.name.value !== 'last') continue
        const v = literalValue(arg.value, variables)
        if (typeof v === 'number' && (v > max || v < 0)) problems.push(`${field.name.value}(${arg.name.value}: ${v})`)
      }
    },
  })
  return problems
}

export function usePageSizeLimit(max: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const problems = oversizedPages(args.document, args.variableValues as Record<string, unknown>, max)
      if (problems.length) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(`Page size must be between 0 and ${max}: ${problems.join(', ')}`, {
              extensions: { code: 'common/page-size' },
            }),
          ],
        })
      }
    },
  }
}
